"""Anonymous questionnaires from PostgreSQL's point of view (issue #19, finding 1; decision 0016): someone who reads
every table, the system columns and the raw pages after a batch is mixed cannot link a response to the participation
of its author — by transaction id (``xmin``), physical position (``ctid``) or leftovers of the draft and staging
rows. Before the batch they can (the documented residual window), which is checked too, so that the documentation
stays true. The helpers are the secret ballot's (``participe/ballots/tests/test_anonymity_postgres.py``).
"""

from __future__ import annotations

import pytest

from participe.ballots.tests.test_anonymity_postgres import pageinspect, raw_pages, rows
from participe.modules.surveys import hooks
from participe.modules.surveys.models import AnonymousDraft, Response, StagedResponse
from participe.modules.surveys.services import anonymous
from participe.modules.surveys.tests.answering_data import build_survey
from participe.modules.surveys.tests.test_anonymity import answer, remark_of, set_settings
from tests.factories import UserFactory
from tests.ordering import follows

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
__all__ = ["pageinspect"]  # the fixture, used by name


@pytest.fixture
def survey():
    survey = build_survey()
    set_settings(survey, anonymous=True)
    return survey


def xmins(sql: str, params: tuple = ()) -> set[int]:
    return {int(x) for (x,) in rows(sql, params)}


def participation_xmins(questionnaire_id: int) -> set[int]:
    return xmins("SELECT xmin::text FROM surveys_participation WHERE questionnaire_id = %s", (questionnaire_id,))


def response_xmins(questionnaire_id: int) -> set[int]:
    return xmins("SELECT xmin::text FROM surveys_response WHERE questionnaire_id = %s", (questionnaire_id,))


def answer_xmins(questionnaire_id: int) -> set[int]:
    return xmins(
        "SELECT a.xmin::text FROM surveys_answer a JOIN surveys_response r ON r.id = a.response_id "
        "WHERE r.questionnaire_id = %s",
        (questionnaire_id,),
    )


def tally_xmins(questionnaire_id: int) -> set[int]:
    return xmins(
        "SELECT t.xmin::text FROM surveys_tally t JOIN surveys_question q ON q.id = t.question_id "
        "WHERE q.questionnaire_id = %s",
        (questionnaire_id,),
    )


def relations(table: str) -> list[str]:
    indexes = [name for (name,) in rows("SELECT indexname FROM pg_indexes WHERE tablename = %s", (table,))]
    return [table, *indexes]


def remarks_in_page_order(survey) -> list[str]:
    ids = [
        pk
        for (pk,) in rows(
            "SELECT id FROM surveys_response WHERE questionnaire_id = %s ORDER BY ctid", (survey.questionnaire.pk,)
        )
    ]
    return [remark_of(Response.objects.get(pk=pk), survey) for pk in ids]


def answer_all(survey, count: int) -> list[str]:
    """``count`` people answer in turn (draft, then submission, each committed); their remarks in that order."""
    remarks = [f"REMARQUE-{n:03d}-UNIQUE" for n in range(count)]
    for remark in remarks:
        answer(survey, UserFactory(), remark)
    return remarks


def test_before_the_batch_the_staged_response_is_linked_to_the_participation_by_xmin(survey):
    """The residual window, as documented: until k responses wait, a staging row shares the participation's xmin."""
    answer_all(survey, 2)
    assert StagedResponse.objects.count() == 2
    staged = xmins(
        "SELECT xmin::text FROM surveys_stagedresponse WHERE questionnaire_id = %s", (survey.questionnaire.pk,)
    )
    # The participation is written in a savepoint (a subtransaction: the next transaction id), the staging row in
    # its parent: consecutive ids, one transaction.
    participations = participation_xmins(survey.questionnaire.pk)
    assert len(staged) == 2 and all(any(abs(s - p) <= 2 for p in participations) for s in staged)


def test_after_a_batch_nothing_links_the_responses_to_the_participations(survey, pageinspect):
    remarks = answer_all(survey, anonymous.BATCH_SIZE)  # the 10th completes the batch: mixed after its commit
    questionnaire_id = survey.questionnaire.pk
    assert not StagedResponse.objects.exists() and not AnonymousDraft.objects.exists()
    assert Response.objects.filter(questionnaire_id=questionnaire_id).count() == len(remarks)
    # Transaction ids: responses, answers and counters share one, the mixer's, which no participation has.
    mixed = response_xmins(questionnaire_id)
    assert len(mixed) == 1 and answer_xmins(questionnaire_id) == mixed
    assert not (mixed | tally_xmins(questionnaire_id)) & participation_xmins(questionnaire_id)
    # Row order: the batch's rows follow the mixer's shuffle, not the order of answering.
    assert not follows(remarks, remarks_in_page_order(survey))
    # The deleted drafts and staging rows are gone from their pages (heap and indexes): no answer left there.
    for relation in relations("surveys_stagedresponse") + relations("surveys_anonymousdraft"):
        pages = raw_pages(relation)
        assert not [r for r in remarks if r.encode() in pages], relation


def test_after_the_answering_phase_the_batches_cannot_be_told_apart(survey, pageinspect):
    remarks = answer_all(survey, 3 * anonymous.BATCH_SIZE)  # three batches, in the order of answering
    questionnaire_id = survey.questionnaire.pk
    assert len(response_xmins(questionnaire_id)) == 3

    hooks.phase_changed(survey.module, "reponses", "resultats")

    final = response_xmins(questionnaire_id)
    assert len(final) == 1 and answer_xmins(questionnaire_id) == final
    assert not final & participation_xmins(questionnaire_id)
    assert not follows(remarks, remarks_in_page_order(survey))
    # Every tuple left in the responses' heap pages carries the reshuffle's transaction id (VACUUM removed the rest).
    blocks = rows("SELECT pg_relation_size('surveys_response') / current_setting('block_size')::int")[0][0]
    tuple_xmins = {
        int(x)
        for n in range(blocks)
        for (x,) in rows(
            "SELECT t_xmin::text FROM heap_page_items(get_raw_page('surveys_response', %s)) WHERE t_xmin IS NOT NULL",
            (n,),
        )
    }
    assert tuple_xmins == final
