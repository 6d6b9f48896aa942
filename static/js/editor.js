// Note editor: nothing typed is lost, and images upload from a button, a paste or a drop.
//
// - Every change is kept as a draft in localStorage, per user and note
//   (form[data-draft-key]); opening the editor again offers to restore it.
// - Leaving the page with unsaved changes asks first (beforeunload).
// - After a successful save the draft is cleared (kb.js, on the page the save lands on).
// - Uploads go through our own request so a refusal shows the server's reason
//   above the editor; django-markdownx would write "Invalid response" into the body.
(function () {
  "use strict";

  var form = document.querySelector("form[data-draft-key]");
  if (!form) return;
  var KEY = "kb-draft:" + form.dataset.draftKey;
  var FIELDS = ["title", "body", "tags", "message"];
  var body = form.elements.body;
  var dirty = false;
  var submitting = false;
  var timer = null;

  // The page a save lands on clears the draft only if this form was submitted
  // and did not come back (an error or a conflict brings the editor back).
  sessionStorage.removeItem("kb-draft-submitted");

  function current() {
    var out = {};
    FIELDS.forEach(function (name) {
      if (form.elements[name]) out[name] = form.elements[name].value;
    });
    return out;
  }

  function same(a, b) {
    return FIELDS.every(function (name) { return (a[name] || "") === (b[name] || ""); });
  }

  var initial = current();

  function read() {
    try {
      return JSON.parse(localStorage.getItem(KEY) || "null");
    } catch (e) {
      return null;
    }
  }

  function keep() {
    var values = current();
    dirty = !same(values, initial);
    if (!dirty) {
      localStorage.removeItem(KEY);
      return;
    }
    values.savedAt = new Date().toISOString();
    // The revision the text was typed on: restored with the draft, so saving it after
    // someone else's save goes through the conflict page instead of over their text.
    if (form.elements.base_revision) values.base = form.elements.base_revision.value;
    try {
      localStorage.setItem(KEY, JSON.stringify(values));
    } catch (e) {
      // Storage full or disabled: the beforeunload warning still guards the text.
    }
  }

  // Cancel means "throw this typing away": once the page is really left (the browser's
  // leave question answered yes), the draft goes too. Typing again takes that back.
  var cancelled = false;
  var cancel = document.querySelector("[data-draft-cancel]");
  if (cancel) cancel.addEventListener("click", function () { cancelled = true; });
  window.addEventListener("pagehide", function () {
    if (cancelled) localStorage.removeItem(KEY);
  });

  form.addEventListener("input", function () {
    cancelled = false;
    dirty = !same(current(), initial);
    clearTimeout(timer);
    timer = setTimeout(keep, 400);
  });

  form.addEventListener("submit", function () {
    submitting = true;
    clearTimeout(timer);
    keep();  // if the save fails for any reason, the draft is still there
    sessionStorage.setItem("kb-draft-submitted", KEY);
  });

  window.addEventListener("beforeunload", function (event) {
    if (!dirty || submitting || document.documentElement.dataset.leaving) return;
    event.preventDefault();
    event.returnValue = "";  // older browsers need a value to ask
  });

  // Offer a draft left from an earlier visit.
  var offer = document.querySelector("[data-draft-offer]");
  var draft = read();
  if (offer && draft && !same(draft, initial)) {
    var when = offer.querySelector("[data-draft-time]");
    if (when && draft.savedAt) {
      when.dateTime = draft.savedAt;
      when.textContent = new Date(draft.savedAt).toLocaleString(document.documentElement.lang || undefined);
    }
    offer.hidden = false;
    offer.querySelector("[data-draft-restore]").addEventListener("click", function () {
      FIELDS.forEach(function (name) {
        if (form.elements[name] && draft[name] !== undefined) form.elements[name].value = draft[name];
      });
      if (draft.base && form.elements.base_revision) form.elements.base_revision.value = draft.base;
      offer.hidden = true;
      dirty = true;
      if (body) body.dispatchEvent(new Event("input", { bubbles: true }));  // refresh the preview
      if (body) body.focus();
    });
    offer.querySelector("[data-draft-discard]").addEventListener("click", function () {
      localStorage.removeItem(KEY);
      offer.hidden = true;
    });
  }

  // Uploads ------------------------------------------------------------------

  var status = document.querySelector("[data-upload-status]");
  var picker = document.querySelector("[data-upload-input]");
  var pick = document.querySelector("[data-upload-button]");

  function say(text, isError) {
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("error", !!isError);
    status.hidden = !text;
  }

  // Until the writer puts the caret somewhere, an image goes at the end of the body, not
  // before its first line (a textarea's caret starts at 0). Focus alone says nothing: the
  // page may focus the body itself.
  var placed = false;
  ["mousedown", "keydown", "touchstart"].forEach(function (type) {
    body.addEventListener(type, function () { placed = true; });
  });

  function insert(text) {
    if (!placed) {
      var end = body.value.length;
      body.setSelectionRange(end, end);
      if (end && body.value.charAt(end - 1) !== "\n") text = "\n" + text;
    }
    body.focus();
    body.setRangeText(text, body.selectionStart, body.selectionEnd, "end");
    body.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function reasons(data) {
    var out = [];
    Object.keys(data || {}).forEach(function (key) {
      [].concat(data[key]).forEach(function (m) {
        out.push(typeof m === "string" ? m : m && m.message ? m.message : String(m));
      });
    });
    return out.join(" ");
  }

  function upload(file) {
    var url = body.getAttribute("data-markdownx-upload-urls-path");
    var data = new FormData();
    data.append("image", file);
    say(status.dataset.uploading + " " + file.name, false);
    fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: {
        "X-CSRFToken": form.elements.csrfmiddlewaretoken.value,
        "X-Requested-With": "XMLHttpRequest",
      },
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      var parsed = type.indexOf("application/json") === 0 ? response.json() : Promise.resolve(null);
      return parsed.then(function (json) {
        if (response.ok && json && json.image_code) {
          insert(json.image_code);
          say("", false);
          return;
        }
        var why = json ? reasons(json) : "";
        say(status.dataset.failed + " " + file.name + ": " + (why || "HTTP " + response.status), true);
      });
    }, function () {
      say(status.dataset.failed + " " + file.name + ": " + status.dataset.offline, true);
    });
  }

  function filesOf(transfer) {
    return transfer && transfer.files ? Array.prototype.slice.call(transfer.files) : [];
  }

  // Capture on the document runs before markdownx's own handlers on the textarea.
  document.addEventListener("paste", function (event) {
    if (event.target !== body) return;
    var files = filesOf(event.clipboardData);
    if (!files.length) return;
    event.preventDefault();
    event.stopPropagation();
    files.forEach(upload);
  }, true);

  document.addEventListener("drop", function (event) {
    if (event.target !== body) return;
    var files = filesOf(event.dataTransfer);
    if (!files.length) return;
    event.preventDefault();
    event.stopPropagation();
    files.forEach(upload);
  }, true);

  if (pick && picker && body) {
    pick.hidden = false;
    pick.addEventListener("click", function () { picker.click(); });
    picker.addEventListener("change", function () {
      filesOf(picker).forEach(upload);
      picker.value = "";
    });
  }
})();
