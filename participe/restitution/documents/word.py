"""The bilan of a démarche as a Word document (DOCX, python-docx) for the agents who edit it further: the same
sections as the page, real headings (Titre 1, Titre 2: the document's outline and its accessibility), tables with
their header row, the organisation's primary colour on the headings, the title and language in its properties.
Written in memory; nothing is fetched.

Built in two steps: ``outline(report)`` lists what the document says (headings, paragraphs, tables: plain data, whose
``fingerprint`` tells whether a kept file still says it, decision 0042), then ``render(outline)`` writes it with
python-docx (the worker's part)."""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from participe.core.dates import long_date, short_date
from participe.organisation.models import Organisation
from participe.restitution.selectors import Report
from participe.restitution.selectors.figures import Figures

BLOCKS = {"p", "li", "h2", "h3", "h4", "blockquote"}


class _Paragraphs(HTMLParser):
    """Rich text (already sanitised) as paragraphs: (tag, text), a list item marked ``li``."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []
        self._tag = "p"
        self._text: list[str] = []

    def _flush(self) -> None:
        text = " ".join("".join(self._text).split())
        if text:
            self.found.append((self._tag, text))
        self._text = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in BLOCKS:
            self._flush()
            self._tag = tag
        elif tag == "br":
            self._text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS:
            self._flush()
            self._tag = "p"

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def paragraphs(html: str) -> list[tuple[str, str]]:
    parser = _Paragraphs()
    parser.feed(html or "")
    parser.close()
    return parser.found


@dataclass
class Outline:
    """What the DOCX says, block by block: ``("h", level, text)``, ``("p", style, text, emphasis)`` (``emphasis``
    in italics after a dash), ``("t", header, rows)``; and its properties."""

    title: str
    author: str
    language: str
    colour: str
    blocks: list[tuple[Any, ...]] = field(default_factory=list)

    def add_heading(self, text: str, level: int) -> None:
        self.blocks.append(("h", level, text))

    def add_paragraph(self, text: str = "", style: str | None = None, emphasis: str = "") -> None:
        self.blocks.append(("p", style, text, emphasis))

    def add_table(self, header: list[str], rows: list[list[str]]) -> None:
        self.blocks.append(("t", header, rows))

    def fingerprint(self) -> str:
        """SHA-256 of everything the document says: equal outlines write the same document."""
        data = [self.title, self.author, self.language, self.colour, self.blocks]
        return hashlib.sha256(json.dumps(data, ensure_ascii=False, default=str).encode()).hexdigest()


def _rich(document: Outline, html: str) -> None:
    for tag, text in paragraphs(html):
        if tag in ("h2", "h3", "h4"):
            document.add_heading(text, level=3)
        else:
            document.add_paragraph(text, style="List Bullet" if tag == "li" else None)


def _table(document: Outline, header: list[str], rows: list[list[str]]) -> None:
    document.add_table(header, rows)


def _docx_table(document: Any, header: list[str], rows: list[list[str]]) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    # The first row is a header row, repeated on each page (and read as such by screen readers).
    properties = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text


def _figures(document: Outline, report: Report, figures: Figures) -> None:
    document.add_heading(_("En chiffres"), level=1)
    lines = (
        ngettext("%(n)s participant", "%(n)s participants", figures.participants) % {"n": figures.participants},
        ngettext("%(n)s contribution", "%(n)s contributions", figures.contributions) % {"n": figures.contributions},
        _("%(n)s avec une réponse de la collectivité") % {"n": report.answered},
        _("%(n)s encore sans réponse") % {"n": report.unanswered},
    )
    for line in lines:
        document.add_paragraph(line, style="List Bullet")
    if figures.kinds:
        _table(document, [_("Contributions"), _("Nombre")], [[k.label, str(k.count)] for k in figures.kinds])


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f} %"


def _territories(document: Outline, figures: Figures) -> None:
    document.add_heading(_("Qui a participé, par territoire"), level=1)
    rows = [
        [
            row.territory.name if row.territory else _("Ailleurs ou non renseigné"),
            str(row.population) if row.population else "—",
            _percent(row.population_share),
            str(row.participants),
            _percent(row.participants_share),
            str(row.contributions),
        ]
        for row in figures.territories
    ]
    header = [_("Territoire"), _("Population"), _("Part de la population"), _("Participants"),
              _("Part des participants"), _("Contributions")]  # fmt: skip
    _table(document, header, rows)


def _channels(document: Outline, figures: Figures) -> None:
    document.add_heading(_("Par quel canal"), level=1)
    rows = [[c.label, str(c.contributions), str(c.votes)] for c in figures.channels]
    _table(document, [_("Canal"), _("Contributions"), _("Votes")], rows)


def _contributions(document: Outline, report: Report) -> None:
    document.add_heading(_("Chaque contribution et sa réponse"), level=1)
    bullet, quote = "List Bullet", "Quote"
    for part in report.contributions:
        for group in part.groups:
            document.add_heading(f"{part.module.title} — {group.label}", level=2)
            for c in group.contributions:
                answer = ""
                if c.answerable:
                    answer = _("réponse : %(a)s") % {"a": c.answer} if c.answered else _("sans réponse")
                document.add_paragraph(str(c.item), style=bullet, emphasis=str(answer))
                text = " ".join(t for _tag, t in paragraphs(c.answer_text))
                if text:
                    document.add_paragraph(text, style=quote)
            if group.more:
                more = ngettext("Et %(n)s autre contribution.", "Et %(n)s autres contributions.", group.more)
                document.add_paragraph(more % {"n": group.more})


def _commitments(document: Outline, report: Report) -> None:
    document.add_heading(_("Les engagements de la collectivité"), level=1)
    if not report.commitments:
        document.add_paragraph(_("Aucun engagement publié pour l'instant."))
        return
    rows = [
        [
            c.title,
            str(c.get_status_display()) + (f" ({_('en retard')})" if c.is_overdue else ""),
            f"{c.progress} %",
            short_date(c.planned_date) if c.planned_date else "—",
        ]
        for c in report.commitments
    ]
    _table(document, [_("Engagement"), _("Statut"), _("Avancement"), _("Date prévue")], rows)


def _colour_headings(document: Any, colour: str) -> None:
    from docx.shared import RGBColor

    try:
        rgb = RGBColor.from_string(colour.lstrip("#").upper())
    except ValueError:
        return
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        document.styles[name].font.color.rgb = rgb


def outline(report: Report) -> Outline:
    """What the DOCX of ``report`` says, in the active language (no python-docx here: cheap enough for a request)."""
    organisation = Organisation.get()
    title = _("Bilan : %(t)s") % {"t": report.space.title}
    document = Outline(title, organisation.name, get_language() or "fr", organisation.primary_colour)
    document.add_paragraph(organisation.name)
    document.add_heading(title, level=0)
    document.add_paragraph(_("Version du %(d)s") % {"d": long_date(timezone.localdate())})
    _rich(document, report.edition.introduction)
    sections = {
        "figures": lambda: _figures(document, report, report.figures),
        "territories": lambda: _territories(document, report.figures),
        "channels": lambda: _channels(document, report.figures),
        "phases": lambda: _phases(document, report),
        "syntheses": lambda: _syntheses(document, report),
        "contributions": lambda: _contributions(document, report),
        "decisions": lambda: _decisions(document, report),
        "commitments": lambda: _commitments(document, report),
    }
    for key, write in sections.items():
        if report.shows(key):
            write()
    return document


def render(plan: Outline) -> bytes:
    """The DOCX file's bytes of an outline."""
    from docx import Document

    document = Document()
    properties = document.core_properties
    properties.title, properties.author, properties.language = plan.title, plan.author, plan.language
    _colour_headings(document, plan.colour)
    styles: dict[str, Any] = {}  # looked up once: python-docx finds a style by name in a linear scan
    for block in plan.blocks:
        if block[0] == "h":
            document.add_heading(block[2], level=block[1])
        elif block[0] == "t":
            _docx_table(document, block[1], block[2])
        else:
            _kind, style, text, emphasis = block
            if style is not None and style not in styles:
                styles[style] = document.styles[style]
            line = document.add_paragraph(text, style=styles.get(style) if style else None)
            if emphasis:
                line.add_run(f" — {emphasis}").italic = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def bilan_docx(report: Report) -> bytes:
    """The bilan as a DOCX file's bytes."""
    return render(outline(report))


def _phases(document: Outline, report: Report) -> None:
    if not report.phases:
        return
    document.add_heading(_("Les étapes de la démarche"), level=1)
    for phase in report.phases:
        start, end = long_date(phase.start), long_date(phase.end)
        document.add_paragraph(
            _("%(name)s (%(module)s) : du %(s)s au %(e)s")
            % {"name": phase.name, "module": phase.module.title, "s": start, "e": end},
            style="List Number",
        )


def _decisions(document: Outline, report: Report) -> None:
    if not report.edition.decisions:
        return
    document.add_heading(_("Les décisions prises"), level=1)
    _rich(document, report.edition.decisions)


def _syntheses(document: Outline, report: Report) -> None:
    if not report.syntheses:
        return
    document.add_heading(_("Les synthèses des contributions"), level=1)
    for item in report.syntheses:
        document.add_heading(str(item.synthesis), level=2)
        for theme in item.themes:
            quote = theme.quotes[0].text if theme.quotes else ""
            line = ngettext(
                "%(label)s — %(size)s contribution (%(percent)s %%)",
                "%(label)s — %(size)s contributions (%(percent)s %%)",
                theme.size,
            ) % {
                "label": theme.label,
                "size": theme.size,
                "percent": theme.percent,
            }
            document.add_paragraph(line + (f" : « {quote[:280]} »" if quote else ""), style="List Bullet")
