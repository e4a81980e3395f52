"""The documented worked example (docs/modules/budgets.md): greedy funds the north's two projects, the method of
equal shares with its completion and Phragmén fund one project of each side; explanations and the comparison."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from participe.ballots import services as ballots
from participe.modules.budgets import selectors, services
from participe.modules.budgets.tests.factories import make_vote
from tests.factories import UserFactory, VerificationFactory, make_org_admin

pytestmark = pytest.mark.django_db


def counted_example():
    envelope, (park, stadium, library) = make_vote(costs=(50_000, 50_000, 50_000), amount=100_000)
    for n in range(10):
        voter = UserFactory()
        VerificationFactory(user=voter)
        chosen = [park.pk, stadium.pk] if n < 6 else [library.pk]
        ballots.ballot_cast(actor=voter, election=envelope.election, content={"projects": chosen})
    admin = make_org_admin()
    ballots.election_close(actor=admin, election=envelope.election)
    ballots.election_count(actor=admin, election=envelope.election)
    return envelope, admin, (park, stadium, library)


@pytest.mark.parametrize(
    ("rule", "funded"),
    [
        ("greedy", ("park", "stadium")),
        ("mes", ("park",)),
        ("mes-add1", ("park", "library")),
        ("phragmen", ("park", "library")),
    ],
)
def test_the_worked_example_of_the_docs(rule, funded):
    envelope, admin, (park, stadium, library) = counted_example()
    names = {str(park.pk): "park", str(stadium.pk): "stadium", str(library.pk): "library"}
    envelope = services.envelope_tally(actor=admin, envelope=envelope, rule=rule)
    assert tuple(names[p] for p in envelope.outcome["selected"]) == funded
    laid_out = selectors.results(envelope)
    assert laid_out.voters == 10 and len(laid_out.lines) == 3
    assert all(line.explanation for line in laid_out.lines)
    if rule in ("mes-add1", "phragmen"):
        assert {line.project.pk for line in laid_out.differ} == {stadium.pk, library.pk}
        assert laid_out.with_one_funded == 100


def test_a_closed_vote_goes_out_as_a_pabulib_file_and_comes_back_the_same(client):
    from participe.modules.budgets.open_data import pabulib_text, stream
    from participe.modules.budgets.services.results import tally_election
    from participe.modules.budgets.tally import pabulib
    from participe.modules.budgets.tally.rules import tally

    envelope, admin, _projects = counted_example()
    envelope = services.envelope_tally(actor=admin, envelope=envelope, rule="mes-add1")
    url = envelope.get_absolute_url() + "vote.pb"
    assert client.get(url).status_code == 404  # not before the results are published
    services.results_publish(actor=admin, envelope=envelope)
    text = client.get(url).content.decode()
    assert text == pabulib_text(envelope)
    with zipfile.ZipFile(io.BytesIO(b"".join(stream(envelope.module, "zip")))) as archive:
        assert [archive.read(name).decode() for name in archive.namelist()] == [text]
    back = pabulib.to_election(pabulib.read(text))
    original = tally_election(envelope)
    assert (back.budget, back.vote_type, back.ballots) == (original.budget, original.vote_type, original.ballots)
    assert [(p.id, p.cost, p.name) for p in back.projects] == [(p.id, p.cost, p.name) for p in original.projects]
    assert tally(back, back.meta["rule"]).selected == envelope.outcome["selected"]


def test_funded_projects_are_followed_until_delivered_as_commitments(client):
    from participe.commitments.models import Commitment

    envelope, admin, (park, _stadium, library) = counted_example()
    envelope = services.envelope_tally(actor=admin, envelope=envelope, rule="mes-add1")
    with pytest.raises(Exception, match="une fois les résultats publiés"):
        services.delivery_start(actor=admin, envelope=envelope)
    envelope = services.results_publish(actor=admin, envelope=envelope)
    made = services.delivery_start(actor=admin, envelope=envelope)
    assert sorted(c.title for c in made) == sorted([park.title, library.title])
    assert services.delivery_start(actor=admin, envelope=envelope) == []  # once
    assert Commitment.objects.get(title=park.title).budget == 50_000
    page = client.get(park.get_absolute_url()).content.decode()
    assert "Suivi de réalisation" in page and "étude" in page


def test_a_categorys_minimum_share_is_enforced_and_explained_on_the_results_page(client):
    from participe.modules.budgets.models import Category, Project

    envelope, admin, (park, stadium, library) = counted_example()
    culture, sport = services.categories_save(
        actor=admin, envelope=envelope, categories=[("Culture", 40), ("Sport", 0)]
    )
    Project.objects.filter(pk=library.pk).update(category=culture)
    Project.objects.filter(pk__in=[park.pk, stadium.pk]).update(category=sport)
    envelope = services.envelope_tally(actor=admin, envelope=envelope, rule="greedy")
    assert str(library.pk) in envelope.outcome["selected"]  # greedy alone funds the north's two projects
    laid_out = selectors.results(envelope)
    assert [line.project.pk for line in laid_out.by_floor] == [library.pk]
    (floor,) = laid_out.floors
    assert floor.category == "Culture" and floor.reached and floor.floor == 40_000
    services.results_publish(actor=admin, envelope=envelope)
    page = client.get(envelope.get_absolute_url() + "projets-retenus/").content.decode()
    assert "Parts minimales des catégories" in page and "grâce à la part minimale" in page
    api = client.get(f"/api/v1/budgets/envelopes/{envelope.pk}/results").json()
    assert api["funded_by_floor"] == [library.pk] and api["floors"][0]["reached"]
    assert api["floors"][0]["min_share"] == 40 and api["floors"][0]["floor"] == 40_000
    assert Category.objects.filter(envelope=envelope).count() == 2


def test_an_infeasible_minimum_share_is_explained(client):
    from participe.modules.budgets.models import Project

    envelope, admin, (_park, _stadium, library) = counted_example()
    (culture,) = services.categories_save(actor=admin, envelope=envelope, categories=[("Culture", 80)])
    Project.objects.filter(pk=library.pk).update(category=culture)
    envelope = services.envelope_tally(actor=admin, envelope=envelope, rule="mes")
    (floor,) = selectors.results(envelope).floors
    assert not floor.reached and "Impossible à atteindre" in floor.text and "50\u202f000" in floor.text


def test_the_open_data_archive_holds_every_published_envelope(client):
    envelope, admin, _projects = counted_example()
    services.envelope_tally(actor=admin, envelope=envelope, rule="greedy")
    services.results_publish(actor=admin, envelope=envelope)
    second, projects = make_vote(
        (20_000, 30_000), module=envelope.module, admin=admin, title="Quartier Nord", amount=50_000
    )
    for chosen in ([0], [0, 1], [1]):
        voter = UserFactory()
        VerificationFactory(user=voter)
        content = {"projects": [projects[n].pk for n in chosen]}
        ballots.ballot_cast(actor=voter, election=second.election, content=content)
    ballots.election_close(actor=admin, election=second.election)
    ballots.election_count(actor=admin, election=second.election)
    services.envelope_tally(actor=admin, envelope=second, rule="mes-add1")
    module = envelope.module
    url = reverse("opendata:download", args=[module.space.slug, module.slug, "vote-pabulib", "zip"])
    assert client.get(url).status_code == 200  # the first envelope is published
    services.results_publish(actor=admin, envelope=second)
    response = client.get(url)
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        names = archive.namelist()
        assert names == [f"enveloppe-{envelope.pk}-toute-la-ville.pb", f"enveloppe-{second.pk}-quartier-nord.pb"]
        assert "num_votes;3" in archive.read(names[1]).decode()
