// kb: small behaviours on top of pages that work without JavaScript.
(function () {
  "use strict";

  // Controls that only work with this script (copy buttons, placeholder fields) are
  // hidden by kb.css until it runs.
  document.documentElement.classList.add("js");

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Plain-http intranet sites have no Clipboard API; fall back to a selection.
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = document.execCommand("copy");
      document.body.removeChild(area);
      ok ? resolve() : reject(new Error("copy failed"));
    });
  }

  function flash(button, label) {
    var original = button.dataset.label || button.textContent;
    button.dataset.label = original;
    button.textContent = label;
    button.classList.add("copied");
    clearTimeout(button.kbFlash);
    button.kbFlash = setTimeout(function () { unflash(button); }, 1500);
  }

  // Back to the plain label at once: a copy refused right after one that worked must not
  // still say it copied.
  function unflash(button) {
    clearTimeout(button.kbFlash);
    if (button.dataset.label) button.textContent = button.dataset.label;
    button.classList.remove("copied");
  }

  var lang = document.documentElement.lang || "ja";
  var L = lang.indexOf("ja") === 0
    ? { copy: "コピー", copied: "コピーしました", failed: "コピーできません" }
    : { copy: "Copy", copied: "Copied", failed: "Copy failed" };

  function copyWithFeedback(text, button) {
    copyText(text).then(function () { flash(button, L.copied); }, function () { flash(button, L.failed); });
  }

  // For page scripts (lookup.js): the same clipboard fallback and feedback.
  window.kb = { copy: copyWithFeedback, unflash: unflash };

  function addCopyButtons(root) {
    root.querySelectorAll(".note-body pre").forEach(function (pre) {
      if (pre.querySelector(".copy-button")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-button";
      button.textContent = L.copy;
      button.setAttribute("aria-label", L.copy);
      button.addEventListener("click", function () {
        var code = pre.querySelector("code") || pre;
        copyText(code.innerText.replace(/\n$/, "")).then(
          function () { flash(button, L.copied); },
          function () { flash(button, L.failed); }
        );
      });
      pre.appendChild(button);
    });
  }

  // Anything with data-copy="text" or data-copy-target="#id" copies on click.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy], [data-copy-target]");
    if (!button) return;
    var text = button.dataset.copy;
    if (button.dataset.copyTarget) {
      var target = document.querySelector(button.dataset.copyTarget);
      text = target ? (target.value !== undefined ? target.value : target.textContent) : "";
    }
    copyWithFeedback(text, button);
  });

  // Live queries ([data-live]: search and lookup boxes) wait for the input method:
  // htmx listens for "kb-live", sent on typing but not while kana are being
  // converted, and once when the conversion is committed.
  function liveInput(event) {
    var box = event.target;
    if (!box || !box.matches || !box.matches("[data-live]")) return;
    if (event.type === "compositionstart") {
      box.dataset.composing = "1";
      return;
    }
    if (event.type === "compositionend") {
      delete box.dataset.composing;
    } else if (event.isComposing || box.dataset.composing) {
      return;
    }
    box.dispatchEvent(new CustomEvent("kb-live", { bubbles: true }));
  }
  ["input", "compositionstart", "compositionend"].forEach(function (type) {
    document.addEventListener(type, liveInput, true);
  });

  // "/" focuses the search box from any page, as on GitHub and MDN.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var el = document.activeElement;
    if (el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName))) return;
    var box = document.querySelector("[data-search-box]");
    if (box) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });

  // A note saved from the editor (editor.js marked the submit): its draft is no
  // longer needed once the page the save lands on says it was saved.
  function clearSavedDraft() {
    var key = sessionStorage.getItem("kb-draft-submitted");
    if (!key || document.querySelector("form[data-draft-key]")) return;
    sessionStorage.removeItem("kb-draft-submitted");
    if (document.querySelector(".messages .success")) localStorage.removeItem(key);
  }

  // Logging out ends this browser's drafts too: on a shared machine the next person
  // could read them in the browser's storage. Unsaved drafts are named first.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-logout]")) return;
    var keys = Object.keys(localStorage).filter(function (k) { return k.indexOf("kb-draft:") === 0; });
    if (keys.length && !window.confirm(form.dataset.draftsWarning.replace("{count}", keys.length))) {
      event.preventDefault();
      return;
    }
    keys.forEach(function (k) { localStorage.removeItem(k); });
    // Asked once already: the editor's "leave this page?" would ask the same again.
    if (keys.length) document.documentElement.dataset.leaving = "1";
  });

  // Back and Forward after typing in a live box: htmx restores the page as it was saved,
  // but what was typed is not in the saved HTML, so the box came back empty beside the
  // results for the query in the address. Put the address's query back in the box.
  document.addEventListener("htmx:historyRestore", function () {
    var params = new URLSearchParams(location.search);
    document.querySelectorAll("input[hx-push-url][name]").forEach(function (input) {
      input.value = params.get(input.name) || "";
    });
  });

  document.addEventListener("DOMContentLoaded", function () {
    addCopyButtons(document);
    clearSavedDraft();
  });
  document.addEventListener("htmx:afterSwap", function (event) { addCopyButtons(event.target); });
})();
