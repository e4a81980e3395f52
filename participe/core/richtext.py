"""Rich text as residents meet it: they never see HTML.

A description field is edited in the formatting editor of ``participe.js`` (bold, lists, links), which sends HTML;
without JavaScript it is a plain textarea where text stays text. ``text_to_html`` turns what was typed there into
the stored HTML (paragraphs, lists, links made from web addresses; a « < » typed stays a « < »), and
``html_to_text`` gives the textarea the text of the stored HTML, so that an edit without JavaScript starts from
words, not tags. The sanitiser (``participe.core.sanitize``) still cleans whatever is saved.
"""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_BULLET = re.compile(r"^\s*[-*•–]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d{1,3}[.)]\s+(.*)$")
# A web address in running text; a closing punctuation mark right after it belongs to the sentence.
_URL = re.compile(r"\bhttps?://[^\s<>\"]+?(?=[.,;:!?»)\]]*(?:\s|$))")


def _inline(text: str) -> str:
    """Escaped text whose web addresses become links."""
    parts, last = [], 0
    for match in _URL.finditer(text):
        url = match.group(0)
        parts.append(escape(text[last : match.start()], quote=False))
        parts.append(f'<a href="{escape(url)}">{escape(url, quote=False)}</a>')
        last = match.end()
    parts.append(escape(text[last:], quote=False))
    return "".join(parts)


def _block(lines: list[str]) -> list[str]:
    """One block of lines (no blank line inside): runs of list lines become lists, the rest paragraphs."""
    html: list[str] = []
    run_kind, run = "", list[str]()

    def flush() -> None:
        if not run:
            return
        if run_kind == "p":
            html.append("<p>" + "<br>".join(_inline(line.strip()) for line in run) + "</p>")
        else:
            html.append(
                f"<{run_kind}>" + "".join(f"<li>{_inline(item.strip())}</li>" for item in run) + f"</{run_kind}>"
            )
        run.clear()

    for line in lines:
        bullet, numbered = _BULLET.match(line), _NUMBERED.match(line)
        kind, content = ("ul", bullet.group(1)) if bullet else ("ol", numbered.group(1)) if numbered else ("p", line)
        if kind != run_kind:
            flush()
            run_kind = kind
        run.append(content)
    flush()
    return html


def text_to_html(text: str | None) -> str:
    """HTML of plain text: blank lines separate paragraphs, a line break stays one, lines starting with « - » or
    « 1. » make lists, web addresses become links; every character typed is shown as typed."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    blocks = [block for block in _BLANK_LINE.split(text) if block.strip()]
    return "".join(part for block in blocks for part in _block([ln for ln in block.split("\n") if ln.strip()]))


_BLOCKS = {"p", "h2", "h3", "h4", "blockquote", "pre", "ul", "ol", "table", "hr", "div"}


class _TextWriter(HTMLParser):
    """Walks sanitised HTML and writes the text a person would type for it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.lists: list[list[int]] = []  # one counter per open list; -1 for a bulleted one
        self.href: list[str | None] = []
        self.link_text: list[str] = []
        self.cells = 0

    def _break(self, blank: bool) -> None:
        text = "".join(self.out).rstrip(" ")
        self.out = [text]
        if not text:
            return
        wanted = "\n\n" if blank else "\n"
        if not text.endswith(wanted):
            self.out.append("\n" if text.endswith("\n") and blank else wanted)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self._break(blank=not self.lists)
        if tag in {"ul", "ol"}:
            self.lists.append([0 if tag == "ol" else -1])
        elif tag == "li" and self.lists:
            self._break(blank=False)
            counter = self.lists[-1]
            marker = "-" if counter[0] < 0 else f"{counter[0] + 1}."
            if counter[0] >= 0:
                counter[0] += 1
            self.out.append("  " * (len(self.lists) - 1) + marker + " ")
        elif tag == "br":
            self.out.append("\n")
        elif tag == "tr":
            self._break(blank=False)
            self.cells = 0
        elif tag in {"td", "th"}:
            if self.cells:
                self.out.append(" | ")
            self.cells += 1
        elif tag == "a":
            self.href.append(dict(attrs).get("href"))
            self.link_text.append("".join(self.out))

    def handle_endtag(self, tag: str) -> None:
        if tag in {"ul", "ol"} and self.lists:
            self.lists.pop()
        if tag in _BLOCKS:
            self._break(blank=not self.lists)
        elif tag == "a" and self.href:
            href, before = self.href.pop(), self.link_text.pop()
            shown = "".join(self.out)[len(before) :]
            if href and href.strip() != shown.strip() and not href.startswith("mailto:"):
                self.out.append(f" ({href})")

    def handle_data(self, data: str) -> None:
        data = re.sub(r"[ \t\n\r\f]+", " ", data)  # a no-break space (French typography) stays
        written = "".join(self.out)
        if not written or written.endswith(("\n", " ")):
            data = data.lstrip(" ")
        self.out.append(data)

    def text(self) -> str:
        lines = "".join(self.out).split("\n")
        return re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in lines)).strip()


def html_to_text(html: str | None) -> str:
    """The text of stored HTML as a person would type it back: paragraphs separated by a blank line, « - » and
    « 1. » for list items, a link's address after its words. ``text_to_html`` of it gives the same structure."""
    if not html:
        return ""
    writer = _TextWriter()
    writer.feed(html)
    writer.close()
    return writer.text()
