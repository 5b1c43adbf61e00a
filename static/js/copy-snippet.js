// The copy buttons of the embed snippet (templates/actionplan/editor/_embed_snippet.html). Without JavaScript
// the buttons stay hidden and the code is selected and copied by hand.
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy-from]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copyFrom);
    var status = document.querySelector("[data-copy-status='" + button.dataset.copyFrom + "']");
    if (!field) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      field.focus();
      field.select();
      var done = function () { if (status) { status.textContent = button.dataset.copied; } };
      var failed = function () { if (status) { status.textContent = button.dataset.failed; } };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, failed);
      } else {
        try { (document.execCommand("copy") ? done : failed)(); } catch (error) { failed(); }
      }
    });
  });
})();
