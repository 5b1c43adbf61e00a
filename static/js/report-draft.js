// Keeps what is typed into the report editor on the server (a ReportDraft), a few seconds after typing stops and
// when a field is left, so that nothing typed is lost when the page is left unsaved. It never saves the report:
// without this script the editor works the same, and the submit saves everything.
(function () {
  "use strict";
  var DELAY_MS = 3000;

  function start() {
    var form = document.querySelector("form[data-draft-url]");
    if (!form || !window.fetch || !window.FormData) { return; }
    var status = document.getElementById("draft-status");
    var timer = null;
    var pending = false;
    var sending = false;
    var controller = null;

    function body() {
      var data = new FormData(form);
      data.delete("document_file");  // a draft keeps text, never a file
      data.delete("commitment");
      return data;
    }

    function keep() {
      if (timer) { clearTimeout(timer); timer = null; }
      if (!pending || sending) { return; }
      pending = false;
      sending = true;
      var token = form.querySelector("input[name=csrfmiddlewaretoken]");
      controller = window.AbortController ? new AbortController() : null;
      fetch(form.getAttribute("data-draft-url"), {
        method: "POST",
        body: body(),
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined,
        headers: { "X-CSRFToken": token ? token.value : "", "X-Requested-With": "fetch" }
      }).then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        if (!json) { throw new Error("not kept"); }  // a login page, the CSRF page, a 404 after a deletion
        return response.json().then(function (data) {
          if (status && data.message) { status.textContent = data.message; }
        });
      }).catch(function (error) {
        if (error && error.name === "AbortError") { return; }  // the form is being saved
        pending = true;  // offline, the server away, or the session gone: say so, and try again with the next typing
        if (status && form.getAttribute("data-draft-failed")) { status.textContent = form.getAttribute("data-draft-failed"); }
      }).then(function () {
        sending = false;
        controller = null;
        if (pending) { schedule(); }
      });
    }

    function schedule() {
      pending = true;
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(keep, DELAY_MS);
    }

    form.addEventListener("input", function (event) {
      if (event.target.type !== "file") { schedule(); }
    });
    form.addEventListener("focusout", function (event) {
      // Leaving a field for one of the form's save buttons: the save takes the text, a draft would only race it.
      var next = event.relatedTarget;
      if (next && next.form === form && next.type === "submit") { return; }
      if (pending) { keep(); }
    });
    form.addEventListener("submit", function () {
      pending = false;
      if (timer) { clearTimeout(timer); timer = null; }
      if (controller) { controller.abort(); }  // a keep arriving after the save would only race it
    });
    // Leaving the page within the delay: send what is pending on the way out.
    window.addEventListener("pagehide", function () {
      if (pending && navigator.sendBeacon) {
        pending = false;
        navigator.sendBeacon(form.getAttribute("data-draft-url"), body());
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
