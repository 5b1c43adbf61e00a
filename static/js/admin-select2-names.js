// Django's autocomplete fields (select2) leave their combobox without an accessible name: it gets the label of
// the select it stands for, so that screen readers announce which field it is.
(function () {
  "use strict";
  function name() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var label = select.id && document.querySelector('label[for="' + select.id + '"]');
      var container = select.nextElementSibling;
      if (!label || !container) return;
      var text = label.textContent.replace(/:\s*$/, "").trim();
      container.querySelectorAll(".select2-selection[role=combobox], .select2-selection__rendered[role=textbox]").forEach(function (box) {
        if (!box.hasAttribute("aria-label")) box.setAttribute("aria-label", text);
      });
    });
  }
  // After Django's own ready handler has turned the selects into select2 widgets (it was registered first).
  if (window.django && window.django.jQuery) {
    window.django.jQuery(name);
  } else {
    window.addEventListener("load", name);
  }
  document.addEventListener("formset:added", function () { window.setTimeout(name, 0); });
})();
