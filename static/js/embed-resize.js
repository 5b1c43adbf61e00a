/* For the host page of the ECCAR Portal's plan at a glance (optional): makes each embedded plan exactly as tall
   as it is, on load and whenever the frame's width changes. The frame runs no script and tells nothing; its
   height follows from the data, which the portal gives as JSON beside the page (…/embed/size.json, no cookie).
   Include it once, anywhere on the page: <script src="https://PORTAL/static/js/embed-resize.js" defer></script> */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.fetch || !window.URL) {
    return;
  }
  var portal = new URL(script.src, document.baseURI).origin;
  var embedPath = /^\/[a-z-]+\/members\/[^/]+\/embed\/$/;

  function frames() {
    return Array.prototype.filter.call(document.querySelectorAll("iframe[src]"), function (frame) {
      var url = new URL(frame.getAttribute("src"), document.baseURI);
      return url.origin === portal && embedPath.test(url.pathname);
    });
  }

  // The frame's rem and em: the browser's default font size (the host page's own root size may differ).
  function defaultFontPx() {
    var probe = document.createElement("div");
    probe.style.fontSize = "medium";
    probe.style.position = "absolute";
    probe.style.visibility = "hidden";
    document.body.appendChild(probe);
    var px = parseFloat(window.getComputedStyle(probe).fontSize) || 16;
    document.body.removeChild(probe);
    return px;
  }

  function fit(frame, layouts) {
    var px = defaultFontPx();
    var width = frame.clientWidth;
    var rem = 0;
    layouts.forEach(function (layout) {
      var from = layout.min_width_em * px;
      // Within a pixel of a breakpoint the frame may round either way: take the taller.
      if (width >= from - 1) {
        rem = width >= from + 1 ? layout.height_rem : Math.max(rem, layout.height_rem);
      }
    });
    var height = Math.ceil(rem * px) + 1;
    frame.style.height = height + "px";
    // A border or padding of the host's styles inside the height (box-sizing: border-box) is added on top.
    var inner = frame.clientHeight;
    if (inner && inner < height) {
      frame.style.height = 2 * height - inner + "px";
    }
  }

  function follow(frame) {
    var url = new URL("size.json", new URL(frame.getAttribute("src"), document.baseURI));
    window.fetch(url.href, { credentials: "omit", mode: "cors" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (size) {
        if (!size || !size.layouts) {
          return;
        }
        var lastWidth = -1;
        var refit = function () {
          if (frame.clientWidth !== lastWidth) {
            lastWidth = frame.clientWidth;
            fit(frame, size.layouts);
          }
        };
        refit();
        if (window.ResizeObserver) {
          new window.ResizeObserver(refit).observe(frame);
        } else {
          window.addEventListener("resize", refit);
        }
      })
      .catch(function () {
        // Without the sizes the frame keeps the height its code gives it.
      });
  }

  function start() {
    frames().forEach(follow);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
