"""HTML sanitising for rich text written by agents and participants (nh3 / Ammonia)."""

from __future__ import annotations

import html
import re

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "s",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h2",
    "h3",
    "h4",
    "code",
    "pre",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "th": {"scope"}, "td": {"colspan", "rowspan"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def sanitize_html(value: str | None) -> str:
    """Keep the formatting tags of a rich-text field and drop everything that could run or track."""
    if not value:
        return ""
    # The HTML parser repairs broken markup (misnested headings, stray "<"), and the repaired output can
    # itself be repaired differently: clean until the result is stable so that saving twice changes nothing.
    cleaned = value
    for _ in range(4):
        previous, cleaned = (
            cleaned,
            nh3.clean(
                cleaned,
                tags=ALLOWED_TAGS,
                attributes=ALLOWED_ATTRIBUTES,
                url_schemes=URL_SCHEMES,
                link_rel="noopener noreferrer nofollow",
            ),
        )
        if cleaned == previous:
            break
    return cleaned


BLOCK_END = re.compile(r"</(p|div|h[1-6]|li|blockquote|tr|table|ul|ol)>|<br\s*/?>", re.IGNORECASE)


def plain_text(value: str | None) -> str:
    """Rich text as plain text: one line per paragraph (so that « plus</p><p>Deuxième » stays two words), white
    space folded, entities decoded — for exports, calendars and the synthesis of contributions."""
    if not value:
        return ""
    text = html.unescape(strip_tags(BLOCK_END.sub("\n", value)))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def strip_tags(value: str | None) -> str:
    """Plain text of an HTML fragment (for excerpts and search)."""
    if not value:
        return ""
    return nh3.clean(value, tags=set())


# The Unicode controls that reorder text (embeddings, overrides, isolates, marks): in a title or a pseudonym they
# make "nimda" read "admin" or reverse a whole line of the moderation queue, and nobody types them on purpose there.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_WITHOUT_BIDI = str.maketrans("", "", BIDI_CONTROLS)


def strip_bidi_controls(text: str) -> str:
    """``text`` without the Unicode bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E/F, U+061C)."""
    return text.translate(_WITHOUT_BIDI)


def single_line(text: str | None) -> str:
    """A line people wrote (a title, a pseudonym) as it is saved: without bidirectional controls, its runs of
    whitespace (new lines, tabs) made one space, trimmed. Every service and form that saves one calls it."""
    return " ".join(strip_bidi_controls(str(text or "")).split())
