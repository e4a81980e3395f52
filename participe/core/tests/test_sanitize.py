"""HTML sanitising of rich text, and the RichTextField that applies it on every save."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from participe.core.sanitize import sanitize_html, strip_tags
from participe.core.templatetags.participe import rich


@pytest.mark.parametrize(
    "dirty, forbidden",
    [
        ("<p>Bonjour</p><script>alert(1)</script>", "<script"),
        ('<p onclick="alert(1)">Bonjour</p>', "onclick"),
        ('<img src="x" onerror="alert(1)">', "onerror"),
        ('<a href="javascript:alert(1)">lien</a>', "javascript:"),
        ('<a href="JaVaScRiPt:alert(1)">lien</a>', "javascript:"),
        ('<a href="  javascript:alert(1)">lien</a>', "javascript:"),
        ('<a href="data:text/html;base64,PHNjcmlwdD4=">lien</a>', "data:"),
        ("<style>body{display:none}</style><p>x</p>", "<style"),
        ('<iframe src="https://example.org"></iframe>', "<iframe"),
        ('<p style="background:url(javascript:alert(1))">x</p>', "style="),
        ("<svg><script>alert(1)</script></svg>", "<script"),
        ('<form action="https://evil.example"><input name="x"></form>', "<form"),
    ],
)
def test_it_removes_what_could_run(dirty, forbidden):
    assert forbidden not in sanitize_html(dirty).lower()


def test_it_keeps_the_formatting():
    html = (
        "<h2>Titre</h2><p>Un <strong>texte</strong> <em>important</em>, <u>souligné</u>.</p>"
        "<ul><li>un</li><li>deux</li></ul><ol><li>premier</li></ol><blockquote>citation</blockquote>"
        '<table><caption>Budget</caption><thead><tr><th scope="col">Poste</th></tr></thead>'
        '<tbody><tr><td colspan="2">10 €</td></tr></tbody></table>'
    )
    assert sanitize_html(html) == html


def test_it_keeps_safe_links_and_marks_them_noopener():
    cleaned = sanitize_html(
        '<a href="https://example.org/page" title="Voir">voir</a> <a href="mailto:a@example.org">écrire</a>'
    )
    assert 'href="https://example.org/page"' in cleaned
    assert 'title="Voir"' in cleaned
    assert 'href="mailto:a@example.org"' in cleaned
    assert 'rel="noopener noreferrer nofollow"' in cleaned


def test_it_returns_an_empty_string_for_nothing():
    assert sanitize_html(None) == ""
    assert sanitize_html("") == ""


def test_it_strips_every_tag_for_excerpts():
    assert strip_tags("<p>Un <strong>texte</strong></p><script>x()</script>") == "Un texte"
    assert strip_tags(None) == ""


def test_it_sanitises_again_when_rendering():
    assert "<script" not in rich("<p>ok</p><script>alert(1)</script>")


class _Inspector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(attrs)


FRAGMENTS = st.sampled_from(
    [
        "<script>",
        "</script>",
        "<SCRIPT src=//evil.example/x.js>",
        "<scr<script>ipt>",
        "<p>",
        "</p>",
        "<a ",
        'href="javascript:alert(1)"',
        "href='jav&#x09;ascript:x'",
        " onclick=alert(1)",
        ' onmouseover="x()"',
        "ONLOAD=x",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)>",
        "<iframe>",
        "<style>",
        "<!--",
        "-->",
        "<![CDATA[",
        ">",
        "<",
        '"',
        "'",
        "=",
        " ",
        "<strong>",
        "<em>",
        "<h2>",
        "<table><tr><td>",
        "<math><mi>",
        "<noscript>",
        "<template>",
        "<object data=x>",
        "<base href=//evil>",
        "<meta http-equiv=refresh>",
        "&lt;script&gt;",
    ]
)
HTML_SOUP = st.lists(st.one_of(FRAGMENTS, st.text(max_size=12)), max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(HTML_SOUP)
def test_it_never_lets_a_script_or_an_event_handler_through(dirty):
    cleaned = sanitize_html(dirty)
    assert "<script" not in cleaned.lower()
    inspector = _Inspector()
    inspector.feed(cleaned)
    inspector.close()
    assert not {"script", "style", "iframe", "object", "svg", "base", "meta"} & set(inspector.tags)
    for name, value in inspector.attributes:
        assert not name.lower().startswith("on"), cleaned
        if name == "href" and value:
            assert value.strip().lower().split(":", 1)[0] in {"http", "https", "mailto", "tel"} or ":" not in value, (
                cleaned
            )


@settings(max_examples=100, deadline=None)
@given(HTML_SOUP)
def test_it_is_idempotent(dirty):
    once = sanitize_html(dirty)
    assert sanitize_html(once) == once


@pytest.mark.django_db
def test_it_sanitises_a_rich_text_field_on_save():
    from django.apps import apps

    # Any model with a RichTextField will do; the organisation is always there.
    organisation = apps.get_model("organisation", "Organisation").get()
    organisation.legal_notice = '<p onclick="x()">Éditeur</p><script>alert(1)</script>'
    organisation.save()
    organisation.refresh_from_db()
    assert organisation.legal_notice == "<p>Éditeur</p>"


def test_plain_text_keeps_paragraphs_apart():
    """The synthesis reads contributions through it: « plus</p><p>Deuxième » must stay two words."""
    from participe.core.sanitize import plain_text

    assert plain_text("<p>Un peu plus</p><p>Deuxième &amp; <b>dernier</b></p><ul><li>a</li><li>b</li></ul>") == (
        "Un peu plus\nDeuxième & dernier\na\nb"
    )
