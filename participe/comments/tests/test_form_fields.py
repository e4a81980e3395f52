"""The comment form's fields kept in the process for a new form (``{% comment_form_fields %}``, issue #12): the same
HTML the templates give, per language and per official's box; a form sent back keeps what its author typed."""

from __future__ import annotations

import pytest
from django.template.loader import get_template
from django.utils import translation

from participe.comments.forms import CommentForm
from participe.comments.templatetags import comments as tags


@pytest.fixture(autouse=True)
def empty_memo():
    tags._new_form_fields.clear()
    yield
    tags._new_form_fields.clear()


def rendered(form: CommentForm) -> str:
    return get_template(tags.FORM_FIELDS_TEMPLATE).render({"form": form})


def test_a_new_form_gives_what_the_template_gives_and_is_rendered_once(monkeypatch):
    expected = rendered(CommentForm())
    assert 'name="body"' in expected and 'name="stance"' in expected
    assert tags.comment_form_fields(CommentForm()) == expected
    calls = []
    real = tags.get_template
    monkeypatch.setattr(tags, "get_template", lambda name: calls.append(name) or real(name))
    assert tags.comment_form_fields(CommentForm()) == expected
    assert calls == []  # kept


@pytest.mark.parametrize(
    "official", [None, ("elected", ""), ("service", "Voirie"), ("service", "Espaces verts")], ids=str
)
def test_each_official_box_and_language_is_kept_apart(official):
    seen = set()
    for language in ("fr", "en"):
        with translation.override(language):
            html = tags.comment_form_fields(CommentForm(official=official))
            assert html == rendered(CommentForm(official=official))
            seen.add(html)
    assert len(seen) == 2
    if official and official[0] == "service":
        assert official[1] in html
    assert ('name="as_official"' in html) == (official is not None)


def test_a_form_sent_back_keeps_what_was_typed_and_its_errors():
    tags.comment_form_fields(CommentForm())  # a new form kept first
    sent = CommentForm({"body": "Mon avis <b>tapé</b>", "stance": ""})
    assert not sent.is_valid()
    html = tags.comment_form_fields(sent)
    assert "Mon avis &lt;b&gt;tapé&lt;/b&gt;" in html
    assert "Choisissez votre position" in html
    assert html != tags.comment_form_fields(CommentForm())


def test_the_length_limit_is_part_of_the_key(settings):
    first = tags.comment_form_fields(CommentForm())
    settings.PARTICIPE_COMMENT_MAX_LENGTH = 1234
    second = tags.comment_form_fields(CommentForm())
    assert second != first and 'maxlength="1234"' in second
