"""The anonymity mixer on its own, with a survey-like consumer (tests/mixapp): staged answers wait for k, move in a
shuffled batch with random ids and the day, per group; closing moves what is left; a reshuffle renews the ids."""

from __future__ import annotations

import random

import pytest
from django.db import connection, transaction
from django.utils import timezone

from participe.anonymity import mixing
from tests.mixapp.models import AnonymousAnswer, Participation, Questionnaire, StagedAnswer

pytestmark = pytest.mark.django_db

ANSWERS = mixing.Mix(staging=StagedAnswer, target=AnonymousAnswer, group="questionnaire", fields=("text",), minimum=3)


def answer(questionnaire: Questionnaire, person: str, text: str) -> None:
    """What a consumer's service does in one transaction: the participation and the staged answer."""
    with transaction.atomic():
        Participation.objects.create(questionnaire=questionnaire, person=person)
        mixing.stage(ANSWERS, questionnaire=questionnaire, text=text)


def test_nothing_moves_before_k_entries_wait():
    survey = Questionnaire.objects.create(title="Fête")
    answer(survey, "alice", "Oui")
    answer(survey, "bob", "Non")
    assert mixing.pending(ANSWERS, survey.pk) == 2
    assert mixing.mix(ANSWERS, survey.pk) == 0
    assert not AnonymousAnswer.objects.exists()


def test_a_batch_of_k_moves_shuffled_with_random_ids_and_the_day(monkeypatch):
    survey = Questionnaire.objects.create(title="Fête")
    for n, text in enumerate(["a", "b", "c", "d"]):
        answer(survey, f"p{n}", text)
    seen = []
    seeded = random.Random(7)
    monkeypatch.setattr(mixing._random, "shuffle", lambda rows: (seeded.shuffle(rows), seen.append(list(rows))))
    assert mixing.mix(ANSWERS, survey.pk) == 4
    assert not StagedAnswer.objects.exists()
    mixed = list(AnonymousAnswer.objects.filter(questionnaire=survey))
    assert sorted(a.text for a in mixed) == ["a", "b", "c", "d"]
    assert {a.day for a in mixed} == {timezone.localdate()}
    assert {a.pk.version for a in mixed} == {4}
    assert len(seen) == 1 and sorted(row["text"] for row in seen[0]) == ["a", "b", "c", "d"]


def test_groups_are_mixed_apart():
    first, second = Questionnaire.objects.create(title="1"), Questionnaire.objects.create(title="2")
    for n in range(3):
        answer(first, f"p{n}", "un")
    answer(second, "q", "deux")
    assert mixing.mix(ANSWERS, first.pk) == 3
    assert mixing.mix(ANSWERS, second.pk) == 0
    assert mixing.pending(ANSWERS, second.pk) == 1
    assert mixing.mix(ANSWERS, second.pk, minimum=0) == 1  # the closing moves whatever waits
    assert AnonymousAnswer.objects.filter(questionnaire=second).get().text == "deux"


def test_entries_never_staged_are_placed_shuffled():
    survey = Questionnaire.objects.create(title="Papier")
    assert mixing.place(ANSWERS, survey.pk, [{"text": "x"}, {"text": "y"}]) == 2
    assert sorted(AnonymousAnswer.objects.values_list("text", flat=True)) == ["x", "y"]


def test_a_reshuffle_rewrites_the_group_with_new_ids():
    survey, other = Questionnaire.objects.create(title="Fête"), Questionnaire.objects.create(title="Autre")
    mixing.place(ANSWERS, survey.pk, [{"text": t} for t in "abcde"])
    mixing.place(ANSWERS, other.pk, [{"text": "z"}])
    before = set(AnonymousAnswer.objects.values_list("pk", flat=True))
    assert mixing.reshuffle(ANSWERS, survey.pk) == 5
    after = set(AnonymousAnswer.objects.filter(questionnaire=survey).values_list("pk", flat=True))
    assert not before & after and len(after) == 5
    assert sorted(AnonymousAnswer.objects.filter(questionnaire=survey).values_list("text", flat=True)) == list("abcde")
    assert AnonymousAnswer.objects.filter(questionnaire=other).get().pk in before


def test_purge_is_a_no_op_where_vacuum_cannot_run():
    mixing.purge(ANSWERS)  # inside the test's transaction (and on SQLite): nothing happens, nothing fails
    assert connection.in_atomic_block
