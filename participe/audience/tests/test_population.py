"""Representativeness by age bracket and gender: the participants (from their active verifications) against the
population entered per territory (``Territory.population_detail``, the territory form of the back-office), on the
statistics page, in its CSV; « non renseigné » for what no verification says."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse

from participe.audience.selectors.participation import representativeness
from participe.comments.tests.factories import CommentFactory
from participe.organisation.models import Territory
from tests.factories import ItemFactory, TerritoryFactory, UserFactory, VerificationFactory, make_org_admin

pytestmark = pytest.mark.django_db


def _born(age: int) -> datetime.date:
    today = datetime.date.today()
    return datetime.date(today.year - age - 1, 1, 1)


@pytest.fixture
def quartiers(space, ideas):
    """Two quartiers with their population by age and gender; five participants: two women of 20 and 30, two men
    of 70, one unverified."""
    centre = TerritoryFactory(
        name="Centre-ville",
        population=2_000,
        population_detail={"ages": {"16-24": 300, "25-39": 500, "65+": 200}, "genders": {"female": 1_000, "male": 800}},
    )
    nord = TerritoryFactory(
        name="Plateau Nord",
        population=3_000,
        population_detail={
            "ages": {"16-24": 200, "25-39": 500, "65+": 300},
            "genders": {"female": 1_200, "male": 1_000},
        },
    )
    people = [
        (centre, 20, "female"),
        (centre, 30, "female"),
        (nord, 70, "male"),
        (nord, 70, "m"),
        (nord, None, ""),
    ]
    item = ItemFactory(module=ideas, title="Des bancs", author=None)
    for territory, age, gender in people:
        user = UserFactory(territory=territory)
        if age is not None:
            VerificationFactory(user=user, birth_date=_born(age), attributes={"gender": gender} if gender else {})
        CommentFactory(item=item, author=user, body="Oui")
    return ideas


def test_participants_by_age_and_gender_against_the_population(quartiers):
    people = representativeness([quartiers])
    ages = {s.label: s for s in people.ages}
    assert [s.label for s in people.ages] == [
        "moins de 16 ans",
        "16 à 24 ans",
        "25 à 39 ans",
        "40 à 54 ans",
        "55 à 64 ans",
        "65 ans et plus",
        "non renseigné",
    ]
    assert (ages["16 à 24 ans"].count, ages["65 ans et plus"].count, ages["non renseigné"].count) == (1, 2, 1)
    # The population of the two quartiers summed: 500 + 1000 + 500 = 2000 in the brackets entered.
    assert ages["16 à 24 ans"].population == 500 and ages["16 à 24 ans"].population_percent == 25.0
    # The participants compared: the four whose bracket is known and has a population.
    assert ages["65 ans et plus"].compared_percent == 50.0 and ages["65 ans et plus"].population_percent == 25.0
    assert ages["65 ans et plus"].index == 2.0 and ages["65 ans et plus"].verdict == "over"
    assert ages["40 à 54 ans"].population is None and ages["40 à 54 ans"].index is None
    assert ages["non renseigné"].population is None
    genders = {s.label: s for s in people.genders}
    assert (genders["femmes"].count, genders["hommes"].count, genders["non renseigné"].count) == (2, 2, 1)
    assert genders["femmes"].population == 2_200 and genders["hommes"].population == 1_800
    assert genders["femmes"].verdict == "fair" and round(genders["hommes"].index, 2) == 1.11
    assert people.has_age_population and people.has_gender_population


def test_without_population_figures_nothing_is_compared(space, ideas):
    item = ItemFactory(module=ideas, title="Des bancs", author=UserFactory())
    CommentFactory(item=item, author=UserFactory(), body="Oui")
    people = representativeness([ideas])
    assert not people.has_age_population and all(s.index is None for s in people.ages)
    assert {s.label: s.count for s in people.genders}["non renseigné"] == 2


def test_the_page_and_the_csv(client, quartiers):
    client.force_login(make_org_admin())
    page = client.get(reverse("audience:statistics")).content.decode()
    assert "Part de la population" in page and "Part des participants comparés" in page and "non renseigné" in page
    text = b"".join(client.get(reverse("audience:export")).streaming_content).decode("utf-8").lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert ["ages", "", "65 ans et plus", "population", "500"] in rows
    assert ["ages", "", "65 ans et plus", "indice_representativite", "2.00"] in rows
    assert ["genres", "", "femmes", "population", "2200"] in rows
    assert ["genres", "", "non renseigné", "participants", "1"] in rows


def test_an_administrator_enters_the_population_by_age_and_gender(client):
    territory = TerritoryFactory(name="Centre-ville", population=2_000)
    client.force_login(make_org_admin())
    url = reverse("backoffice:territory_edit", args=[territory.pk])
    form = client.get(url).content.decode()
    assert "Population : 16 à 24 ans" in form and "Population : femmes" in form
    data = {"name": "Centre-ville", "kind": territory.kind, "code": "", "parent": "", "slug": territory.slug,
            "population": "2000", "population_16_24": "300", "population_65_plus": "200", "population_female": "1000",
            "boundary_text": ""}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    territory.refresh_from_db()
    assert territory.population_detail == {"ages": {"16-24": 300, "65+": 200}, "genders": {"female": 1000}}
    data["population_male"] = "-4"
    response = client.post(url, data)
    assert response.status_code in (200, 400)
    assert Territory.objects.get(pk=territory.pk).population_detail["genders"] == {"female": 1000}
