// Upload forms (form[data-upload-progress]): send the file with a progress bar, so that a
// curator sees a large file travel instead of a page that seems to hang. Without
// JavaScript the form posts as usual.
(function () {
  "use strict";

  function megabytes(bytes) {
    return (bytes / 1048576).toLocaleString(undefined, {maximumFractionDigits: 1}) + " MB";
  }

  function start(form, event) {
    const status = form.querySelector("[data-upload-status]");
    if (!status || !window.FormData) return;
    event.preventDefault();
    const bar = status.querySelector(".progress-bar");
    const label = status.querySelector("[data-upload-text]");
    const button = form.querySelector("button[type=submit]");
    const show = function (percent, text, failed) {
      status.classList.remove("d-none");
      status.dataset.percent = percent;
      bar.style.width = Math.max(2, percent) + "%";
      label.textContent = text;
      label.classList.toggle("text-danger", !!failed);
      bar.classList.toggle("bg-danger", !!failed);
      bar.classList.toggle("progress-bar-animated", !failed);
    };
    const failed = function (text) {
      button.disabled = false;
      show(100, text, true);
    };

    const request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.setRequestHeader("X-Upload-Progress", "1");
    request.upload.onprogress = function (e) {
      if (!e.lengthComputable) return;
      const percent = Math.floor(100 * e.loaded / e.total);
      show(percent, "Uploading: " + percent + " % of " + megabytes(e.total));
    };
    request.upload.onload = function () { show(100, "Uploaded; starting the import…"); };
    request.onload = function () {
      const type = request.getResponseHeader("Content-Type") || "";
      if (request.status === 200 && type.indexOf("application/json") === 0) {
        window.location.assign(JSON.parse(request.responseText).redirect);
      } else if (request.status === 200) {
        // The form again, saying what is wrong: show the page as the server wrote it.
        document.open();
        document.write(request.responseText);
        document.close();
      } else if (request.status === 413) {
        failed("The file is larger than this InjectTool accepts.");
      } else {
        failed("The upload failed (the server answered " + request.status + "): try again.");
      }
    };
    request.onerror = function () { failed("The upload failed (is the connection lost?): try again."); };
    button.disabled = true;
    show(0, "Uploading…");
    request.send(new FormData(form));
  }

  document.querySelectorAll("form[data-upload-progress]").forEach(function (form) {
    form.addEventListener("submit", function (event) { start(form, event); });
  });
})();
