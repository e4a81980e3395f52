// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Labels of the formatting toolbar, in the page's language.
  var LABELS = {
    fr: { toolbar: "Mise en forme", h2: "Intertitre", h3: "Sous-titre", p: "Paragraphe", strong: "Gras",
          em: "Italique", ul: "Liste à puces", ol: "Liste numérotée", a: "Lien", url: "Adresse du lien (https://…)" },
    en: { toolbar: "Formatting", h2: "Heading", h3: "Subheading", p: "Paragraph", strong: "Bold",
          em: "Italic", ul: "Bulleted list", ol: "Numbered list", a: "Link", url: "Link address (https://…)" }
  };
  var lang = (document.documentElement.lang || "fr").slice(0, 2);
  var t = LABELS[lang] || LABELS.fr;

  function escapeAttribute(value) {
    return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  }

  function wrap(textarea, kind) {
    var start = textarea.selectionStart, end = textarea.selectionEnd;
    var selected = textarea.value.slice(start, end);
    var html;
    if (kind === "ul" || kind === "ol") {
      var items = (selected || "…").split(/\n+/).map(function (line) { return "  <li>" + line.trim() + "</li>"; });
      html = "<" + kind + ">\n" + items.join("\n") + "\n</" + kind + ">";
    } else if (kind === "a") {
      var url = window.prompt(t.url, "https://");
      if (!url) return;
      html = '<a href="' + escapeAttribute(url) + '">' + (selected || url) + "</a>";
    } else {
      html = "<" + kind + ">" + (selected || "…") + "</" + kind + ">";
    }
    textarea.setRangeText(html, start, end, "end");
    textarea.focus();
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function enhance(textarea) {
    if (textarea.dataset.enhanced) return;
    textarea.dataset.enhanced = "1";
    var bar = document.createElement("div");
    bar.className = "rich-toolbar";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", t.toolbar);
    bar.setAttribute("aria-controls", textarea.id);
    ["h2", "h3", "p", "strong", "em", "ul", "ol", "a"].forEach(function (kind) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button--small button--secondary";
      button.textContent = t[kind];
      button.addEventListener("click", function () { wrap(textarea, kind); });
      bar.appendChild(button);
    });
    textarea.parentNode.insertBefore(bar, textarea);
  }

  function enhanceAll(root) {
    root.querySelectorAll("textarea[data-rich-text]").forEach(enhance);
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhanceAll(document);
    // Bring keyboard and screen-reader users to the error summary of a form that came back with errors.
    var summary = document.querySelector(".error-summary[tabindex]");
    if (summary) summary.focus();
  });
  document.addEventListener("htmx:afterSwap", function (event) { enhanceAll(event.target); });
})();

/* --- comments --- */
// After htmx swaps comments in or out ("afficher plus", a reply, a comment posted), keyboard and screen-reader
// users would be left on a node that no longer exists: bring focus to what the fragment marks.
(function () {
  "use strict";
  document.addEventListener("htmx:afterSettle", function () {
    var target = document.querySelector("[data-focus-on-swap]");
    if (!target) return;
    target.removeAttribute("data-focus-on-swap");
    target.focus();
  });
})();
/* --- end comments --- */

/* --- site menu --- */
// The header's menu is a <details> folded on phones; on wide screens keep it open (CSS shows it anyway; the open
// state keeps assistive technologies in step).
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 64rem)");
  function sync() {
    document.querySelectorAll("[data-site-menu]").forEach(function (menu) { menu.open = wide.matches; });
  }
  document.addEventListener("DOMContentLoaded", sync);
  wide.addEventListener("change", sync);
})();
/* --- end site menu --- */
