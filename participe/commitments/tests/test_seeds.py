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
