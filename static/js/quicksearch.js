// Header search box: results drop down as you type (from /api/search), arrow
// keys move through them, Enter opens one, and the last entry is all results.
// Without JavaScript the box is a plain form to /search/.
(function () {
  "use strict";

  var form = document.querySelector("form[data-quicksearch]");
  if (!form) return;
  var box = form.querySelector("input[name=q]");
  var list = document.getElementById(box.getAttribute("aria-controls"));
  var LIMIT = 8;
  var MAX_CHARS = 500;  // what /api/search accepts (search.forms.Q_MAX); a pasted log is cut, as /search/ cuts it
  var seq = 0;
  var active = -1;
  var timer = null;

  function options() {
    return Array.prototype.slice.call(list.querySelectorAll("[role=option]"));
  }

  function open() {
    if (!list.children.length) return;
    list.hidden = false;
    box.setAttribute("aria-expanded", "true");
  }

  function close() {
    list.hidden = true;
    box.setAttribute("aria-expanded", "false");
    box.removeAttribute("aria-activedescendant");
    select(-1);
  }

  function select(i) {
    var items = options();
    active = i;
    items.forEach(function (item, k) { item.setAttribute("aria-selected", k === i ? "true" : "false"); });
    if (i >= 0 && items[i]) {
      box.setAttribute("aria-activedescendant", items[i].id);
      items[i].scrollIntoView({ block: "nearest" });
    } else {
      box.removeAttribute("aria-activedescendant");
    }
  }

  function option(id, href, text, className) {
    var li = document.createElement("li");
    li.id = id;
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", "false");
    if (className) li.className = className;
    var a = document.createElement("a");
    a.href = href;
    a.tabIndex = -1;
    a.textContent = text;
    li.appendChild(a);
    return li;
  }

  function render(q, data) {
    list.textContent = "";
    (data.results || []).forEach(function (hit, i) {
      list.appendChild(option("quicksearch-" + i, hit.url, hit.title));
    });
    if (!(data.results || []).length) {
      var none = document.createElement("li");
      none.className = "none";
      none.textContent = form.dataset.none;
      list.appendChild(none);
    }
    if ((data.results || []).length) {
      var all = form.action + "?" + new URLSearchParams({ q: q }).toString();
      var label = form.dataset.all + (data.count ? " (" + data.count + ")" : "") + " →";
      list.appendChild(option("quicksearch-all", all, label, "all"));
    } else if (form.dataset.lookup) {
      // No note says it: the lookup may still know a command that does it.
      var lookup = form.dataset.lookup + "?" + new URLSearchParams({ q: q }).toString();
      list.appendChild(option("quicksearch-all", lookup, form.dataset.lookupLabel + " →", "all"));
    }
    select(-1);
    open();
  }

  function query() {
    var q = box.value.trim().slice(0, MAX_CHARS).trim();
    var mine = ++seq;
    if (!q) {
      list.textContent = "";
      close();
      return;
    }
    var url = form.dataset.quicksearch + "?" + new URLSearchParams({ q: q, limit: LIMIT }).toString();
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (mine !== seq) return;  // answers to older keystrokes are dropped
        if (data) {
          render(q, data);
        } else {
          // No answer for what is typed now: the last one's hits must not stay to be picked.
          list.textContent = "";
          close();
        }
      }, function () {
        if (mine === seq) {
          list.textContent = "";
          close();
        }
      });
  }

  // kb.js sends kb-live on typing, but not while an input method is composing.
  box.addEventListener("kb-live", function () {
    clearTimeout(timer);
    timer = setTimeout(query, 200);
  });

  box.addEventListener("keydown", function (event) {
    if (event.isComposing || event.keyCode === 229) return;  // Enter commits the conversion
    var items = options();
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!items.length) return;
      event.preventDefault();
      if (list.hidden) open();
      var step = event.key === "ArrowDown" ? 1 : -1;
      var next = active + step;
      select(next < -1 ? items.length - 1 : next >= items.length ? -1 : next);
    } else if (event.key === "Enter" && !list.hidden && active >= 0 && items[active]) {
      event.preventDefault();
      window.location.assign(items[active].querySelector("a").href);
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault();
      close();
    }
  });

  box.addEventListener("focus", open);
  document.addEventListener("click", function (event) {
    if (!form.contains(event.target)) close();
  });
})();
