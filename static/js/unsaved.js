// A warning before leaving a page whose form holds unsaved typing. Without JavaScript nothing is lost either:
// every submit on such a page saves all of its fields.
// Each form counts on its own: sending one form (say, removing a document) still warns about typing in another.
// A form marked data-unsaved starts as changed (e.g. a kept draft restored into it, not yet saved).
(function () {
  "use strict";
  var dirty = new Set();
  document.querySelectorAll("form[data-warn-unsaved]").forEach(function (form) {
    if (form.hasAttribute("data-unsaved")) { dirty.add(form); }
    form.addEventListener("input", function () { dirty.add(form); });
    form.addEventListener("change", function () { dirty.add(form); });
    form.addEventListener("submit", function () { dirty.delete(form); });
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty.size) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
