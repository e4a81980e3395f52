"""The statistics page and its CSV: for the organisation's administrators only (anyone else is told why), the
audience, the participation by module and channel, the conversion, the representativeness by territory (the bilan's
figures), age bracket and gender; the public part on a bilan when the setting shows it."""

from __future__ import annotations

import csv
import datetime
import html
import io

import pytest
from django.urls import reverse

from participe.audience.counter import recorder
from participe.audience.models import DailyCount, Dimension
from participe.audience.tests.conftest import FIREFOX, IPHONE, read
from participe.comments.tests.factories import CommentFactory
from tests.factories import (
    ItemFactory,
    TerritoryFactory,
    UserFactory,
    VerificationFactory,
    make_agent,
    make_org_admin,
    make_space_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lumerac(space, ideas):
    """Two quartiers with their population; three participants (two verified: a woman of 30, a man of 70)."""
    commune = TerritoryFactory(name="Lumerac", kind="commune")
    centre = TerritoryFactory(name="Centre-ville", parent=commune, population=2_000)
    nord = TerritoryFactory(name="Plateau Nord", parent=commune, population=8_000)
    today = datetime.date.today()
    alice = UserFactory(territory=centre)
    VerificationFactory(user=alice, birth_date=today.replace(year=today.year - 30) - datetime.timedelta(days=1),
                        attributes={"gender": "female"})  # fmt: skip
    bruno = UserFactory(territory=nord)
    VerificationFactory(user=bruno, birth_date=datetime.date(today.year - 70, 1, 1), attributes={"gender": "male"})
    item = ItemFactory(module=ideas, title="Des bancs", author=alice)
    CommentFactory(item=item, author=bruno, body="Et de l'ombre.")
    CommentFactory(item=item, author=UserFactory(territory=nord), body="Oui !")
    return space


def test_a_visitor_is_sent_to_the_login_page(client):
    response = client.get(reverse("audience:statistics"))
    assert response.status_code == 302 and "/compte/login/" in response["Location"]


@pytest.mark.parametrize("who", ["resident", "agent", "space_admin"])
def test_anyone_but_an_organisation_administrator_is_refused_with_the_reason(client, space, who):
    user = {"resident": UserFactory, "agent": make_agent, "space_admin": lambda: make_space_role(space, "admin")}[who]()
    client.force_login(user)
    for name in ("audience:statistics", "audience:export"):
        response = client.get(reverse(name))
        assert response.status_code == 403
        assert "réservées aux administrateurs de l'organisation" in html.unescape(response.content.decode())


def test_an_administrator_without_the_second_factor_is_refused(client):
    from tests.sessions import sign_in_without_second_factor

    sign_in_without_second_factor(client, make_org_admin())
    assert client.get(reverse("audience:statistics")).status_code in (302, 403)


def test_the_page_shows_the_audience_participation_and_representativeness(client, lumerac, module):
    read(client, lumerac.get_absolute_url())
    read(client, lumerac.get_absolute_url())
    read(client, module.get_absolute_url(), agent=IPHONE, HTTP_REFERER="https://www.qwant.com/?q=place")
    recorder.flush()
    client.force_login(make_org_admin())
    response = client.get(reverse("audience:statistics"))
    assert response.status_code == 200
    context = response.context
    assert (context["audience"].visits, context["audience"].views) == (2, 3)
    assert context["participation"].participants == 3
    assert context["participation"].contributions == 3
    assert context["conversion"] == 150.0
    assert [r.label for r in context["audience"].referrers] == ["qwant.com"]
    assert {r.label for r in context["audience"].devices} == {"ordinateur", "téléphone"}
    people = context["people"]
    rows = {row.territory.name if row.territory else None: row for row in people.territories}
    assert (rows["Centre-ville"].participants, rows["Plateau Nord"].participants) == (1, 2)
    assert rows["Centre-ville"].verdict == "over"
    ages = {share.label: share.count for share in people.ages}
    assert (ages["25 à 39 ans"], ages["65 ans et plus"], ages["non renseigné"]) == (1, 1, 1)
    genders = {share.label: share.count for share in people.genders}
    assert genders == {"femmes": 1, "hommes": 1, "non renseigné": 1}
    page = response.content.decode()
    assert "<svg" in page and "Pages vues par jour" in page and "Qui a participé, par territoire" in page
    # Contributions per module and channel.
    assert [(m.title, n) for m, n in context["participation"].active_modules] == [("Idées pour la place", 3)]
    assert context["participation"].per_channel == {"online": 3}


def test_the_page_for_one_space_and_a_long_period(client, lumerac, module):
    read(client, module.get_absolute_url())
    recorder.flush()
    client.force_login(make_org_admin())
    response = client.get(reverse("audience:statistics"), {"periode": "760", "espace": lumerac.pk})
    assert response.status_code == 200
    audience = response.context["audience"]
    assert audience.space == lumerac and audience.period.by_month
    assert 25 <= len(audience.steps) <= 27
    assert [(r.label, r.views) for r in audience.modules] == [("Présentation (Place du Marché)", 1)]


def test_the_csv_export(client, lumerac):
    read(client, lumerac.get_absolute_url())
    recorder.flush()
    DailyCount.objects.create(day=datetime.date.today(), dimension=Dimension.REFERRER, key="=cmd|calc", views=1)
    client.force_login(make_org_admin())
    response = client.get(reverse("audience:export"), {"periode": "90"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="statistiques-' in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["rubrique", "date", "element", "mesure", "valeur"]
    assert ["frequentation", rows[1][1], "total", "visites", "1"] in rows
    assert any(r[:2] == ["participation", rows[1][1]] and r[3:] == ["participants", "3"] for r in rows)
    assert ["territoires", "", "Plateau Nord", "participants", "2"] in rows
    assert ["genres", "", "femmes", "participants", "1"] in rows
    assert any(r[0] == "sites_d_origine" and r[2] == "'=cmd|calc" for r in rows)  # never read as a formula


def test_the_back_office_menu_links_the_page_for_administrators_only(client):
    client.force_login(make_org_admin())
    assert reverse("audience:statistics") in client.get(reverse("backoffice:dashboard")).content.decode()
    client.force_login(make_agent())
    assert reverse("audience:statistics") not in client.get(reverse("backoffice:dashboard")).content.decode()


def test_the_bilan_shows_the_visits_of_its_demarche_when_the_setting_says_so(client, lumerac, settings):
    from participe.restitution.models import Bilan

    Bilan.objects.create(space=lumerac, state=Bilan.State.PUBLISHED)
    read(client, lumerac.get_absolute_url(), agent=FIREFOX)
    read(client, lumerac.get_absolute_url(), agent=IPHONE)
    recorder.flush()
    bilan = reverse("restitution:bilan", args=[lumerac.slug])
    assert "Fréquentation de la démarche" not in client.get(bilan).content.decode()
    settings.PARTICIPE_AUDIENCE_PUBLIC_ON_BILAN = True
    page = client.get(bilan).content.decode()
    assert "Fréquentation de la démarche" in page
    assert "2 visites de ses pages" in page and "3 participants, soit 150 pour 100 visites" in page
