/* Back-office of the proposals module: a "tick every row" box over the list's selection (an enhancement:
   without JavaScript each row is ticked by hand, and "Réponses préparées à publier" lists them all). */
(function () {
  "use strict";

  function enhance(form) {
    var boxes = Array.prototype.slice.call(form.querySelectorAll('tbody input[type="checkbox"][name="p"]'));
    var cell = form.querySelector("thead th:first-child");
    if (!boxes.length || !cell) {
      return;
    }
    var all = document.createElement("input");
    all.type = "checkbox";
    all.id = "select-all";
    var label = document.createElement("label");
    label.htmlFor = "select-all";
    label.className = "visually-hidden";
    label.textContent = cell.getAttribute("data-label") || "Tout cocher";
    cell.textContent = "";
    cell.appendChild(all);
    cell.appendChild(label);

    function sync() {
      var ticked = boxes.filter(function (box) { return box.checked; }).length;
      all.checked = ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    }
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
      sync();
    });
    boxes.forEach(function (box) { box.addEventListener("change", sync); });
    sync();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("form.proposal-selection"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
