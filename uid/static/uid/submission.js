// Live status of one submission over its websocket (ws/submissions/<id>/).
// The server pushes {type: "status" | "progress" | "message", ...}; the page never reloads.
(function () {
  "use strict";
  const live = document.getElementById("live");
  if (!live) return;
  const id = live.dataset.submission;
  const bar = document.getElementById("progress-bar");
  const message = document.getElementById("message");
  const badge = document.querySelector("#status .status-badge");
  const final = new Set(["loaded", "error", "need_revision", "ready", "submitted", "completed"]);
  const colours = {error: "danger", need_revision: "danger", waiting: "warning", completed: "success",
                   ready: "success", loaded: "primary"};
  let retries = 0;

  function setBar(percent, text, running) {
    bar.style.width = Math.max(2, Math.min(100, percent)) + "%";
    bar.textContent = text;
    bar.classList.toggle("progress-bar-striped", running);
    bar.classList.toggle("progress-bar-animated", running);
  }

  // What the curator can do next, as the page would render it for this status.
  function showActions(status, counts) {
    const words = (counts || {}).unknown_species_words || [];
    document.getElementById("action-retry").classList.toggle("d-none", status !== "error");
    document.getElementById("actions-idle").classList.toggle("d-none", !final.has(status));
    document.getElementById("unknown-words").classList.toggle("d-none", !(status === "error" && words.length));
    document.getElementById("unknown-words-list").textContent = words.join(", ");
  }

  // The file being imported gets its outcome when the import ends, as a reload would show.
  function settleFiles(status) {
    const importing = document.querySelectorAll("[data-importing-file]");
    if (!importing.length || (status !== "loaded" && status !== "error")) return;
    if (status === "loaded") {
      document.querySelectorAll("[data-testid=records-file]").forEach(function (earlier) {
        earlier.className = "badge text-bg-light";
        earlier.textContent = "replaced";
        earlier.removeAttribute("data-testid");
      });
    }
    importing.forEach(function (badge) {
      badge.removeAttribute("data-importing-file");
      if (status === "loaded") {
        badge.className = "badge text-bg-success";
        badge.textContent = "the records came from this file";
        badge.dataset.testid = "records-file";
      } else {
        badge.className = "badge text-bg-danger";
        badge.textContent = "import failed";
      }
    });
  }

  function onStatus(event) {
    live.dataset.status = event.status;
    badge.textContent = event.status_label;
    badge.className = "badge status-badge text-bg-" + (colours[event.status] || "secondary");
    message.textContent = event.message || "—";
    message.className = "alert message-text " + (event.status === "error" ? "alert-danger" : "alert-light");
    showActions(event.status, event.counts);
    settleFiles(event.status);
    if (final.has(event.status)) {
      setBar(100, event.status_label, false);
      bar.classList.toggle("bg-danger", event.status === "error");
      const counts = event.counts || {};
      if (counts.animals !== undefined) document.getElementById("count-animals").textContent = counts.animals.toLocaleString();
      if (counts.samples !== undefined) document.getElementById("count-samples").textContent = counts.samples.toLocaleString();
    } else {
      setBar(5, "Processing…", true);
    }
  }

  function onProgress(event) {
    if (event.stage === "parse") {
      setBar(5 + Math.min(45, Math.log10(event.done + 1) * 8), "Reading: " + event.done.toLocaleString() + " rows", true);
    } else if (event.total) {
      setBar(50 + 50 * event.done / event.total, "Loading: " + event.done.toLocaleString() + " / " + event.total.toLocaleString(), true);
    }
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(scheme + location.host + "/ws/submissions/" + id + "/");
    socket.onopen = function () { retries = 0; live.dataset.socket = "open"; };
    socket.onmessage = function (msg) {
      const event = JSON.parse(msg.data);
      if (event.type === "status") onStatus(event);
      else if (event.type === "progress") onProgress(event);
      else if (event.type === "message") message.textContent = event.text;
    };
    socket.onclose = function () {
      live.dataset.socket = "closed";
      // Reconnect with back-off while work is going on; a closed socket loses no state,
      // the server sends the current status on connect.
      if (!final.has(live.dataset.status) && retries < 10) {
        retries += 1;
        setTimeout(connect, 500 * retries);
      }
    };
  }
  connect();
})();
