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

// Record forms: dictionary drop-downs one can type into, and parent / animal fields that
// find the owner's animals as one types (the plain inputs work without this script).
(function () {
  "use strict";
  if (typeof TomSelect === "undefined") { return; }
  document.querySelectorAll("select[data-searchable]").forEach(function (select) {
    new TomSelect(select, { maxOptions: 500, allowEmptyOption: true });
  });
  document.querySelectorAll("input[data-lookup]").forEach(function (input) {
    var current = input.value;
    new TomSelect(input, {
      maxItems: 1,
      create: true,  // an accession of an animal not (yet) known here may be typed
      createOnBlur: true,
      persist: false,
      valueField: "value",
      labelField: "text",
      searchField: ["text"],
      options: current ? [{ value: current, text: current }] : [],
      items: current ? [current] : [],
      shouldLoad: function () { return true; },
      load: function (query, callback) {
        var select = this;
        var url = input.dataset.lookup + "?" + new URLSearchParams({ q: query, sex: input.dataset.sex || "" });
        fetch(url, { credentials: "same-origin" })
          .then(function (response) { return response.json(); })
          .then(function (data) {
            // The current value was shown by its name alone: describe it as found.
            data.results.forEach(function (found) {
              if (select.options[found.value]) { select.updateOption(found.value, found); }
            });
            callback(data.results);
          })
          .catch(function () { callback(); });
      },
      render: { option_create: function (data, escape) { return '<div class="create">Use “' + escape(data.input) + '”</div>'; } }
    });
  });
})();
