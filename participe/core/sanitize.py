"""HTML sanitising for rich text written by agents and participants (nh3 / Ammonia)."""

from __future__ import annotations

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


def strip_tags(value: str | None) -> str:
    """Plain text of an HTML fragment (for excerpts and search)."""
    if not value:
        return ""
    return nh3.clean(value, tags=set())
