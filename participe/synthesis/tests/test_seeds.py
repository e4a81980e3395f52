"""The demo: the place du Marché has a published synthesis of its debate and its register, with themes named by
the agents and quotes that lead to their contributions; idempotent."""

from __future__ import annotations

import pytest

from participe.backoffice.demo import load_demo
from participe.synthesis.models import ImportedContribution, Synthesis
from participe.synthesis.selectors import published_syntheses

pytestmark = pytest.mark.django_db


def test_the_place_du_marche_has_a_published_synthesis(settings, client, django_capture_on_commit_callbacks):
    settings.PARTICIPE_DEMO = True
    with django_capture_on_commit_callbacks(execute=True):
        load_demo()
        load_demo()  # idempotent
    synthesis = Synthesis.objects.get(space__slug="place-du-marche")
    assert synthesis.is_published and synthesis.contributions_count > 100
    assert ImportedContribution.objects.filter(space__slug="place-du-marche").count() == 114
    assert synthesis.entries.exclude(imported__isnull=False).exists()  # the debate's contributions too
    [found] = published_syntheses(synthesis.space)
    labels = [t.label for t in found.themes]
    assert "Des arbres, de l'ombre et de la fraîcheur" in labels
    page = client.get(synthesis.get_absolute_url()).content.decode()
    assert "Trois attentes reviennent le plus souvent." in page
    quote = next(q for t in found.themes for q in t.quotes)
    assert client.get(quote.url).status_code == 200
