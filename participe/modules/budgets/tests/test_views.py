"""Pages of a budget: the ballot checked by the server (« Vérifier »: nothing written), reviewed, cast with a receipt;
an envelope of a quartier refuses other residents; closing, counting, tallying, publishing; the results explain why a
project was not funded; the back-office pages; the API."""

from __future__ import annotations

import re

import pytest

from participe.ballots import services as ballots
from participe.ballots.models import RollEntry, StagedBallot
from participe.modules.budgets import services
from participe.modules.budgets.models import Envelope
from participe.modules.budgets.tests.factories import make_vote
from tests.factories import TerritoryFactory, UserFactory, VerificationFactory, make_org_admin

pytestmark = pytest.mark.django_db


def verified(territory=None):
    user = UserFactory()
    VerificationFactory(user=user, territory=territory)
    return user


def ballot_url(envelope):
    return envelope.get_absolute_url() + "voter/"


def token_of(page) -> str:
    return re.search(r'name="jeton" value="([^"]+)"', page.content.decode()).group(1)


def bulletin_of(page) -> str:
    return re.search(r'name="bulletin" value="([^"]+)"', page.content.decode()).group(1).replace("&quot;", '"')


def test_the_pages_show_the_envelopes_and_projects(client):
    envelope, projects = make_vote()
    page = client.get(envelope.module.get_absolute_url()).content.decode()
    assert "Toute la ville" in page and "Projet 1" in page
    page = client.get(envelope.get_absolute_url()).content.decode()
    assert "Connectez-vous pour voter." in page
    page = client.get(projects[0].get_absolute_url()).content.decode()
    assert "Faisable." in page and "60\u202f000\xa0€" in page


def test_checking_a_ballot_recounts_on_the_server_and_writes_nothing(client):
    envelope, projects = make_vote()
    client.force_login(verified())
    page = client.post(ballot_url(envelope), {"projet": [projects[0].pk, projects[1].pk], "verifier": "1"})
    text = page.content.decode()
    assert "Dépassement : 10\u202f000\xa0€" in text and "plus que l" in text
    assert f'value="{projects[0].pk}" id="projet-{projects[0].pk}" checked' in text  # nothing typed is lost
    page = client.post(ballot_url(envelope), {"projet": [projects[1].pk], "verifier": "1"})
    assert "Reste à dépenser : 50\u202f000\xa0€" in page.content.decode()
    htmx = client.post(ballot_url(envelope), {"projet": [projects[1].pk], "verifier": "1"}, HTTP_HX_REQUEST="true")
    assert htmx.content.decode().lstrip().startswith('<div id="budget-summary"')
    assert not RollEntry.objects.exists()


def test_a_resident_reviews_casts_and_gets_a_receipt_again_on_reload(client):
    envelope, projects = make_vote()
    client.force_login(verified())
    review = client.post(ballot_url(envelope), {"projet": [projects[1].pk, projects[2].pk]})
    assert "Relire mon bulletin" in review.content.decode()
    data = {"bulletin": bulletin_of(review), "jeton": token_of(review)}
    receipt = client.post(ballot_url(envelope) + "confirmer/", data)
    text = receipt.content.decode()
    assert "A voté" in text
    code = re.search(r'budget-receipt__code"><strong>([^<]+)<', text).group(1)
    again = client.post(ballot_url(envelope) + "confirmer/", data)
    assert code in again.content.decode()
    assert RollEntry.objects.filter(election=envelope.election).count() == 1
    assert "Vous avez voté" in client.get(envelope.get_absolute_url()).content.decode()


def test_an_envelope_of_a_quartier_admits_its_residents_only(client):
    nord, sud = TerritoryFactory(name="Nord"), TerritoryFactory(name="Sud")
    envelope, _projects = make_vote(title="Quartier Nord", territory=nord)
    client.force_login(verified(sud))
    page = client.get(envelope.get_absolute_url()).content.decode()
    assert "réservée aux habitants du territoire « Nord »" in page
    assert client.get(ballot_url(envelope)).status_code == 302
    client.force_login(verified(nord))
    assert client.get(ballot_url(envelope)).status_code == 200


def _vote_and_count(envelope, projects, ballots_cast):
    for chosen in ballots_cast:
        ballots.ballot_cast(actor=verified(), election=envelope.election, content={"projects": chosen})
    admin = make_org_admin()
    ballots.election_close(actor=admin, election=envelope.election)
    ballots.election_count(actor=admin, election=envelope.election)
    return admin


def test_closing_counting_tallying_and_publishing_explains_why_a_project_was_not_funded(client):
    envelope, (a, b, c, d) = make_vote()
    admin = _vote_and_count(envelope, None, [[a.pk, c.pk], [a.pk, d.pk], [a.pk], [b.pk], [b.pk, c.pk]])
    envelope = services.envelope_tally(actor=admin, envelope=envelope)
    assert envelope.outcome["selected"] == [str(a.pk), str(c.pk), str(d.pk)]
    page = client.get(envelope.get_absolute_url() + "projets-retenus/").content.decode()
    assert "seront publiés" in page
    services.results_publish(actor=admin, envelope=envelope)
    page = client.get(envelope.get_absolute_url() + "projets-retenus/").content.decode()
    assert "3 projets financés" in page
    project_page = client.get(b.get_absolute_url()).content.decode()
    assert "Pourquoi ce projet n'est pas financé" in project_page
    assert "il ne restait que 10\u202f000\xa0€" in project_page


def test_the_tally_needs_a_counted_election_and_results_are_fixed_once_published():
    envelope, projects = make_vote()
    admin = make_org_admin()
    with pytest.raises(Exception, match="après le dépouillement"):
        services.envelope_tally(actor=admin, envelope=envelope)
    _vote_and_count(envelope, projects, [[projects[0].pk]])
    services.envelope_tally(actor=admin, envelope=envelope, rule="greedy")
    services.results_publish(actor=admin, envelope=envelope)
    with pytest.raises(Exception, match="ne changent plus"):
        services.envelope_tally(actor=admin, envelope=envelope)


def test_the_back_office_pages_answer_for_who_runs_the_budget(client):
    envelope, projects = make_vote()
    admin = make_org_admin()
    client.force_login(admin)
    module = envelope.module
    for url in (
        "/gestion/m/budgets/",
        f"/gestion/m/budgets/{module.pk}/",
        f"/gestion/m/budgets/{module.pk}/enveloppes/ajouter/",
        f"/gestion/m/budgets/{module.pk}/projets/ajouter/",
        f"/gestion/m/budgets/{module.pk}/projets/importer/",
        f"/gestion/m/budgets/{module.pk}/projets/propositions/",
        f"/gestion/m/budgets/{module.pk}/analyse/",
        f"/gestion/m/budgets/enveloppes/{envelope.pk}/modifier/",
        f"/gestion/m/budgets/enveloppes/{envelope.pk}/resultats/",
        f"/gestion/m/budgets/projets/{projects[0].pk}/",
    ):
        assert client.get(url).status_code == 200, url
    client.force_login(UserFactory())
    assert client.get(f"/gestion/m/budgets/{module.pk}/").status_code in (302, 403, 404)


def test_the_csv_import_page_lists_each_wrong_line(client):
    envelope, _projects = make_vote()
    client.force_login(make_org_admin())
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("p.csv", b"titre;cout\nBancs;abc\n", content_type="text/csv")
    page = client.post(f"/gestion/m/budgets/{envelope.module.pk}/projets/importer/", {"file": upload})
    assert "Ligne 2 :" in page.content.decode() and "nombre entier" in page.content.decode()


def test_the_api_lists_envelopes_projects_and_published_results(client):
    envelope, projects = make_vote(ballot_kind=Envelope.BallotKind.BUDGET)
    module = envelope.module
    listed = client.get(f"/api/v1/budgets/modules/{module.pk}/envelopes").json()
    assert listed[0]["election_id"] == envelope.election_id and listed[0]["amount"] == 100_000
    projects_out = client.get(f"/api/v1/budgets/envelopes/{envelope.pk}/projects").json()
    assert [p["feasibility"] for p in projects_out] == ["feasible"] * 4
    assert client.get(f"/api/v1/budgets/envelopes/{envelope.pk}/results").status_code == 409
    voter = verified()
    client.force_login(voter)
    over = client.post(
        f"/api/v1/ballots/elections/{envelope.election_id}/ballots",
        {"content": {"projects": [projects[0].pk, projects[1].pk]}},
        content_type="application/json",
    )
    assert over.status_code == 422 and "plus que l" in over.content.decode()
    assert not StagedBallot.objects.exists()


def test_a_polling_station_applies_the_quartier_of_the_envelope_with_the_same_message():
    import datetime

    from django.core.exceptions import ValidationError

    from participe.ballots import identity
    from participe.ballots.models import PollingStation

    nord, sud = TerritoryFactory(name="Nord"), TerritoryFactory(name="Sud")
    admin = make_org_admin()
    envelope, _projects = make_vote(title="Quartier Nord", territory=nord, admin=admin)
    station = ballots.station_save(
        actor=admin, station=PollingStation(module=envelope.module), data={"name": "Mairie", "place": "Hall"}
    )
    online = ballots_schema_message(envelope, sud)
    born = datetime.date(1980, 3, 1)
    for person in (identity.from_documents("Martin", "Léa", born, sud), identity.from_account(verified(sud))):
        with pytest.raises(ValidationError) as refused:
            ballots.roll_sign_paper(actor=admin, election=envelope.election, station=station, voter=person)
        assert online in refused.value.messages[0]
    resident = identity.from_documents("Martin", "Léo", born, nord)
    assert ballots.roll_sign_paper(actor=admin, election=envelope.election, station=station, voter=resident).pk


def ballots_schema_message(envelope, territory):
    """The refusal the online ballot gives a resident of ``territory`` (the page's words)."""
    from participe.ballots import schemas

    return schemas.get(envelope.election.schema).refusal(envelope.election, verified(territory))


def test_an_agent_sets_the_categories_and_their_minimum_share_on_the_envelope_page(client):
    from django.urls import reverse

    from participe.modules.budgets.models import Category
    from participe.modules.budgets.tests.factories import make_envelope

    admin = make_org_admin()
    envelope = make_envelope(admin=admin)
    client.force_login(admin)
    url = reverse("backoffice:budgets:envelope_edit", args=[envelope.pk])
    data = {
        "title": envelope.title,
        "amount": envelope.amount,
        "ballot_kind": envelope.ballot_kind,
        "points": 7,
        "max_points_per_project": 3,
        "rank_points": "3,2,1",
        "rule": "mes",
        "threshold": 0,
    }
    page = client.post(url, data | {"categories": "Nature et climat ; 20\nSport ; cent"}).content.decode()
    assert "Ligne 2 : écrivez le nom" in page and "Nature et climat ; 20\nSport ; cent" in page
    assert not Category.objects.exists()
    page = client.post(url, data | {"categories": "Nature ; 70\nSport ; 40"}).content.decode()
    assert "dépasse l&#x27;enveloppe entière" in page or "dépasse l'enveloppe entière" in page
    assert client.post(url, data | {"categories": "Nature et climat ; 20 %\nSport"}).status_code == 302
    assert sorted(Category.objects.values_list("name", "min_share")) == [("Nature et climat", 20), ("Sport", 0)]
    assert "Nature et climat ; 20" in client.get(url).content.decode()
