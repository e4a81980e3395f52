// Answering a questionnaire: progressive enhancement only, every page works without this file.
// - Conditional questions of the same page are shown or hidden as one answers (the server decides again).
// - Rankings: giving a rank already given to another choice swaps the two.
(function () {
  "use strict";

  function answerOf(form, name) {
    var block = form.querySelector("#" + name + "-block");
    if (block && block.hidden) return [];  // a hidden question has no answer that counts
    var values = [];
    form.querySelectorAll('[name="' + name + '"]').forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) return;
      if (input.type === "hidden") return;
      values.push(input.value);
    });
    return values;
  }

  function announce(form, key, block) {
    var live = form.querySelector("#survey-live");
    if (!live) return;
    var title = block.querySelector("legend, label");
    var name = "";
    if (title) {
      var copy = title.cloneNode(true);  // its text as read aloud: without the "*" hidden from screen readers
      copy.querySelectorAll("[aria-hidden='true']").forEach(function (node) { node.remove(); });
      name = copy.textContent.replace(/\s+/g, " ").trim();
    }
    live.textContent = (live.dataset[key] || "") + " " + name;
  }

  function updateConditions(form, announceChanges) {
    // In document order: a question depending on one just hidden is hidden too.
    form.querySelectorAll("[data-condition-name]").forEach(function (block) {
      var wanted = block.dataset.conditionValues.split(" ");
      var given = answerOf(form, block.dataset.conditionName);
      var show = given.some(function (value) { return wanted.indexOf(value) !== -1; });
      if (show === !block.hidden) return;
      block.hidden = !show;
      var marker = block.querySelector('input[name="shown"]');
      if (marker) marker.disabled = !show;
      if (announceChanges) announce(form, show ? "added" : "removed", block);
    });
  }

  function swapRanks(form, select) {
    var previous = select.dataset.previous || "";
    if (!select.value) { select.dataset.previous = ""; return; }
    form.querySelectorAll('select[data-ranking="' + select.dataset.ranking + '"]').forEach(function (other) {
      if (other !== select && other.value === select.value) {
        other.value = previous;
        other.dataset.previous = previous;
      }
    });
    select.dataset.previous = select.value;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector(".survey-form");
    if (!form) return;
    form.querySelectorAll("select[data-ranking]").forEach(function (select) { select.dataset.previous = select.value; });
    updateConditions(form, false);
    form.addEventListener("change", function (event) {
      var target = event.target;
      if (target.matches && target.matches("select[data-ranking]")) swapRanks(form, target);
      updateConditions(form, true);
    });
    var notice = document.getElementById("survey-notice");
    if (notice && !document.querySelector(".error-summary[tabindex]")) notice.focus();
  });
})();
