// Wide tables scroll sideways in their box (.table-responsive, focusable and named in the markup). Where a table
// is wider than its box, a written hint above it says so; it comes and goes as the box's width changes (a phone
// turned, a <details> opened). The hint's text is the page's language, from the body's data attribute.
(function () {
  "use strict";
  var text = document.body.getAttribute("data-table-scroll-hint");
  if (!text) return;

  function update(box) {
    var wide = box.scrollWidth > box.clientWidth + 1;
    var note = box.previousElementSibling;
    var hasNote = note !== null && note.classList.contains("table-scroll-hint");
    box.classList.toggle("is-scrollable", wide);
    if (wide && !hasNote) {
      note = document.createElement("p");
      note.className = "table-scroll-hint";
      note.textContent = text;
      box.parentNode.insertBefore(note, box);
    } else if (!wide && hasNote) {
      note.parentNode.removeChild(note);
    }
  }

  var boxes = Array.prototype.slice.call(document.querySelectorAll(".table-responsive"));
  boxes.forEach(update);
  if ("ResizeObserver" in window) {
    var observer = new ResizeObserver(function (entries) {
      entries.forEach(function (entry) { update(entry.target); });
    });
    boxes.forEach(function (box) { observer.observe(box); });
  } else {
    window.addEventListener("resize", function () { boxes.forEach(update); });
  }
})();
