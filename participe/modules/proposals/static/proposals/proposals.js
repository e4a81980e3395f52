/* Proposal page: copy the share link, and the system share sheet where the browser offers one. Without
 * JavaScript the link is in a read-only field (select and copy it) and an e-mail link is offered. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var status = document.querySelector("[data-copy-status]");
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      var field = document.getElementById(button.dataset.copy);
      if (!field || !navigator.clipboard) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(field.value).then(function () {
          if (status) status.textContent = status.dataset.copied;
        }, function () {
          field.select();
        });
      });
    });
    document.querySelectorAll("[data-share]").forEach(function (button) {
      var field = document.querySelector("[data-share-url]");
      if (!field || !navigator.share) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.share({ title: button.dataset.shareTitle, url: field.value }).catch(function () {});
      });
    });
  });
})();
