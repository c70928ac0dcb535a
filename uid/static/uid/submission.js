// Live state of one submission over its websocket (ws/submissions/<id>/).
// The server pushes {type: "state", status, status_label, counts, task} (the records'
// status and the current task, side by side) and {type: "task", task} (a running task's
// progress). The bar and the text under it come from the same task, so they move together.
(function () {
  "use strict";
  const live = document.getElementById("live");
  if (!live) return;
  const id = live.dataset.submission;
  const bar = document.getElementById("progress-bar");
  const message = document.getElementById("message");
  const statusBadge = document.querySelector("#status .status-badge");
  const statusColours = {need_revision: "danger", completed: "success", ready: "success", loaded: "primary"};
  let retries = 0;
  // Tasks seen ended: a late progress notice of one never shows it running again.
  const ended = new Set();
  // Tasks whose end changes much of the page (results, counts, charts): once one that this
  // page watched running has ended, the page is read again.
  const rereadAfter = new Set(["validate", "batch", "submit"]);
  const watched = new Set();
  if (live.dataset.active && live.dataset.taskId) watched.add(Number(live.dataset.taskId));

  function setBar(percent, text, running, failed) {
    bar.classList.remove("progress-start", "progress-full");
    bar.style.width = (percent === null ? (running ? 5 : 100) : Math.max(2, Math.min(100, percent))) + "%";
    bar.textContent = text;
    bar.classList.toggle("progress-bar-striped", running);
    bar.classList.toggle("progress-bar-animated", running);
    bar.classList.toggle("bg-danger", failed);
  }

  function taskBadge(task) {
    const badge = document.createElement("span");
    const failed = task.state === "failed" || task.state === "interrupted";
    const colour = failed ? "danger" : (task.active ? "warning" : (task.state === "succeeded" ? "light" : "secondary"));
    badge.className = "badge task-badge text-bg-" + colour;
    badge.dataset.testid = "task-badge";
    badge.textContent = task.kind_label + ": " + task.state_label.toLowerCase();
    return badge;
  }

  function renderTask(task) {
    if (!task || (task.active && ended.has(task.id))) return;
    if (!task.active) ended.add(task.id);
    const failed = task.state === "failed" || task.state === "interrupted";
    live.dataset.active = task.active ? "1" : "";
    live.dataset.taskState = task.state;
    document.getElementById("task-title").textContent = task.kind_label;
    document.getElementById("task-state").replaceChildren(taskBadge(task));
    const label = task.active ? (task.percent === null ? "" : task.percent + "%") : task.state_label;
    setBar(task.active ? task.percent : 100, label, task.active, failed);
    message.textContent = task.message || "—";
    message.className = "message-text mb-0" + (failed ? " alert alert-danger" : "");
    const problems = document.getElementById("problems-link");
    const total = (task.result || {}).problems_total || 0;
    problems.classList.toggle("d-none", !task.problems_url);
    if (task.problems_url) {
      problems.href = task.problems_url;
      problems.textContent = "Download all " + total.toLocaleString("en") + " problem" +
        (total === 1 ? "" : "s") + " as a spreadsheet (CSV): row, line, column, value and problem";
    }
    // As the server writes times: "2026-12-05 10:56", in the site's time zone.
    document.getElementById("task-when").textContent = task.active || !task.finished_at ? "" :
      "ended " + task.finished_at.slice(0, 16).replace("T", " ");
  }

  // What the curator can do next, as the page would render it for this task.
  function showActions(task) {
    const failed = task && (task.state === "failed" || task.state === "interrupted");
    const words = failed ? (task.result || {}).unknown_species_words || [] : [];
    const retry = failed && task.retryable && task.kind === "import" && !words.length;
    document.getElementById("action-retry").classList.toggle("d-none", !retry);
    document.getElementById("actions-idle").classList.toggle("d-none", Boolean(task && task.active));
    document.getElementById("actions-busy").classList.toggle("d-none", !(task && task.active));
    const reload = document.getElementById("reload-button");
    reload.classList.toggle("btn-primary", Boolean(failed && !task.retryable));
    reload.classList.toggle("btn-outline-primary", !(failed && !task.retryable));
    document.getElementById("unknown-words").classList.toggle("d-none", !words.length);
    document.getElementById("unknown-words-list").textContent = words.join(", ");
    // Once records are in (an import ended), they can be validated and worked on.
    const loaded = ["loaded", "ready", "need_revision"].indexOf(live.dataset.status) >= 0;
    const validate = document.getElementById("action-validate");
    if (validate) validate.classList.toggle("d-none", !loaded);
    const records = document.getElementById("action-records");
    if (records && live.dataset.status !== "empty") records.classList.remove("d-none");
  }

  // The file being imported gets its outcome when the import ends, as a reload would show.
  function settleFiles(task) {
    // A file's note that says what the task says already is not said twice.
    if (task && !task.active) {
      document.querySelectorAll("[data-file-message]").forEach(function (note) {
        if (note.dataset.fileMessage === task.message) note.remove();
      });
    }
    const importing = document.querySelectorAll("[data-importing-file]");
    if (!task || task.kind !== "import" || task.active || !importing.length) return;
    const loaded = task.state === "succeeded";
    if (loaded) {
      document.querySelectorAll("[data-testid=records-file]").forEach(function (earlier) {
        earlier.className = "badge text-bg-light";
        earlier.textContent = "replaced";
        earlier.removeAttribute("data-testid");
      });
    }
    importing.forEach(function (badge) {
      badge.removeAttribute("data-importing-file");
      if (loaded) {
        badge.className = "badge text-bg-success";
        badge.textContent = "the records came from this file";
        badge.dataset.testid = "records-file";
      } else {
        badge.className = "badge text-bg-danger";
        badge.textContent = "import failed";
      }
    });
  }

  function onState(event) {
    if (event.task && event.task.active && ended.has(event.task.id)) event.task = null;
    if (event.task && event.task.active) watched.add(event.task.id);
    if (event.task && !event.task.active && watched.has(event.task.id) && rereadAfter.has(event.task.kind)) {
      location.reload();
      return;
    }
    live.dataset.status = event.status;
    statusBadge.textContent = event.status_label;
    statusBadge.className = "badge status-badge text-bg-" + (statusColours[event.status] || "secondary");
    const counts = event.counts || {};
    if (counts.animals !== undefined) document.getElementById("count-animals").textContent = counts.animals.toLocaleString("en");
    if (counts.samples !== undefined) document.getElementById("count-samples").textContent = counts.samples.toLocaleString("en");
    renderTask(event.task);
    showActions(event.task);
    settleFiles(event.task);
    // A notice of the page's last request (such as "the import has started") is history now.
    if (event.task && !event.task.active) {
      document.querySelectorAll("[data-flash=info]").forEach(function (flash) { flash.remove(); });
    }
  }

  function onTask(event) {
    if (event.task.active) watched.add(event.task.id);
    if (event.task.active) renderTask(event.task);
  }

  // As rendered: a running task's bar stands where the server last saw it.
  if (live.dataset.active && bar.dataset.percent !== "") {
    bar.style.width = Math.max(2, Number(bar.dataset.percent)) + "%";
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(scheme + location.host + "/ws/submissions/" + id + "/");
    socket.onopen = function () { retries = 0; live.dataset.socket = "open"; };
    socket.onmessage = function (msg) {
      const event = JSON.parse(msg.data);
      if (event.type === "state") onState(event);
      else if (event.type === "task") onTask(event);
    };
    socket.onclose = function () {
      live.dataset.socket = "closed";
      // Reconnect with back-off while work is going on; a closed socket loses no state,
      // the server sends the current state on connect.
      if (live.dataset.active && retries < 10) {
        retries += 1;
        setTimeout(connect, 500 * retries);
      }
    };
  }
  connect();
})();
