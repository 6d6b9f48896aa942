// Lookup results: placeholder fields fill the command as you type; kb.js's
// [data-copy-target] handler then copies the filled command.
(function () {
  "use strict";

  function fill(entry) {
    var segments;
    try {
      segments = JSON.parse(entry.dataset.segments || "[]");
    } catch (e) {
      return;
    }
    var values = {};
    entry.querySelectorAll("[data-ph]").forEach(function (input) {
      values[input.dataset.ph] = input.value;
    });
    var text = segments.map(function (s) {
      if (s.kind === "text") return s.text;
      var v = values[s.raw];
      if (s.kind === "choice") return v || s.text;
      return v ? v : s.raw;
    }).join("");
    var code = entry.querySelector("[data-command]");
    if (code) code.textContent = text;
  }

  function onChange(event) {
    var input = event.target.closest("[data-ph]");
    if (!input) return;
    var entry = input.closest("[data-entry]");
    if (entry) fill(entry);
  }

  document.addEventListener("input", onChange);
  document.addEventListener("change", onChange);
})();
