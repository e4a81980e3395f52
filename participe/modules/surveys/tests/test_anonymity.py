"""Anonymous questionnaires from the database's point of view (issue #19, finding 1; decision 0016): someone who
reads every table — responses, answers, counters, participations, drafts, staging, sessions, audit log — cannot tell
which response a person sent: no shared column, id, time, session or order. (PostgreSQL's transaction ids, row
positions and raw pages: ``test_anonymity_postgres.py``.)

The tests know what each person wrote (a remark of their own): what only the person knows, used here to measure
what an observer could infer without it.
"""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from participe.activity.models import AuditEntry
from participe.modules.surveys import hooks
from participe.modules.surveys.models import (
    AnonymousDraft,
    Answer,
    Participation,
    Questionnaire,
    Response,
    StagedResponse,
    Tally,
)
from participe.modules.surveys.results import EVERYONE, Scope, respondents_count, results_for
from participe.modules.surveys.results.scope import protected_scope
from participe.modules.surveys.selectors import answering as selectors
from participe.modules.surveys.selectors.answering import Respondent
from participe.modules.surveys.services import anonymous, answering
from participe.modules.surveys.tests.answering_data import build_survey, valid_values
from participe.modules.surveys.tests.test_views_answering import page_one, page_two, page_url
from tests.factories import TerritoryFactory, UserFactory, make_agent
from tests.ordering import follows

pytestmark = pytest.mark.django_db(transaction=True)


def set_settings(survey, **values):
    module = survey.module
    module.settings = {**module.settings, **values}
    module.save()


def answer(survey, user, remark: str, *, territory_results: bool = False):
    """``user`` saves a draft, then sends it (each step committed, as through the pages)."""
    values = {**valid_values(survey), str(survey.remarks.pk): [remark]}
    session: dict = {}
    draft = answering.draft_save(
        questionnaire=survey.questionnaire,
        respondent=Respondent(user=user),
        draft=None,
        values=values,
        page=2,
        session=session,
    )
    return answering.response_submit(
        questionnaire=Questionnaire.objects.get(pk=survey.questionnaire.pk),
        respondent=Respondent(user=user),
        draft=draft,
        specs=selectors.question_specs(survey.questionnaire),
        values=values,
        session=session,
    )


def remark_of(response: Response, survey) -> str:
    return Answer.objects.get(response=response, question=survey.remarks).text


@pytest.fixture
def survey():
    survey = build_survey()
    set_settings(survey, anonymous=True)
    return survey


def test_nothing_in_the_database_links_a_response_to_its_author(survey):
    quartier = TerritoryFactory()
    people = [UserFactory(territory=quartier) for _ in range(30)]
    remarks = [f"remarque n°{n} de la personne" for n in range(30)]
    for user, remark in zip(people, remarks, strict=True):
        answer(survey, user, remark)

    # Three batches of k = 10 were mixed after the 10th, 20th and 30th submission: nothing waits, no draft is left.
    assert not StagedResponse.objects.exists() and not AnonymousDraft.objects.exists()
    assert Response.objects.filter(questionnaire=survey.questionnaire).count() == 30
    # The answering phase ends: the responses are reshuffled (the batches, in order, can no longer be told apart).
    hooks.phase_changed(survey.module, "reponses", "resultats")
    responses = list(Response.objects.filter(questionnaire=survey.questionnaire))
    assert len(responses) == 30 and survey.questionnaire.participations.count() == 30
    # No column: no participant, session, agent, territory (not asked for), draft.
    assert {(r.participant_id, r.session_key, r.entered_by_id, r.territory_id, str(r.draft)) for r in responses} == {
        (None, "", None, None, "{}")
    }
    # Times: the day only, on both sides.
    times = [t for r in responses for t in (r.created_at, r.updated_at, r.submitted_at)]
    times += [t for p in Participation.objects.all() for t in (p.first_at, p.last_at)]
    assert {timezone.localtime(t).time() for t in times} == {datetime.time(0, 0)}
    # Ids: random, out of the sequence's reach; neither their order nor the table's order follows the submissions.
    assert all(r.pk >= anonymous.RANDOM_ID_FLOOR for r in responses)
    by_id = [remark_of(r, survey) for r in sorted(responses, key=lambda r: r.pk)]
    assert not follows(remarks, by_id)
    in_table_order = [remark_of(Response.objects.get(pk=pk), survey) for pk in _table_order("surveys_response")]
    assert not follows(remarks, in_table_order)
    # The counters carry no territory either.
    assert not Tally.objects.filter(territory__isnull=False).exists()
    # A receipt is stored in the responses only: never in a session, the audit log or any other table.
    for response in responses:
        assert _tables_holding(str(response.receipt)) == {"surveys_response"}, response.receipt


def test_the_session_of_a_signed_in_respondent_keeps_no_receipt(client, survey):
    user = UserFactory()
    client.force_login(user)
    assert client.post(page_url(survey, 1), page_one(survey)).status_code == 302
    assert AnonymousDraft.objects.filter(participant=user).exists() and not Response.objects.exists()
    page = client.post(page_url(survey, 2), page_two(survey))
    assert page.status_code == 200 and "Numéro de récépissé" in page.content.decode()
    receipt = StagedResponse.objects.get().receipt
    assert receipt.hex[:8].upper() in page.content.decode()
    for session in Session.objects.all():
        data = session.get_decoded()
        assert data.get("_auth_user_id") == str(user.pk)
        assert str(receipt) not in str(data) and not data.get(selectors.RECEIPTS_SESSION_KEY)
    assert not AnonymousDraft.objects.exists()
    # The receipt's address is not readable back from this session either.
    assert (
        client.get(
            reverse("spaces:surveys:receipt", args=[survey.module.space.slug, survey.module.slug, receipt])
        ).status_code
        == 404
    )


def test_an_agent_entering_answers_for_a_resident_leaves_no_receipt_in_the_audit_log(survey):
    agent, resident = make_agent(), UserFactory()
    sent = answering.response_submit(
        questionnaire=Questionnaire.objects.get(pk=survey.questionnaire.pk),
        respondent=Respondent(user=resident, entered_by=agent),
        draft=None,
        specs=selectors.question_specs(survey.questionnaire),
        values=valid_values(survey),
        session={},
    )
    entry = AuditEntry.objects.get(action="surveys.response_enter")
    assert "receipt" not in (entry.after or {}) and sent.short_receipt not in str(entry.after)
    anonymous.mix_all(survey.questionnaire.pk)
    assert Response.objects.get().entered_by_id is None


def test_results_count_the_responses_once_mixed_and_the_end_of_the_phase_mixes_the_rest(survey):
    for n in range(3):
        answer(survey, UserFactory(), f"r{n}")
    survey.questionnaire.refresh_from_db()
    assert survey.questionnaire.responses_count == 3 and anonymous.pending(survey.questionnaire) == 3
    assert respondents_count(survey.questionnaire) == 0
    hooks.phase_changed(survey.module, "reponses", "resultats")
    assert anonymous.pending(survey.questionnaire) == 0
    assert respondents_count(survey.questionnaire) == 3
    assert results_for(survey.questionnaire, EVERYONE).respondents == 3
    assert (
        Tally.objects.get(question=survey.come, key__startswith=f"{survey.choice(survey.come, 'Oui').pk}:").count == 3
    )


def test_the_quartier_is_kept_only_when_asked_and_small_groups_are_never_detailed(survey):
    set_settings(survey, territory_results=True)
    big, small = TerritoryFactory(name="Grand"), TerritoryFactory(name="Petit")
    for n in range(10):
        answer(survey, UserFactory(territory=big), f"g{n}")
    answer(survey, UserFactory(territory=small), "p")
    anonymous.mix_all(survey.questionnaire.pk)
    assert (
        Response.objects.filter(territory=big).count() == 10 and Response.objects.filter(territory=small).count() == 1
    )
    questionnaire = Questionnaire.objects.get(pk=survey.questionnaire.pk)
    assert protected_scope(questionnaire, Scope.of_territory(big)) == (Scope.of_territory(big), False)
    assert protected_scope(questionnaire, Scope.of_territory(small)) == (EVERYONE, True)
    assert results_for(questionnaire, Scope.of_territory(small)).hidden_from(staff=True)


def test_existing_anonymous_responses_are_detached_by_the_migration(survey):
    """What main wrote before: the draft's row submitted (sequential id, territory, agent), exact participation
    times, counters per territory. The data migration detaches them."""
    migration = __import__("participe.modules.surveys.migrations.0007_detach_anonymous_responses", fromlist=["detach"])
    quartier, agent = TerritoryFactory(), UserFactory()
    old = []
    for n in range(5):
        user = UserFactory(territory=quartier)
        response = Response.objects.create(
            questionnaire=survey.questionnaire, territory=quartier, entered_by=agent, submitted_at=timezone.now()
        )
        Answer.objects.create(response=response, question=survey.remarks, text=f"ancienne {n}")
        Participation.objects.create(questionnaire=survey.questionnaire, user=user)
        old.append(response)
    Tally.objects.create(question=survey.come, key=f"1:0:0:{quartier.pk}", territory=quartier, count=5)
    drafter = UserFactory()
    Response.objects.create(questionnaire=survey.questionnaire, participant=drafter, draft={"x": ["y"]})

    migration.detach(apps, connection.schema_editor())

    responses = list(Response.objects.all())
    assert len(responses) == 5 and not {r.pk for r in responses} & {r.pk for r in old}
    assert {r.receipt for r in responses} == {r.receipt for r in old}  # people keep their receipts
    assert all(r.pk >= anonymous.RANDOM_ID_FLOOR for r in responses)
    assert {(r.participant_id, r.territory_id, r.entered_by_id) for r in responses} == {(None, None, None)}
    assert {timezone.localtime(r.submitted_at).time() for r in responses} == {datetime.time(0, 0)}
    assert sorted(Answer.objects.values_list("text", flat=True)) == [f"ancienne {n}" for n in range(5)]
    assert list(Tally.objects.values_list("key", "count", "territory")) == [("1:0:0:0", 5, None)]
    assert AnonymousDraft.objects.get().participant == drafter
    assert {timezone.localtime(p.first_at).time() for p in Participation.objects.all()} == {datetime.time(0, 0)}


# --- helpers: the database as a reader of every table sees it ----------------------------------------------------
def _table_order(table: str) -> list[int]:
    """The ids in the order a scan of the table returns them (SQLite: the rowid; PostgreSQL: the heap)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table}")
        return [row[0] for row in cursor.fetchall()]


def _tables_holding(value: str) -> set[str]:
    """Every table with a text column (sessions decoded) where ``value`` appears, whatever its spelling."""
    spellings = {value, value.replace("-", ""), value.replace("-", "").upper()[:8]}
    found = set()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            text = " ".join(str(cell) for row in cursor.fetchall() for cell in row)
            if table == "django_session":
                text = " ".join(str(s.get_decoded()) for s in Session.objects.all())
            if any(s in text for s in spellings) and columns:
                found.add(table)
    return found


def test_the_reshuffle_never_touches_a_response_that_has_a_person(survey):
    """A questionnaire anonymous only for a while: its earlier responses (with a participant) stay as they are."""
    user = UserFactory()
    earlier = Response.objects.create(questionnaire=survey.questionnaire, participant=user, submitted_at=timezone.now())
    for n in range(3):
        answer(survey, UserFactory(), f"r{n}")
    anonymous.mix_all(survey.questionnaire.pk)
    mixed = Response.objects.filter(participant__isnull=True)
    before = set(mixed.values_list("pk", flat=True))
    answers_before = Answer.objects.filter(response__pk__in=before).count()
    assert anonymous.reshuffle(survey.questionnaire.pk) == 3
    after = set(mixed.values_list("pk", flat=True))
    assert len(after) == 3 and not before & after
    assert Response.objects.get(pk=earlier.pk).participant == user
    assert Answer.objects.filter(response__pk__in=after).count() == answers_before > 0
