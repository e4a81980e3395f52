"""The organisation's name in sentences (issue #18): « la vie de la Ville de Lumerac », « à Lumerac »."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from participe.organisation.models import Organisation

pytestmark = pytest.mark.django_db


def test_the_phrases_the_organisation_wrote_are_used_as_they_are():
    organisation = Organisation(name="Ville de Lumerac", name_of="de la Ville de Lumerac", name_in="à Lumerac")
    with translation.override("fr"):
        assert organisation.of_phrase == "de la Ville de Lumerac"
        assert organisation.in_phrase == "à Lumerac"


@pytest.mark.parametrize(
    "name, expected", [("Lumerac", "de Lumerac"), ("Agen", "d'Agen"), ("Évry", "d'Évry"), ("Hautmont", "de Hautmont")]
)
def test_without_them_de_is_elided_before_a_vowel(name, expected):
    with translation.override("fr"):
        assert Organisation(name=name).of_phrase == expected


def test_english_does_not_borrow_the_french_phrases(settings):
    organisation = Organisation(name="Lumerac", name_of="de la Ville de Lumerac", name_in="à Lumerac")
    with translation.override("en"):
        assert organisation.of_phrase == "Lumerac"  # "Take part in the life of %(of)s"
        assert organisation.in_phrase == "Lumerac"


def test_the_home_page_speaks_of_the_organisation_with_its_article(client):
    Organisation.objects.create(pk=1, name="Ville de Lumerac", name_of="de la Ville de Lumerac")
    page = client.get(reverse("home")).content.decode()
    assert "Participez à la vie de la Ville de Lumerac" in page
    assert "vie de Ville de Lumerac" not in page
