// Record tables and batch changes: "tick all on this page", and a field choice that
// shows its value input at once (the page works without this script, one click more).
(function () {
  "use strict";
  document.querySelectorAll("[data-submit-on-change]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.requestSubmit(); });
  });
  var all = document.querySelector("[data-tick-all]");
  var boxes = function () { return document.querySelectorAll("input[name=ids]"); };
  var counter = document.querySelector("[data-ticked]");
  var count = function () {
    var n = Array.prototype.filter.call(boxes(), function (b) { return b.checked; }).length;
    if (counter) { counter.textContent = n.toLocaleString("en"); }
    var ticked = document.getElementById("scope-ticked");
    if (ticked && n > 0) { ticked.checked = true; }
  };
  if (all) {
    all.addEventListener("change", function () {
      boxes().forEach(function (b) { b.checked = all.checked; });
      count();
    });
  }
  boxes().forEach(function (b) { b.addEventListener("change", count); });
  count();
})();
