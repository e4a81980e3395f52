"""The demo: four commitments in progress on the place du Marché, with their steps; idempotent."""

from __future__ import annotations

import pytest

from participe.backoffice.demo import load_demo
from participe.commitments.models import Commitment

pytestmark = pytest.mark.django_db


def test_the_place_du_marche_has_four_commitments_in_progress(settings):
    settings.PARTICIPE_DEMO = True
    load_demo()
    load_demo()  # idempotent
    commitments = Commitment.objects.filter(space__slug="place-du-marche")
    assert commitments.count() == 4
    assert all(c.status in ("in_progress", "works") and c.updates_count >= 1 for c in commitments)
    assert commitments.filter(sources__isnull=False).distinct().count() >= 2
    assert sum(c.is_overdue for c in commitments) == 1


def test_the_demo_pages_show_them(settings, client):
    from django.urls import reverse

    settings.PARTICIPE_DEMO = True
    load_demo()
    follow_up = client.get(reverse("commitments:follow_up")).content.decode()
    assert "Reconstruire la halle couverte" in follow_up and "en retard" in follow_up
    bilan = client.get(reverse("restitution:bilan", args=["place-du-marche"])).content.decode()
    assert "Faut-il piétonniser la place du Marché le samedi ?" in bilan and "Planter vingt arbres" in bilan
    commitment = Commitment.objects.get(reference="MARCHE-04")
    source = commitment.sources.get().item
    assert "Sécuriser les traversées" in client.get(source.get_absolute_url()).content.decode()
