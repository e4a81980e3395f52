"""Votation pages: the module page and why one may not vote, the ballot, its review, the receipt (and the same
receipt when the confirmation is sent again), the results; the hook, open data, statistics, seeds."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from participe.ballots import services as ballots
from participe.ballots.models import Ballot, Election, RollEntry, StagedBallot
from participe.core.registry import statistics_of
from participe.modules.votation import hooks, open_data, seeds, services
from participe.modules.votation.models import Question
from participe.modules.votation.tests.factories import VotationModuleFactory, make_votation, option_ids
from tests.factories import SpaceFactory, UserFactory, VerificationFactory, make_agent, make_org_admin

pytestmark = pytest.mark.django_db


def verified():
    user = UserFactory()
    VerificationFactory(user=user)
    return user


def url(question, name=""):
    base = question.module.get_absolute_url()
    return base + name


def review(client, question, data):
    return client.post(url(question, "voter/"), data)


def token_of(page) -> str:
    return re.search(r'name="jeton" value="([^"]+)"', page.content.decode()).group(1)


def test_the_module_page_says_who_may_vote_and_why_not(client):
    question = make_votation()
    page = client.get(url(question))
    assert "Quel nom pour la place ?" in page.content.decode()
    assert "Connectez-vous pour voter." in page.content.decode()
    client.force_login(verified())
    page = client.get(url(question)).content.decode()
    assert 'href="/demarches/' in page and ">Voter</a>" in page


def test_a_resident_reviews_then_casts_and_gets_a_receipt_shown_once_and_again_on_reload(client):
    question = make_votation()
    _a, b, _c = option_ids(question)
    client.force_login(verified())
    form = client.get(url(question, "voter/"))
    assert form.status_code == 200 and "Mon bulletin" in form.content.decode()

    invalid = review(client, question, {})
    assert "Votre bulletin n'est pas encore valable" in invalid.content.decode()
    assert "Choisissez une réponse." in invalid.content.decode()

    reviewed = review(client, question, {"choix": str(b)})
    assert "Relire mon bulletin" in reviewed.content.decode() and "Simone-Veil" in reviewed.content.decode()
    assert not RollEntry.objects.exists()  # nothing is written before the confirmation
    data = {"bulletin": f'{{"choices": [{b}]}}', "blanc": "0", "jeton": token_of(reviewed)}
    receipt = client.post(url(question, "voter/confirmer/"), data)
    code = re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", receipt.content.decode()).group(0)
    assert "A voté" in receipt.content.decode()
    again = client.post(url(question, "voter/confirmer/"), data)
    assert code in again.content.decode()
    assert RollEntry.objects.count() == 1 and StagedBallot.objects.get().receipt == code
    assert "Vous avez voté en ligne" in client.get(url(question)).content.decode()
    assert client.get(url(question, "voter/")).status_code == 302  # back to the page, which says why


def test_changing_ones_ballot_after_the_review(client):
    question = make_votation(kind=Question.Kind.RANKING)
    a, b, c = option_ids(question)
    client.force_login(verified())
    gap = review(client, question, {f"rang_{a}": "1", f"rang_{b}": "3"})
    assert "Le classement a un trou : le rang 2 manque." in gap.content.decode()
    back = client.post(
        url(question, "voter/"), {"bulletin": f'{{"ranking": [{c}, {a}]}}', "blanc": "0", "modifier": "1"}
    )
    page = back.content.decode()
    assert re.search(rf'name="rang_{c}"[^>]*>.*?<option value="1" selected>', page, re.S)


def test_a_blank_vote(client):
    question = make_votation()
    client.force_login(verified())
    reviewed = review(client, question, {"blanc": "on"})
    assert "vote blanc" in reviewed.content.decode()
    client.post(url(question, "voter/confirmer/"), {"bulletin": "{}", "blanc": "1", "jeton": token_of(reviewed)})
    assert StagedBallot.objects.get().kind == "blank"


def test_results_after_the_count_with_turnout_threshold_and_decision(client):
    admin = make_org_admin()
    question = make_votation(admin=admin, electorate=4, threshold=50)
    a, b, _c = option_ids(question)
    for choice in (a, b, b):
        ballots.ballot_cast(actor=verified(), election=question.election, content={"choices": [choice]})
    assert "seront publiés après le dépouillement" in client.get(url(question, "resultats-du-vote/")).content.decode()
    ballots.election_close(actor=admin, election=question.election)
    ballots.election_count(actor=admin, election=question.election)
    page = client.get(url(question, "resultats-du-vote/")).content.decode()
    assert "sur 4 inscrits" in page and "75" in page
    assert "Le seuil de participation (50 % des inscrits) est atteint" in page
    assert "En tête : <strong>Simone-Veil</strong>" in page
    assert '<th scope="row">Simone-Veil' in page and "66,7" in page
    question.election.refresh_from_db()
    assert question.election.tally_sha256 in page


def test_the_end_of_the_vote_phase_closes_the_election():
    question = make_votation()
    question.module.phases.update(end=timezone.now() - datetime.timedelta(seconds=1))
    hooks.phase_changed(question.module, "vote", None)
    question.election.refresh_from_db()
    assert question.election.status == Election.Status.CLOSED


def test_the_tally_file_is_open_data_once_counted(client):
    admin = make_org_admin()
    question = make_votation(admin=admin)
    ballots.ballot_cast(actor=verified(), election=question.election, content={"choices": [option_ids(question)[0]]})
    assert not open_data.is_open(question.module)
    ballots.election_close(actor=admin, election=question.election)
    ballots.election_count(actor=admin, election=question.election)
    assert open_data.is_open(question.module)
    question.election.refresh_from_db()
    assert "".join(open_data.stream(question.module, "json")).encode() == question.election.tally_file.open().read()
    assert {s.key: s.value for s in statistics_of(question.module)} == {
        "contributions": 1,
        "participants": 1,
        "options": 3,
    }


def test_the_question_is_fixed_once_someone_voted():
    admin = make_org_admin()
    question = make_votation(admin=admin)
    ballots.ballot_cast(actor=verified(), election=question.election, content={"choices": [option_ids(question)[0]]})
    with pytest.raises(ValidationError):
        services.question_save(actor=admin, module=question.module, data={"text": "Autre question ?"})
    services.question_save(actor=admin, module=question.module, data={"electorate": 500})


def test_the_seeds_make_a_votation_with_online_and_paper_ballots(django_capture_on_commit_callbacks):
    make_org_admin()
    make_agent()
    space = SpaceFactory()
    module = VotationModuleFactory(space=space, title="Nom de la future place")
    with django_capture_on_commit_callbacks(execute=True):
        seeds.seed(module)
    question = Question.objects.get(module=module)
    assert question.options.count() == 4
    assert RollEntry.objects.filter(election=question.election, channel="online").count() == len(seeds.ONLINE)
    assert RollEntry.objects.filter(election=question.election, channel="paper").count() == len(seeds.PAPER)
    assert Ballot.objects.filter(election=question.election, channel="paper").count() == len(seeds.PAPER)


def test_the_question_is_kept_for_validating_only_once_fixed():
    """Validating a ballot reads the question until it is fixed (an option added before anyone votes counts at
    once); once someone voted, the process keeps it, since the services refuse any change from then on."""
    from participe.modules.votation import schema

    admin = make_org_admin()
    question = make_votation(admin=admin)
    election = Election.objects.get(pk=question.election_id)
    checker = schema.QuestionSchema()
    checker.validate(election, {"choices": [option_ids(question)[0]]})
    added = services.option_save(actor=admin, question=question, option=None, data={"title": "Place des Lices"})
    election = Election.objects.get(pk=question.election_id)
    assert checker.validate(election, {"choices": [added.pk]}) == {"choices": [added.pk]}
    assert (election.pk, election.created_at) not in schema._frozen
    ballots.ballot_cast(actor=verified(), election=election, content={"choices": [added.pk]})
    election = Election.objects.get(pk=question.election_id)
    checker.validate(election, {"choices": [added.pk]})
    assert (election.pk, election.created_at) in schema._frozen
    with pytest.raises(ValidationError):
        services.option_save(actor=admin, question=question, option=None, data={"title": "Trop tard"})
