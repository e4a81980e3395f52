"""French typography in the templates (issue #18): a counted word agrees with its number, « courriel » is the one
word for email, no double full stop after an abbreviation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template.loader import get_template

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted(
    [*(ROOT / "participe").rglob("templates/**/*.html"), *(ROOT / "participe").rglob("templates/**/*.txt")]
)
BLOCK = re.compile(r"\{% blocktrans(?:late)?(?P<args>[^%]*)%\}(?P<body>.*?)\{% endblocktrans(?:late)? %\}", re.S)
# "{{ n }} abonnés" in a block without `count`: reads « 1 abonnés ».
COUNTED = re.compile(r"\{\{ *(\w+) *\}\}(?:&nbsp;|\s)+([a-zà-ÿ]+[sx])\b")
# Numbers that are never 0 or 1, or words that do not change (« 2 choix »).
ALWAYS_PLURAL = {
    ("proposals/backoffice/list.html", "propositions"),  # « Plus de {{ n }} propositions » (a bounded count)
    ("proposals/backoffice/import.html", "propositions"),  # the file's maximum size
    ("surveys/backoffice/results_answers_more.html", "réponses"),  # the search window, thousands
    ("surveys/results.html", "personnes"),  # « Moins de {{ minimum }} personnes » (the threshold, ≥ 2)
    ("surveys/backoffice/partials/_question_summary.html", "choix"),
    ("votation/ballot.html", "options"),  # « de {{ min }} à {{ max }} options »
    ("votation/module_page.html", "options"),
}


def counted_words_without_plural() -> list[str]:
    found = []
    for path in TEMPLATES:
        relative = path.as_posix().split("/templates/", 1)[1]
        for block in BLOCK.finditer(path.read_text(encoding="utf-8")):
            if "count" in block.group("args").split():
                continue
            for match in COUNTED.finditer(block.group("body")):
                if (relative, match.group(2)) not in ALWAYS_PLURAL:
                    found.append(f"{relative}: « {match.group(0)} »")
    return found


def test_every_counted_word_agrees_with_its_number():
    assert not counted_words_without_plural(), "\n".join(counted_words_without_plural())


@pytest.mark.parametrize(
    "name",
    [
        "proposals/backoffice/detail.html",
        "debate/subject_list.html",
        "votation/partials/_group.html",
        "votation/results.html",
        "surveys/results/_question.html",
        "surveys/backoffice/export_job.html",
        "surveys/backoffice/partials/_question_summary.html",
    ],
)
def test_the_templates_given_plurals_still_compile(name):
    get_template(name)
