"""French is the source language, and its plurals are French even without a catalogue entry (issue #18)."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import ngettext


@pytest.mark.parametrize("n, expected", [(0, "0 abonné"), (1, "1 abonné"), (2, "2 abonnés"), (214, "214 abonnés")])
def test_a_french_msgid_without_catalogue_entry_follows_french_grammar(n, expected):
    with translation.override("fr"):
        assert ngettext("%(n)s abonné", "%(n)s abonnés", n) % {"n": n} == expected


def test_templates_too():
    template = Template(
        "{% load i18n %}{% blocktranslate count n=n %}{{ n }} abonné{% plural %}{{ n }} abonnés{% endblocktranslate %}"
    )
    with translation.override("fr"):
        assert template.render(Context({"n": 0})) == "0 abonné"


def test_english_keeps_its_own_rule():
    with translation.override("en"):
        assert ngettext("%(n)s proposition", "%(n)s propositions", 0) % {"n": 0} == "0 propositions"
