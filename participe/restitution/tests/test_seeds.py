"""The demo: the place du Marché has a published bilan with its figures, answered and unanswered contributions,
representativeness against the quartiers' population, decisions and four commitments; idempotent."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from participe.backoffice.demo import load_demo
from participe.restitution.models import Bilan
from participe.restitution.selectors import bilan_of

pytestmark = pytest.mark.django_db


def test_the_place_du_marche_has_a_published_bilan(settings, client):
    settings.PARTICIPE_DEMO = True
    load_demo()
    load_demo()  # idempotent
    bilan = Bilan.objects.get(space__slug="place-du-marche")
    assert bilan.is_published and bilan.introduction and bilan.decisions
    report = bilan_of(bilan.space, AnonymousUser())
    assert report.answered >= 3 and report.unanswered >= 1
    assert report.figures.has_population and report.figures.participants > 10
    assert len(report.commitments) == 4
    page = client.get(reverse("restitution:bilan", args=["place-du-marche"])).content.decode()
    assert "Le conseil municipal a retenu quatre orientations" in page and "sous-représenté" in page
