/* 매출 현황: fetch /api/today every few seconds and put the new figures in place.
   Served by the office itself (the CSP allows scripts from 'self' only). */
(function () {
  "use strict";
  var root = document.querySelector("[data-refresh]");
  if (!root || !window.fetch) { return; }
  var url = root.getAttribute("data-refresh");
  var every = (parseInt(root.getAttribute("data-every"), 10) || 30) * 1000;
  var day = root.getAttribute("data-day");

  function apply(data) {
    var cells = root.querySelectorAll("[data-store][data-field]");
    if (data.day !== day || root.querySelectorAll(".store").length !== data.stores.length) {
      window.location.reload();  // a new day or another set of stores: draw the page anew
      return;
    }
    var byStore = {};
    data.stores.forEach(function (s) { byStore[s.store] = s.cells; });
    Array.prototype.forEach.call(cells, function (el) {
      var got = byStore[el.getAttribute("data-store")];
      var text = got && got[el.getAttribute("data-field")];
      if (typeof text === "string" && el.textContent !== text) { el.textContent = text; }
    });
    var stamp = document.getElementById("as-of");
    if (stamp) { stamp.textContent = data.as_of; }
  }

  function tick() {
    window.fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (answer) {
        if (answer.status === 401) { window.location.reload(); return null; }
        return answer.ok ? answer.json() : null;
      })
      .then(function (data) { if (data) { apply(data); } })
      .catch(function () { /* the office is unreachable: keep the last figures, try again */ });
  }

  window.setInterval(tick, every);
}());
