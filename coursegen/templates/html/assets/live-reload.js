/* Only in pages served by `coursegen serve`: reload after a rebuild, and show over the page
 * what `coursegen validate` would print: a failed rebuild's errors (the server keeps serving
 * the last good build), or the warnings of the build on show. */
(function () {
  "use strict";
  var STATUS = "/__coursegen__/status";
  var known = null;
  var banner = null;

  function show(text, kind) {
    if (!text) {
      if (banner) { banner.remove(); banner = null; }
      return;
    }
    if (!banner || banner.dataset.kind !== kind) {
      if (banner) banner.remove();
      banner = document.createElement("div");
      banner.dataset.kind = kind;
      banner.className = "live-reload-" + kind;
      // Errors interrupt: the page is no longer what the files say. Warnings wait their turn.
      banner.setAttribute("role", kind === "error" ? "alert" : "status");
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
        if (status.error) show(status.error, "error");
        else show(status.warnings, "warnings");
      })
      .catch(function () { /* the server stopped; try again later */ })
      .then(function () { window.setTimeout(poll, 700); });
  }

  poll();
})();
