"""Text helpers of search: plain text, the French normaliser used with SQLite FTS5, and safe excerpts.

FTS5 has no French stemmer, so the indexed text and the query are both normalised here the same way: lowercase,
accents removed, and French plurals folded ("écoles" → "ecole", "chevaux" → "cheval", "bureaux" → "bureau").
PostgreSQL does the equivalent with its ``french_unaccent`` configuration.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from participe.core.sanitize import strip_tags

WORD = re.compile(r"\w+", re.UNICODE)
# Control characters never belong in indexed text; two of them mark highlights in PostgreSQL's excerpts.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MARK_START, MARK_STOP = "\x02", "\x03"

# Words a query ignores (as PostgreSQL's French configuration does), unless the query is made of nothing else.
STOP_WORDS = frozenset(
    [
        "a",
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "d",
        "dans",
        "de",
        "des",
        "du",
        "elle",
        "en",
        "et",
        "eux",
        "il",
        "ils",
        "j",
        "je",
        "l",
        "la",
        "le",
        "les",
        "leur",
        "lui",
        "m",
        "ma",
        "mais",
        "me",
        "meme",
        "mes",
        "moi",
        "mon",
        "n",
        "ne",
        "nos",
        "notre",
        "nous",
        "on",
        "ou",
        "par",
        "pas",
        "pour",
        "qu",
        "que",
        "qui",
        "s",
        "sa",
        "se",
        "ses",
        "son",
        "sur",
        "t",
        "ta",
        "te",
        "tes",
        "toi",
        "ton",
        "tu",
        "un",
        "une",
        "vos",
        "votre",
        "vous",
        "y",
        "est",
        "sont",
    ]
)


def plain_text(value: str | None) -> str:
    """Text of an HTML fragment, entities decoded, whitespace collapsed, control characters removed."""
    text = html.unescape(strip_tags(value))
    return " ".join(CONTROL.sub(" ", text).split())


def clean_line(value: str | None) -> str:
    """A plain-text value (a title) on one line, without control characters."""
    return " ".join(CONTROL.sub(" ", value or "").split())


def fold(value: str) -> str:
    """Lowercase without accents ("Élève" → "eleve"); "œ" and "æ" become "oe" and "ae"."""
    value = value.lower().replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def stem(word: str) -> str:
    """A light French plural folding of a folded word; both sides of a comparison go through it."""
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("eaux"):
        return word[:-1]  # bureaux → bureau
    if word.endswith("aux") and len(word) > 4:
        return word[:-3] + "al"  # chevaux → cheval, journaux → journal
    if word.endswith(("s", "x")) and not word.endswith("ss"):
        return word[:-1]  # écoles → ecole, jeux → jeu
    return word


def terms(value: str) -> list[str]:
    """The normalised words of a text, in order."""
    return [stem(w) for w in WORD.findall(fold(value))]


def normalise(value: str) -> str:
    """The text as it is stored in the SQLite full-text table."""
    return " ".join(terms(value))


@dataclass
class ParsedQuery:
    """A web-search-style query: words (all required), "quoted phrases", -excluded words, and OR."""

    groups: list[list[str]] = field(default_factory=list)  # alternatives (OR) of conjunctions (AND) of FTS5 items
    excluded: list[str] = field(default_factory=list)
    words: set[str] = field(default_factory=set)  # normalised words to highlight

    @property
    def is_empty(self) -> bool:
        return not any(self.groups)


QUERY_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def parse_query(query: str) -> ParsedQuery:
    """Parse what a person typed into the parts of an FTS5 expression (see ``fts5_expression``).

    Bare stop words ("les", "dans") are dropped, unless the query has nothing else; phrases keep them.
    """
    groups: list[list[tuple[str, bool]]] = [[]]  # (item, is a bare stop word)
    excluded: list[str] = []
    for match in QUERY_TOKEN.finditer(query):
        negative, phrase, bare = match.group(1), match.group(2), match.group(3)
        if bare is not None and bare.upper() == "OR":
            if groups[-1]:
                groups.append([])
            continue
        if bare is not None and bare.startswith("-") and len(bare) > 1:
            negative, bare = "-", bare[1:]
        folded = WORD.findall(fold(phrase if phrase is not None else bare or ""))
        if not folded:
            continue
        if negative:
            excluded.append(" ".join(stem(w) for w in folded))
        elif phrase is not None:
            groups[-1].append((" ".join(stem(w) for w in folded), False))  # quoted: an FTS5 phrase
        else:
            groups[-1].extend((stem(w), w in STOP_WORDS) for w in folded)  # "vélo-cargo": each word required
    only_stop_words = all(is_stop for group in groups for _, is_stop in group)
    parsed = ParsedQuery(excluded=excluded)
    for group in groups:
        items = [item for item, is_stop in group if only_stop_words or not is_stop]
        if items:
            parsed.groups.append(items)
            parsed.words.update(word for item in items for word in item.split())
    return parsed


def fts5_expression(parsed: ParsedQuery) -> str:
    """The FTS5 MATCH expression of a parsed query; every item is quoted, so nothing typed is syntax."""

    def quote(item: str) -> str:
        return '"' + item.replace('"', " ") + '"'

    alternatives = ["(" + " AND ".join(quote(i) for i in group) + ")" for group in parsed.groups]
    expression = " OR ".join(alternatives)
    if len(alternatives) > 1:
        expression = f"({expression})"
    for item in parsed.excluded:
        expression += f" NOT {quote(item)}"
    return expression


def highlight(text: str, words: set[str], *, limit: int | None = None) -> SafeString:
    """``text`` escaped, with the words whose normalised form is in ``words`` wrapped in ``<mark>``.

    With ``limit`` (a number of characters), only an excerpt around the first highlighted word is kept.
    """
    matches = [m for m in WORD.finditer(text) if stem(fold(m.group())) in words] if words else []
    start, end = 0, len(text)
    if limit is not None and len(text) > limit:
        first = matches[0].start() if matches else 0
        start = max(0, first - limit // 3)
        if start:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < first else start
        end = min(len(text), start + limit)
        if end < len(text):
            space = text.rfind(" ", start, end)
            end = space if space > start else end
    parts: list[str] = ["… " if start else ""]
    position = start
    for m in matches:
        if m.start() < start or m.end() > end:
            continue
        parts.append(escape(text[position : m.start()]))
        parts.append(f"<mark>{escape(m.group())}</mark>")
        position = m.end()
    parts.append(escape(text[position:end]))
    if end < len(text):
        parts.append(" …")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped above


def marked(value: str) -> SafeString:
    """Escape an excerpt made by PostgreSQL's ts_headline, then turn its markers into ``<mark>`` tags."""
    escaped = str(escape(value))
    return mark_safe(escaped.replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>"))  # noqa: S308
