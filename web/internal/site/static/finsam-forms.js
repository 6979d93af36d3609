// Characters left in a textarea. Progressive enhancement: without this
// file a textarea still has its maxlength and its hint ("Högst 4000
// tecken."), and the server checks the limit and keeps a text over it
// with a message. The words come from the page (data-left, data-over),
// in the page's language.
(function () {
  "use strict";
  if (window.finsamForms) {
    return;
  }
  window.finsamForms = true;
  function start() {
    var areas = document.querySelectorAll("textarea[data-counter]");
    Array.prototype.forEach.call(areas, function (area) {
      var out = document.getElementById(area.getAttribute("data-counter"));
      var max = parseInt(area.getAttribute("maxlength"), 10);
      if (!out || !max) {
        return;
      }
      var show = function () {
        var left = max - area.value.length;
        var words = left >= 0 ? out.getAttribute("data-left") : out.getAttribute("data-over");
        out.textContent = words.replace("{n}", String(Math.abs(left)));
      };
      area.addEventListener("input", show);
      show();
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
