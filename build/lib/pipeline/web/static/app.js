/* Plenary web app: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  function each(selector, fn) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), fn);
  }

  function listFiles(zone, input) {
    var list = zone.querySelector("[data-chosen]");
    if (!list) return;
    var form = zone.closest("form");
    var limit = form ? parseInt(form.getAttribute("data-max-bytes") || "0", 10) : 0;
    list.textContent = "";
    Array.prototype.forEach.call(input.files, function (file) {
      var item = document.createElement("li");
      var size = file.size >= 1048576 ? (file.size / 1048576).toFixed(1) + " MB" : Math.max(1, Math.round(file.size / 1024)) + " kB";
      item.textContent = file.name + " (" + size + ")";
      if (limit && file.size > limit) {
        item.className = "bad";
        item.textContent += " — over the size limit; the server will refuse it";
      }
      list.appendChild(item);
    });
  }

  // Drag and drop onto the upload area fills the ordinary file input, then the form submits as usual.
  each("[data-dropzone]", function (zone) {
    var input = zone.querySelector("input[type=file]");
    if (!input) return;
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (e) {
      e.preventDefault();
      if (e.dataTransfer && e.dataTransfer.files.length) {
        input.files = e.dataTransfer.files;
        listFiles(zone, input);
      }
    });
    input.addEventListener("change", function () { listFiles(zone, input); });
  });

  // Live progress of a run: poll its status until it finishes, then reload to show the results.
  each("[data-run-status]", function (card) {
    var state = card.getAttribute("data-run-state");
    if (state !== "queued" && state !== "running") return;
    var url = card.getAttribute("data-run-status");
    var bar = card.querySelector("[data-run-progress]");
    var message = card.querySelector("[data-run-message]");
    var pct = card.querySelector("[data-run-percent]");
    function poll() {
      fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (s) {
          if (!s) { setTimeout(poll, 3000); return; }
          if (bar) bar.value = s.percent;
          if (pct) pct.textContent = s.percent + "%";
          if (message) message.textContent = s.message;
          if (s.status === "done" || s.status === "failed") { window.location.reload(); return; }
          setTimeout(poll, 1000);
        })
        .catch(function () { setTimeout(poll, 3000); });
    }
    setTimeout(poll, 700);
  });

  // Forms that remove something ask first.
  each("form[data-confirm]", function (form) {
    form.addEventListener("submit", function (e) {
      if (!window.confirm(form.getAttribute("data-confirm"))) e.preventDefault();
    });
  });

  // Filters apply as soon as a choice changes.
  each("form[data-autosubmit] select, select[data-autosubmit-select]", function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  each("[data-back]", function (link) {
    link.addEventListener("click", function (e) {
      if (window.history.length > 1) { e.preventDefault(); window.history.back(); }
    });
  });

  // A plan edit box grows with its text.
  each(".rec-edit textarea", function (area) {
    function fit() { area.style.height = "auto"; area.style.height = (area.scrollHeight + 2) + "px"; }
    area.addEventListener("input", fit);
    fit();
  });
})();
