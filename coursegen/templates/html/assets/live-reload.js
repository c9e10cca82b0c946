/* Only in pages served by `coursegen serve`: reload after a rebuild, and show a failed
 * rebuild's errors over the page (the server keeps serving the last good build). */
(function () {
  "use strict";
  var STATUS = "/__coursegen__/status";
  var known = null;
  var banner = null;

  function showError(text) {
    if (!banner) {
      banner = document.createElement("div");
      banner.className = "live-reload-error";
      banner.setAttribute("role", "alert");
      document.body.insertBefore(banner, document.body.firstChild);
    }
    banner.textContent = text;
  }

  function poll() {
    fetch(STATUS, { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        if (known !== null && status.version !== known) window.location.reload();
        known = status.version;
        if (status.error) showError(status.error);
        else if (banner) { banner.remove(); banner = null; }
      })
      .catch(function () { /* the server stopped; try again later */ })
      .then(function () { window.setTimeout(poll, 700); });
  }

  poll();
})();
