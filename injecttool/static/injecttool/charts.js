// Charts of records (Chart.js, vendored): by status, by species, by breed. Each
// <canvas data-chart="ID"> reads its numbers from the JSON element ID (json_script); with
// data-animals-url / data-samples-url, a click on a bar opens those records' table.
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  var STATUS_COLOURS = {
    loaded: "#6c757d", need_revision: "#dc3545", ready: "#198754",
    submitted: "#0dcaf0", completed: "#0d6efd"
  };
  var PALETTE = ["#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#20c997", "#d63384",
    "#ffc107", "#0dcaf0", "#6610f2", "#adb5bd", "#795548", "#343a40"];
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.animation = false;

  function open(url, name, value) {
    if (!url) { return; }
    window.location.href = url + "?" + new URLSearchParams([[name, value]]).toString();
  }

  function statusChart(canvas, data) {
    return new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { label: "Animals", data: data.animals, backgroundColor: data.values.map(function (v) { return STATUS_COLOURS[v] || "#6c757d"; }) },
          { label: "Samples", data: data.samples, backgroundColor: data.values.map(function (v) { return (STATUS_COLOURS[v] || "#6c757d") + "99"; }) }
        ]
      },
      options: {
        maintainAspectRatio: false,
        plugins: { legend: { display: false }, tooltip: { callbacks: {
          label: function (item) { return item.dataset.label + ": " + item.parsed.y.toLocaleString("en"); } } } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        onClick: function (event, items) {
          if (!items.length) { return; }
          var item = items[0];
          var url = item.datasetIndex === 0 ? canvas.dataset.animalsUrl : canvas.dataset.samplesUrl;
          open(url, "status", data.values[item.index]);
        }
      }
    });
  }

  function countChart(canvas, data, filter) {
    var horizontal = canvas.dataset.horizontal !== undefined;
    return new Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: [{ label: "Animals", data: data.counts, backgroundColor: PALETTE }] },
      options: {
        indexAxis: horizontal ? "y" : "x",
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
        onClick: function (event, items) {
          if (!items.length) { return; }
          var label = data.labels[items[0].index];
          if (canvas.dataset.otherLabel && label === canvas.dataset.otherLabel) { return; }
          open(canvas.dataset.animalsUrl, filter, label);
        }
      }
    });
  }

  // The last validation's results: a stacked bar each for animals and samples.
  function validationChart(canvas, counts) {
    var kinds = ["animals", "samples"];
    var results = [["Pass", "#198754"], ["Warning", "#ffc107"], ["Error", "#dc3545"]];
    return new Chart(canvas, {
      type: "bar",
      data: {
        labels: ["Animals", "Samples"],
        datasets: results.map(function (pair) {
          return { label: pair[0], backgroundColor: pair[1],
                   data: kinds.map(function (kind) { return (counts[kind] || {})[pair[0]] || 0; }) };
        })
      },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true } },
        plugins: { legend: { position: "bottom" } },
        onClick: function (event, items) {
          if (!items.length) { return; }
          var item = items[0];
          var url = item.index === 0 ? canvas.dataset.animalsUrl : canvas.dataset.samplesUrl;
          open(url, "validation", results[item.datasetIndex][0]);
        }
      }
    });
  }

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) { return; }
    var all = JSON.parse(source.textContent);
    var which = canvas.dataset.series;
    if (which === "status") { statusChart(canvas, all.status); }
    else if (which === "validation") { validationChart(canvas, all); }
    else { countChart(canvas, all[which], which); }
  });
})();
