// Search page: arrow keys move between the box and the results, Enter opens one.
(function () {
  "use strict";

  function links() {
    return Array.prototype.slice.call(document.querySelectorAll("#search-results .result-link"));
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    var box = document.getElementById("search-q");
    var items = links();
    if (!box || !items.length) return;
    var at = items.indexOf(document.activeElement);
    if (document.activeElement !== box && at < 0) return;
    event.preventDefault();
    if (event.key === "ArrowDown") {
      items[Math.min(at + 1, items.length - 1)].focus();
    } else if (at <= 0) {
      box.focus();
    } else {
      items[at - 1].focus();
    }
  });
})();
