/* coursegen: a choice card's options in a fresh order at each review, the same on both sides.
   The built card lists them in a fixed order, each <li data-cg-option="i"> numbered in it, in
   lists marked data-cg-shuffle="<card>" (the options on the front; the correct answers and the
   notes on the back). The front draws an order and keeps it in sessionStorage, which lasts from
   front to back in every client that has it (Anki 2.1.50 and later, AnkiDroid, AnkiMobile,
   AnkiWeb), whether the back replaces the front's HTML (desktop) or loads a page (AnkiDroid).
   The back, marked by an element of class cg-back before the repeated front, only reads it.
   With no storage, no script or no order drawn for this card, every list keeps the fixed order,
   and the back still names the correct options by their text.
   Anki's template engine reads two braces in a row as a field: none may appear here. */
(function () {
  var KEY = "coursegen-option-order";
  var lists = document.querySelectorAll("[data-cg-shuffle]");
  if (!lists.length) return;
  var card = lists[0].getAttribute("data-cg-shuffle");
  var count = lists[0].children.length;
  var back = document.querySelector(".cg-back") !== null;
  var order;
  try {
    var kept = JSON.parse(sessionStorage.getItem(KEY));
    // A front shown again before its back (a client re-rendering it) keeps its order; a card
    // reviewed again after its back was shown gets a new one.
    if (kept && kept.card === card && isOrder(kept.order, count) && (back || !kept.answered)) {
      order = kept.order;
    } else if (!back) {
      order = draw(count);
    } else {
      return;
    }
    sessionStorage.setItem(KEY, JSON.stringify({ card: card, order: order, answered: back }));
  } catch (e) {
    return; // no storage here (or it is full): the back could not follow, so keep the fixed order
  }
  for (var i = 0; i < lists.length; i++) {
    if (lists[i].getAttribute("data-cg-shuffle") === card) arrange(lists[i], order);
  }

  function draw(n) {
    var result = [];
    for (var k = 0; k < n; k++) result.push(k);
    for (var j = n - 1; j > 0; j--) {
      var r = Math.floor(Math.random() * (j + 1));
      var swap = result[j];
      result[j] = result[r];
      result[r] = swap;
    }
    return result;
  }

  function isOrder(value, n) {
    if (!Array.isArray(value) || value.length !== n) return false;
    var seen = value.slice().sort(function (a, b) { return a - b; });
    return seen.every(function (v, k) { return v === k; });
  }

  // Put a list's items in the drawn order; a list of some options only keeps their relative order.
  function arrange(list, drawn) {
    var items = Array.prototype.slice.call(list.children);
    var rank = function (li) { return drawn.indexOf(Number(li.getAttribute("data-cg-option"))); };
    items.sort(function (a, b) { return rank(a) - rank(b); });
    items.forEach(function (li) { list.appendChild(li); });
  }
})();
