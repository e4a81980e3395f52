// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // The description editor: residents never see HTML. Without this script the field is a plain textarea where
  // text stays text (the server makes paragraphs, lists and links of it, participe/core/richtext.py); with it,
  // the textarea gives way to an editable area with a toolbar (bold, italic, lists, links; headings where the
  // field asks for them) that sends HTML, sanitised by the server like any other.
  var LABELS = {
    fr: { toolbar: "Mise en forme", h2: "Intertitre", strong: "Gras", em: "Italique", ul: "Liste à puces",
          ol: "Liste numérotée", a: "Lien", unlink: "Retirer le lien", url: "Adresse du lien",
          urlHint: "Une adresse web (https://…) ou de courriel.", add: "Ajouter le lien", cancel: "Annuler",
          badUrl: "Saisissez une adresse qui commence par https://, http:// ou mailto:." },
    en: { toolbar: "Formatting", h2: "Heading", strong: "Bold", em: "Italic", ul: "Bulleted list",
          ol: "Numbered list", a: "Link", unlink: "Remove the link", url: "Link address",
          urlHint: "A web address (https://…) or an email address.", add: "Add the link", cancel: "Cancel",
          badUrl: "Type an address starting with https://, http:// or mailto:." }
  };
  var lang = (document.documentElement.lang || "fr").slice(0, 2);
  var t = LABELS[lang] || LABELS.fr;
  var COMMANDS = { strong: "bold", em: "italic", ul: "insertUnorderedList", ol: "insertOrderedList" };
  var SHORTCUTS = { b: "strong", i: "em", k: "a" };

  function closestIn(editor, node, selector) {
    var element = node && (node.nodeType === 1 ? node : node.parentElement);
    var found = element && element.closest(selector);
    return found && editor.contains(found) ? found : null;
  }

  function normalisedUrl(value) {
    var url = value.trim();
    if (/^[^\s@/:]+@[^\s@/]+\.[^\s@/]+$/.test(url)) url = "mailto:" + url;
    if (/^www\./i.test(url)) url = "https://" + url;
    return /^(https?:\/\/[^\s]+\.[^\s]+|mailto:[^\s]+@[^\s]+)$/i.test(url) ? url : "";
  }

  function build(textarea) {
    var form = textarea.form;
    var format = form && form.querySelector('input[data-rich-format][name="' + textarea.name + '__format"]');
    var label = form && form.querySelector('label[for="' + textarea.id + '"]');
    if (!format || !label) return;
    var id = textarea.id;
    var editor = document.createElement("div");
    var toolbar = document.createElement("div");
    var panel = document.createElement("div");
    var saved = null;
    var buttons = {};

    label.id = label.id || id + "-label";
    textarea.id = id + "-source";
    editor.id = id;
    editor.className = "rich-editor";
    editor.contentEditable = "true";
    editor.setAttribute("role", "textbox");
    editor.setAttribute("aria-multiline", "true");
    editor.setAttribute("aria-labelledby", label.id);
    ["aria-describedby", "aria-invalid"].forEach(function (name) {
      if (textarea.hasAttribute(name)) editor.setAttribute(name, textarea.getAttribute(name));
    });
    if (textarea.required) { editor.setAttribute("aria-required", "true"); textarea.required = false; }
    editor.style.minHeight = (parseInt(textarea.getAttribute("rows"), 10) || 8) * 1.55 + "em";
    var source = textarea.parentNode.querySelector("template[data-rich-html]");
    editor.innerHTML = source ? source.innerHTML : "";
    label.addEventListener("click", function () { editor.focus(); });

    toolbar.className = "rich-toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", t.toolbar);
    toolbar.setAttribute("aria-controls", id);
    var kinds = (textarea.dataset.richText === "headings" ? ["h2"] : []).concat(["strong", "em", "ul", "ol", "a"]);
    kinds.forEach(function (kind, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "rich-toolbar__button rich-toolbar__button--" + kind;
      button.textContent = t[kind];
      button.setAttribute("aria-pressed", "false");
      button.tabIndex = index === 0 ? 0 : -1;
      // Keep the editor's selection: a click on the toolbar must not take it away before the command runs.
      button.addEventListener("mousedown", function (event) { event.preventDefault(); });
      button.addEventListener("click", function () { run(kind); });
      buttons[kind] = button;
      toolbar.appendChild(button);
    });
    // One tab stop for the toolbar; the arrows, Home and End move along it (WAI-ARIA toolbar pattern).
    toolbar.addEventListener("keydown", function (event) {
      var list = Array.prototype.slice.call(toolbar.querySelectorAll("button"));
      var at = list.indexOf(document.activeElement);
      var to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: list.length - 1 }[event.key];
      if (to === undefined || at < 0) return;
      event.preventDefault();
      to = (to + list.length) % list.length;
      list[at].tabIndex = -1;
      list[to].tabIndex = 0;
      list[to].focus();
    });

    panel.className = "rich-link";
    panel.hidden = true;
    panel.innerHTML = '<label for="' + id + '-url">' + t.url + "</label>" +
      '<div class="hint" id="' + id + '-url-hint">' + t.urlHint + "</div>" +
      '<p class="error" id="' + id + '-url-error" hidden></p>' +
      '<input type="text" inputmode="url" autocomplete="url" id="' + id + '-url" aria-describedby="' + id +
      '-url-hint">' + '<button type="button" class="button button--small" data-add>' + t.add + "</button> " +
      '<button type="button" class="button button--small button--secondary" data-cancel>' + t.cancel + "</button>";
    var urlInput = panel.querySelector("input");
    var urlError = panel.querySelector(".error");

    function sync() {
      var empty = !editor.textContent.trim() && !editor.querySelector("li, hr");
      textarea.value = empty ? "" : editor.innerHTML;
      format.value = "html";
    }

    function refresh() {
      var selection = window.getSelection();
      var node = selection && selection.rangeCount ? selection.getRangeAt(0).commonAncestorContainer : null;
      if (!node || !editor.contains(node)) return;
      // The browser's typing state, not the nodes around the caret: after Ctrl+B turned bold off at the end of a
      // bold word, the caret is still inside <b> but what is typed next is not bold.
      var state = {
        h2: !!closestIn(editor, node, "h2"), strong: document.queryCommandState("bold"),
        em: document.queryCommandState("italic"), ul: document.queryCommandState("insertUnorderedList"),
        ol: document.queryCommandState("insertOrderedList"), a: !!closestIn(editor, node, "a")
      };
      Object.keys(buttons).forEach(function (kind) {
        buttons[kind].setAttribute("aria-pressed", state[kind] ? "true" : "false");
      });
      buttons.a.textContent = state.a ? t.unlink : t.a;
    }

    function openLink() {
      var selection = window.getSelection();
      saved = selection.rangeCount && editor.contains(selection.getRangeAt(0).commonAncestorContainer)
        ? selection.getRangeAt(0).cloneRange() : null;
      panel.hidden = false;
      urlError.hidden = true;
      urlInput.removeAttribute("aria-invalid");
      urlInput.value = "";
      urlInput.focus();
    }

    function closeLink() {
      panel.hidden = true;
      editor.focus();
      if (saved) {
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(saved);
      }
    }

    function addLink() {
      var url = normalisedUrl(urlInput.value);
      if (!url) {
        urlError.textContent = t.badUrl;
        urlError.hidden = false;
        urlInput.setAttribute("aria-invalid", "true");
        urlInput.setAttribute("aria-describedby", id + "-url-hint " + id + "-url-error");
        urlInput.focus();
        return;
      }
      closeLink();
      if (saved && !saved.collapsed) {
        document.execCommand("createLink", false, url);
      } else {
        // Inserted by hand: the browser's insertHTML would copy computed styles into inline ones (refused by the CSP).
        var link = document.createElement("a");
        link.href = url;
        link.textContent = url.replace(/^mailto:/, "");
        var range = saved || document.createRange();
        if (!saved) { range.selectNodeContents(editor); range.collapse(false); }
        range.insertNode(link);
        range.setStartAfter(link);
        range.collapse(true);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
      }
      sync();
      refresh();
    }

    function run(kind) {
      editor.focus();
      if (kind === "a") {
        var selection = window.getSelection();
        var link = selection.rangeCount && closestIn(editor, selection.getRangeAt(0).commonAncestorContainer, "a");
        if (link) {
          var range = document.createRange();
          range.selectNodeContents(link);
          selection.removeAllRanges();
          selection.addRange(range);
          document.execCommand("unlink");
        } else {
          openLink();
          return;
        }
      } else if (kind === "h2") {
        document.execCommand("formatBlock", false, buttons.h2.getAttribute("aria-pressed") === "true" ? "p" : "h2");
      } else {
        document.execCommand(COMMANDS[kind]);
      }
      sync();
      refresh();
    }

    panel.querySelector("[data-add]").addEventListener("click", addLink);
    panel.querySelector("[data-cancel]").addEventListener("click", closeLink);
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.preventDefault(); closeLink(); }
      if (event.key === "Enter" && event.target === urlInput) { event.preventDefault(); addLink(); }
    });
    editor.addEventListener("keydown", function (event) {
      var kind = (event.ctrlKey || event.metaKey) && !event.altKey && SHORTCUTS[event.key.toLowerCase()];
      if (!kind) return;
      event.preventDefault();
      run(kind);
    });
    // What is pasted arrives as text: formatting from a word processor or a web page would only be stripped later.
    editor.addEventListener("paste", function (event) {
      var text = event.clipboardData && event.clipboardData.getData("text/plain");
      if (text === undefined || text === null) return;
      event.preventDefault();
      document.execCommand("insertText", false, text);
    });
    editor.addEventListener("input", sync);
    editor.addEventListener("keyup", refresh);
    editor.addEventListener("mouseup", refresh);
    editor.addEventListener("focus", function () { document.execCommand("defaultParagraphSeparator", false, "p"); });
    form.addEventListener("submit", sync);

    textarea.hidden = true;
    textarea.parentNode.insertBefore(toolbar, textarea);
    textarea.parentNode.insertBefore(panel, textarea);
    textarea.parentNode.insertBefore(editor, textarea);
    sync();
  }

  function enhance(textarea) {
    if (textarea.dataset.enhanced) return;
    textarea.dataset.enhanced = "1";
    build(textarea);
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
