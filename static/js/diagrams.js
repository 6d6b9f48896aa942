// kb: draw ```mermaid fences with the vendored mermaid, under the site's strict CSP.
//
// The page holds <div class="mermaid-diagram"><pre class="mermaid-source">…</pre></div>
// (notes/mdrules.py): without JavaScript the source shows; a broken diagram shows
// its error under the source.
//
// mermaid needs no eval, but it writes inline styles, which style-src 'self'
// refuses. While it renders, three doors are redirected to what CSP allows:
// setAttribute("style") goes through the CSSOM (el.style.cssText), a <style>
// element becomes a constructed stylesheet (document.adoptedStyleSheets), and
// markup it parses carries its style attributes as data-kb-style, which are
// applied through the CSSOM once the SVG is in the page.
(function () {
  "use strict";

  var blocks = Array.prototype.slice.call(document.querySelectorAll(".mermaid-diagram"));
  if (!blocks.length || !window.mermaid) return;

  var SVG_NS = "http://www.w3.org/2000/svg";
  var STYLE_ATTR = /(<[^>]*?\s)style=/g;
  // Event-handler attributes in label markup: mermaid's sanitizer drops them,
  // but parsing them at all is a (blocked) CSP report; they are parked under a
  // data- name and removed with the rest.
  var HANDLER_ATTR = /(<[^>]*?\s)on([a-z]+)=/gi;
  var ja = (document.documentElement.lang || "ja").indexOf("ja") === 0;
  var ERROR = ja ? "図を描けません: " : "Cannot draw this diagram: ";

  function park(markup) {
    return markup.replace(STYLE_ATTR, "$1data-kb-style=").replace(HANDLER_ATTR, "$1data-kb-on$2=");
  }

  function stylesheetHolder() {
    var holder = document.createElementNS(SVG_NS, "metadata");
    var sheet = new CSSStyleSheet();
    var css = { set: function (text) { sheet.replaceSync(text); }, get: function () { return ""; } };
    Object.defineProperty(holder, "innerHTML", css);
    Object.defineProperty(holder, "textContent", css);
    document.adoptedStyleSheets = document.adoptedStyleSheets.concat([sheet]);
    return holder;
  }

  function withoutInlineStyles(work) {
    var setAttribute = Element.prototype.setAttribute;
    var createElement = document.createElement;
    var parseFromString = DOMParser.prototype.parseFromString;
    Element.prototype.setAttribute = function (name, value) {
      if (String(name).toLowerCase() === "style") {
        this.style.cssText = value;
        return;
      }
      return setAttribute.call(this, name, value);
    };
    document.createElement = function (tag) {
      if (String(tag).toLowerCase() === "style") return stylesheetHolder();
      return createElement.apply(document, arguments);
    };
    DOMParser.prototype.parseFromString = function (text, type) {
      return parseFromString.call(this, park(String(text)), type);
    };
    function restore() {
      Element.prototype.setAttribute = setAttribute;
      document.createElement = createElement;
      DOMParser.prototype.parseFromString = parseFromString;
    }
    return work().then(
      function (value) { restore(); return value; },
      function (error) { restore(); throw error; }
    );
  }

  function place(block, svgText) {
    var doc = new DOMParser().parseFromString(park(svgText), "image/svg+xml");
    // importNode clones, and a cloned style attribute is not "inline" to CSP; the
    // data-kb-style ones are applied through the CSSOM.
    var svg = document.importNode(doc.documentElement, true);
    [svg].concat(Array.prototype.slice.call(svg.querySelectorAll("*"))).forEach(function (el) {
      Array.prototype.slice.call(el.attributes).forEach(function (attr) {
        if (attr.name === "data-kb-style") el.style.cssText = attr.value;
        if (attr.name.indexOf("data-kb-") === 0) el.removeAttribute(attr.name);
      });
    });
    var box = document.createElement("div");
    box.className = "mermaid-svg";
    box.appendChild(svg);
    block.appendChild(box);
    block.classList.add("drawn");
  }

  function fail(block, id, error) {
    // mermaid leaves its own error picture in the page; the message goes under the source instead.
    [id, "d" + id].forEach(function (leftover) {
      var el = document.getElementById(leftover);
      if (el && !block.contains(el)) el.remove();
    });
    var p = document.createElement("p");
    p.className = "mermaid-error";
    p.setAttribute("role", "alert");
    p.textContent = ERROR + String((error && error.message) || error);
    block.appendChild(p);
    block.classList.add("failed");
  }

  var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  window.mermaid.initialize({
    startOnLoad: false,
    securityLevel: "strict",
    theme: dark ? "dark" : "default",
    // SVG text, not HTML inside foreignObject: no markup parsed from labels.
    htmlLabels: false,
    flowchart: { htmlLabels: false },
  });

  // One at a time: mermaid renders through shared state.
  blocks.reduce(function (chain, block, i) {
    return chain.then(function () {
      var id = "kb-diagram-" + i;
      var code = block.querySelector(".mermaid-source code");
      var source = code ? code.textContent : "";
      return withoutInlineStyles(function () { return window.mermaid.render(id, source); }).then(
        function (result) { place(block, result.svg); },
        function (error) { fail(block, id, error); }
      );
    });
  }, Promise.resolve()).then(function () {
    document.documentElement.dataset.diagrams = "done";
  });
})();
