"""The home page shows what one can act on, grouped by démarche, the action in words and one deadline per row
(issue #18)."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from participe.spaces import selectors
from tests.factories import ModuleFactory, PhaseFactory, SpaceFactory

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def market():
    now = timezone.now()
    space = SpaceFactory(title="Réaménager la place du Marché")
    rules = ModuleFactory(space=space, module_type="page", title="Règlement et calendrier")
    PhaseFactory(module=rules, phase_type="information", name="Dépôt des idées", end=now + 20 * DAY)
    debate = ModuleFactory(space=space, module_type="debate", title="Débat sur la place")
    PhaseFactory(module=debate, phase_type="debat", name="Débat", end=now + 10 * DAY)
    ideas = ModuleFactory(space=space, module_type="proposals", title="Boîte à idées")
    PhaseFactory(module=ideas, phase_type="depot", name="Dépôt des idées", end=now + 20 * DAY)
    later = ModuleFactory(space=space, module_type="proposals", title="Plus tard")
    PhaseFactory(module=later, phase_type="depot", start=now + 5 * DAY, end=now + 30 * DAY)
    other = SpaceFactory(title="Budget participatif")
    survey = ModuleFactory(space=other, module_type="surveys", title="Questionnaire")
    PhaseFactory(module=survey, phase_type="reponses", name="Réponses", end=now + 15 * DAY)
    return space


def test_only_what_one_can_act_on_grouped_by_demarche(market):
    groups = selectors.open_actions(AnonymousUser())
    assert [(space.title, [a.module.title for a in actions]) for space, actions in groups] == [
        ("Réaménager la place du Marché", ["Débat sur la place", "Boîte à idées"]),
        ("Budget participatif", ["Questionnaire"]),
    ]
    words = [action.words for _space, actions in groups for action in actions]
    assert words == ["Donnez votre avis", "Déposez une proposition", "Répondez au questionnaire"]


def test_the_home_page_says_the_action_in_words_with_one_deadline_per_row(client, market):
    page = html.unescape(client.get(reverse("home")).content.decode()).replace("\xa0", " ")
    section = page[page.index('id="open-now"') : page.index('id="current-spaces"')]
    text = " ".join(re.sub(r"<[^>]+>", " ", section).split())
    deadline = (timezone.localtime() + 20 * DAY).date()
    assert (
        f"Déposez une proposition dans « Boîte à idées », jusqu'au {deadline.day if deadline.day > 1 else '1er'}"
        in text
    )
    assert "Règlement et calendrier" not in section  # an information page invites to nothing
    assert section.count("Réaménager la place du Marché") == 1
    assert text.count("jusqu'au") == 3
    assert "Prochaines échéances" not in page


def test_the_footer_leads_to_the_open_data_page(client):
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("opendata:catalogue")}"' in page
