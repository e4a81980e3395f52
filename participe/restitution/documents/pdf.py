"""The bilan of a démarche as PDF (WeasyPrint): the same data as the page, a print layout in the organisation's
colours, tagged (PDF/UA-1) as far as WeasyPrint goes. Nothing is fetched while rendering (no URL, no file): the
styles are in the document, so a bilan never makes the server request anything."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from participe.organisation.models import Organisation
from participe.restitution.selectors import Report


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError(f"not fetched: {url[:80]}")


def print_html(report: Report, *, base_url: str) -> str:
    """The HTML the PDF is made of (everything it shows: its fingerprint is the PDF's, decision 0042)."""
    organisation = Organisation.get()
    return render_to_string(
        "restitution/bilan_print.html",
        {"bilan": report, "space": report.space, "organisation": organisation, "base_url": base_url.rstrip("/")},
    )


def pdf_of(html: str, *, base_url: str) -> bytes:
    """The PDF of the print HTML (the worker's part: WeasyPrint lays it out)."""
    from weasyprint import HTML  # imported when a PDF is built: loading it takes a moment

    document = HTML(string=html, base_url=base_url, url_fetcher=_no_fetch)
    pdf = document.write_pdf(pdf_variant="pdf/ua-1")
    return bytes(pdf or b"")


def bilan_pdf(report: Report, *, base_url: str) -> bytes:
    return pdf_of(print_html(report, base_url=base_url), base_url=base_url)
