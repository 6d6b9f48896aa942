// Lookup results: placeholder fields fill the command as you type, and Copy
// puts exactly that command on the clipboard, each value shell-quoted where it
// stands (lookup/placeholders.py has the same rules and their tests). A field
// left empty blocks the copy: a template's {{name|id}} pasted into bash is a pipe.
(function () {
  "use strict";

  var SAFE = /^[A-Za-z0-9_@%+=:,.\/-]+$/;

  function quote(value, where) {
    if (where === "'") return value.replace(/'/g, "'\\''");
    // ! in "…" is history expansion for an interactive bash or zsh: out of the quotes for it.
    if (where === '"') return value.replace(/([\\"$`])/g, "\\$1").replace(/!/g, "\"'!'\"");
    if (SAFE.test(value)) return value;
    return "'" + value.replace(/'/g, "'\\''") + "'";
  }

  // What an empty field reads as: tldr's {{name|id}} as <name/id>, others as written.
  function label(s) {
    return s.raw.indexOf("{{") === 0 ? "<" + s.text.replace(/\|/g, "/") + ">" : s.raw;
  }

  function segmentsOf(entry) {
    try {
      return JSON.parse(entry.dataset.segments || "[]");
    } catch (e) {
      return [];
    }
  }

  function valuesOf(entry) {
    var values = {};
    entry.querySelectorAll("[data-ph]").forEach(function (input) {
      values[input.dataset.ph] = input.value;
    });
    return values;
  }

  // The command and the fields still empty.
  function build(entry) {
    var values = valuesOf(entry);
    var missing = [];
    var text = segmentsOf(entry).map(function (s) {
      if (s.kind === "text") return s.text;
      var v = values[s.raw];
      if (s.kind === "choice") return s.choices.indexOf(v) >= 0 ? v : s.text;
      if (!v) {
        if (missing.indexOf(s.raw) < 0) missing.push(s.raw);
        return label(s);
      }
      // A field for several values (tldr's "file1 file2 ...", lookup/placeholders.many):
      // each word is an argument.
      if (s.many) {
        return v.split(/\s+/).filter(Boolean).map(function (w) { return quote(w, ""); }).join(" ");
      }
      return quote(v, s.quote || "");
    }).join("");
    return { text: text, missing: missing };
  }

  function show(entry) {
    var code = entry.querySelector("[data-command]");
    if (code) code.textContent = build(entry).text;
    var note = entry.querySelector("[data-missing]");
    if (note && !build(entry).missing.length) note.hidden = true;
    entry.querySelectorAll("[data-ph]").forEach(function (input) {
      if (input.value) input.removeAttribute("aria-invalid");
    });
  }

  function onChange(event) {
    var input = event.target.closest && event.target.closest("[data-ph]");
    if (!input) return;
    var entry = input.closest("[data-entry]");
    if (entry) show(entry);
  }

  function onCopy(event) {
    var button = event.target.closest && event.target.closest("[data-copy-command]");
    if (!button) return;
    var entry = button.closest("[data-entry]");
    if (!entry) return;
    var built = build(entry);
    var note = entry.querySelector("[data-missing]");
    if (built.missing.length) {
      window.kb.unflash(button);
      var inputs = built.missing.map(function (raw) {
        return entry.querySelector('[data-ph="' + CSS.escape(raw) + '"]');
      }).filter(Boolean);
      inputs.forEach(function (input) { input.setAttribute("aria-invalid", "true"); });
      if (note) {
        var names = inputs.map(function (input) { return input.placeholder; });
        note.textContent = note.dataset.missing + " " + names.join(", ");
        note.hidden = false;
      }
      if (inputs[0]) inputs[0].focus();
      return;
    }
    if (note) note.hidden = true;
    window.kb.copy(built.text, button);
  }

  document.addEventListener("input", onChange);
  document.addEventListener("change", onChange);
  document.addEventListener("click", onCopy);
})();
