// coopdir: optional enhancements. Every page works without this file.
// Filters: on a wide screen the collapsed filters of the directory open (browsers without
// CSS ::details-content would otherwise keep the sidebar shut).
(function () {
  "use strict";
  var filters = document.querySelector("details.filters");
  if (filters && window.matchMedia && window.matchMedia("(min-width: 48rem)").matches) {
    filters.open = true;
  }
})();
// Copy buttons: <button class="copy" data-copy="ID" data-done="Copied" hidden> copies the
// text of the element with id ID; the button is shown only when copying can work.
(function () {
  "use strict";
  if (!navigator.clipboard) { return; }
  document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
    var target = document.getElementById(button.getAttribute("data-copy"));
    if (!target) { return; }
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(target.textContent.trim()).then(function () {
        button.textContent = button.getAttribute("data-done") || label;
        setTimeout(function () { button.textContent = label; }, 2000);
      });
    });
  });
})();
