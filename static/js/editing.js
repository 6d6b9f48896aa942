// Who is editing: tell the server every ~20 s that this editor is open, and show
// whoever else it reports. Plain fetch; no websockets needed for a minute-scale notice.
(function () {
  "use strict";

  var box = document.getElementById("editing-now");
  if (!box) return;
  var url = box.dataset.heartbeatUrl;
  var seconds = parseFloat(box.dataset.heartbeatSeconds) || 20;
  var form = document.querySelector("form.editor");
  var tokenInput = form && form.querySelector("input[name=csrfmiddlewaretoken]");
  if (!url || !tokenInput) return;

  function body(extra) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", tokenInput.value);
    if (extra) data.append(extra, "1");
    return data;
  }

  function beat() {
    fetch(url, { method: "POST", body: body(), credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) { if (html !== null) box.innerHTML = html; })
      .catch(function () { /* offline for a moment: the next beat tries again */ });
  }

  beat();
  var timer = setInterval(beat, seconds * 1000);

  // Leaving (save, cancel, closing the tab) clears this editor at once for the others.
  window.addEventListener("pagehide", function () {
    clearInterval(timer);
    if (navigator.sendBeacon) navigator.sendBeacon(url, body("leave"));
  });
})();
