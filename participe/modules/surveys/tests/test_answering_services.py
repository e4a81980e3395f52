"""The answering services: drafts, files, submission (rows, counters, the one-answer rule, anonymity, test and paper
responses, acting for a resident) and the refusals."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from participe.activity.models import AuditEntry
from participe.core.capabilities import Cap
from participe.modules.surveys.models import AnonymousDraft, Answer, Participation, Questionnaire, Response, Tally
from participe.modules.surveys.selectors import answering as selectors
from participe.modules.surveys.selectors.answering import Respondent
from participe.modules.surveys.services import anonymous, answering
from participe.modules.surveys.tests.answering_data import build_survey, valid_values
from participe.modules.surveys.tests.factories import SurveyModuleFactory, preparation_phase, results_phase
from participe.verifications.models import EligibilityRule
from tests.factories import TerritoryFactory, UserFactory, VerificationFactory, make_agent, make_org_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey():
    return build_survey()


def submit(survey, respondent=None, values=None, session=None, draft=None):
    return answering.response_submit(
        questionnaire=Questionnaire.objects.get(pk=survey.questionnaire.pk),
        respondent=respondent or Respondent(),
        draft=draft,
        specs=selectors.question_specs(survey.questionnaire),
        values=values if values is not None else valid_values(survey),
        session=session if session is not None else {},
    )


def set_settings(survey, **values):
    module = survey.module
    module.settings = {**module.settings, **values}
    module.save()


def jpeg_with_exif() -> SimpleUploadedFile:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "Téléphone de Lucien"  # Make
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


# --- drafts -----------------------------------------------------------------------------------------------------
def test_a_visitor_draft_is_kept_and_found_again_through_the_session(survey):
    session: dict = {}
    draft = answering.draft_save(
        questionnaire=survey.questionnaire,
        respondent=Respondent(),
        draft=None,
        values={"1": ["x"]},
        page=2,
        session=session,
    )
    assert draft.participant is None and draft.submitted_at is None and draft.page == 2
    assert selectors.draft_for(Respondent(), survey.questionnaire, session) == draft
    assert selectors.draft_for(Respondent(), survey.questionnaire, {}) is None
    updated = answering.draft_save(
        questionnaire=survey.questionnaire,
        respondent=Respondent(),
        draft=draft,
        values={"1": ["y"]},
        page=1,
        session=session,
    )
    assert updated.pk == draft.pk and updated.draft == {"1": ["y"]} and updated.page == 1


def test_a_draft_started_without_an_account_becomes_the_participants_once_signed_in(survey):
    session: dict = {}
    draft = answering.draft_save(
        questionnaire=survey.questionnaire, respondent=Respondent(), draft=None, values={}, page=1, session=session
    )
    user = UserFactory()
    found = selectors.draft_for(Respondent(user=user), survey.questionnaire, session)
    assert found == draft
    answering.draft_save(
        questionnaire=survey.questionnaire,
        respondent=Respondent(user=user),
        draft=found,
        values={},
        page=2,
        session=session,
    )
    draft.refresh_from_db()
    assert draft.participant == user
    # Found again from another device (another session).
    assert selectors.draft_for(Respondent(user=user), survey.questionnaire, {}) == draft
    assert selectors.draft_for(Respondent(user=UserFactory()), survey.questionnaire, {}) is None


def test_a_test_draft_and_a_real_draft_do_not_mix(survey):
    admin = make_org_admin()
    session: dict = {}
    answering.draft_save(
        questionnaire=survey.questionnaire,
        respondent=Respondent(user=admin, is_test=True),
        draft=None,
        values={},
        page=1,
        session=session,
    )
    assert selectors.draft_for(Respondent(user=admin), survey.questionnaire, session) is None
    assert selectors.draft_for(Respondent(user=admin, is_test=True), survey.questionnaire, session) is not None


def test_discarding_a_draft_deletes_it_with_its_files(survey, django_capture_on_commit_callbacks):
    session: dict = {}
    name, original = answering.file_store(
        questionnaire=survey.questionnaire, question=selectors.spec_of(survey.photo), upload=jpeg_with_exif()
    )
    values = {str(survey.photo.pk): [name], f"{survey.photo.pk}-name": original}
    draft = answering.draft_save(
        questionnaire=survey.questionnaire, respondent=Respondent(), draft=None, values=values, page=2, session=session
    )
    with django_capture_on_commit_callbacks(execute=True):
        answering.draft_discard(draft=draft, session=session)
    assert not Response.objects.filter(pk=draft.pk).exists()
    assert not default_storage.exists(name)
    assert selectors.draft_for(Respondent(), survey.questionnaire, session) is None


def test_stale_drafts_are_purged_but_not_recent_ones_nor_responses(survey):
    old = answering.draft_save(
        questionnaire=survey.questionnaire, respondent=Respondent(), draft=None, values={}, page=1, session={}
    )
    Response.objects.filter(pk=old.pk).update(updated_at=timezone.now() - datetime.timedelta(days=90))
    recent = answering.draft_save(
        questionnaire=survey.questionnaire, respondent=Respondent(), draft=None, values={}, page=1, session={}
    )
    sent = submit(survey)
    Response.objects.filter(pk=sent.pk).update(updated_at=timezone.now() - datetime.timedelta(days=90))
    assert answering.drafts_purge() == 1
    assert set(Response.objects.values_list("pk", flat=True)) == {recent.pk, sent.pk}


# --- files ------------------------------------------------------------------------------------------------------
def test_an_image_sent_with_an_answer_is_re_encoded_without_its_metadata_in_a_private_folder(survey):
    name, original = answering.file_store(
        questionnaire=survey.questionnaire, question=selectors.spec_of(survey.photo), upload=jpeg_with_exif()
    )
    assert name.startswith(f"surveys/{survey.questionnaire.pk}/") and name.endswith(".jpg")
    assert original == "photo.jpg"
    with default_storage.open(name) as stored, Image.open(stored) as image:
        assert not image.getexif()


def test_a_file_of_a_type_not_accepted_or_too_big_is_refused_with_a_message(survey):
    spec = selectors.spec_of(survey.photo)
    with pytest.raises(answering.ValidationError, match="type de fichier n'est pas accepté"):
        answering.file_store(
            questionnaire=survey.questionnaire,
            question=spec,
            upload=SimpleUploadedFile("virus.exe", b"MZ\x90\x00" * 10),
        )
    survey.photo.config = {"max_mb": 1}
    survey.photo.save()
    big = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n" + b"0" * 1_100_000)
    with pytest.raises(answering.ValidationError, match="la limite pour cette question est de 1 Mo"):
        answering.file_check(question=selectors.spec_of(survey.photo), upload=big)


def test_replacing_a_file_removes_the_previous_one_once_committed(survey, django_capture_on_commit_callbacks):
    spec = selectors.spec_of(survey.photo)
    first, _name = answering.file_store(questionnaire=survey.questionnaire, question=spec, upload=jpeg_with_exif())
    values = {str(spec.id): [first], f"{spec.id}-name": "photo.jpg"}
    with django_capture_on_commit_callbacks(execute=True):
        values = answering.file_replace(values=values, question=spec, name="", original="")
    assert values[str(spec.id)] == [] and not default_storage.exists(first)


# --- submission -------------------------------------------------------------------------------------------------
def test_submitting_writes_one_answer_row_per_value(survey):
    territory = TerritoryFactory()
    user = UserFactory(territory=territory)
    response = submit(survey, Respondent(user=user))
    assert response.is_submitted and response.participant == user and response.territory == territory
    assert response.draft == {}
    rows = Answer.objects.filter(response=response)
    s = survey
    assert rows.get(question=s.come).choice.label == "Oui"
    assert rows.get(question=s.why).text == "Pour les voisins"
    assert sorted(rows.filter(question=s.transport).values_list("choice__label", flat=True)) == ["Bus", "Vélo"]
    assert rows.get(question=s.mood).number == Decimal(4)
    assert {(a.row.label, a.choice.label) for a in rows.filter(question=s.matrix)} == {
        ("La propreté", "Bien"),
        ("Le bruit", "Mal"),
    }
    assert [(a.choice.label, a.rank) for a in rows.filter(question=s.ranking).order_by("rank")] == [
        ("Bibliothèque", 1),
        ("Parc", 2),
        ("Piscine", 3),
    ]
    assert rows.get(question=s.age).number == Decimal(42)
    assert rows.get(question=s.when).date == datetime.date(2019, 9, 1)
    assert not rows.filter(question=s.photo).exists()
    survey.questionnaire.refresh_from_db()
    assert survey.questionnaire.responses_count == 1
    assert Participation.objects.get(questionnaire=survey.questionnaire, user=user).count == 1


def test_submitting_counts_closed_answers_per_territory(survey):
    territory = TerritoryFactory()
    submit(survey, Respondent(user=UserFactory(territory=territory)))
    submit(survey, Respondent(user=UserFactory(territory=territory)))
    submit(survey)  # a visitor: no territory
    oui = survey.choice(survey.come, "Oui")
    assert Tally.objects.get(question=survey.come, key=f"{oui.pk}:0:0:{territory.pk}").count == 2
    visitor = Tally.objects.get(question=survey.come, key=f"{oui.pk}:0:0:0")
    assert visitor.count == 1 and visitor.territory is None and visitor.choice == oui
    mood = Tally.objects.get(question=survey.mood, key=f"0:0:4:{territory.pk}")
    assert mood.value == 4 and mood.count == 2 and mood.territory == territory
    parc = survey.choice(survey.ranking, "Parc")
    ranked = Tally.objects.get(question=survey.ranking, key=f"{parc.pk}:0:0:{territory.pk}")
    assert (ranked.count, ranked.rank_sum) == (2, 4)
    bien = survey.choice(survey.matrix, "Bien")
    assert Tally.objects.get(question=survey.matrix, key=f"{bien.pk}:{survey.rows[0].pk}:0:0").row == survey.rows[0]
    assert not Tally.objects.filter(question__in=[survey.why, survey.age, survey.remarks]).exists()
    survey.questionnaire.refresh_from_db()
    assert survey.questionnaire.responses_count == 3


def test_answers_to_questions_hidden_by_a_condition_are_dropped(survey):
    values = valid_values(survey)
    values[str(survey.come.pk)] = [str(survey.choice(survey.come, "Non").pk)]  # "Pourquoi ?" is no longer asked
    response = submit(survey, values=values)
    assert not Answer.objects.filter(response=response, question=survey.why).exists()


def test_the_other_choice_keeps_its_precision(survey):
    values = valid_values(survey)
    values[str(survey.come.pk)] = [str(survey.choice(survey.come, "Autre").pk)]
    values[f"{survey.come.pk}-other"] = "Si je suis rentré de vacances"
    response = submit(survey, values=values)
    assert Answer.objects.get(response=response, question=survey.come).text == "Si je suis rentré de vacances"


def test_invalid_answers_are_refused_with_the_first_page_to_correct(survey):
    values = valid_values(survey)
    values[str(survey.age.pk)] = ["deux cents"]
    with pytest.raises(answering.AnswersInvalid) as refused:
        submit(survey, values=values)
    assert refused.value.page == 2
    assert refused.value.validation.errors == {f"q{survey.age.pk}": "Saisissez un nombre, par exemple 12."}
    del values[str(survey.come.pk)]
    with pytest.raises(answering.AnswersInvalid) as refused:
        submit(survey, values=values)
    assert refused.value.page == 1
    assert not Response.objects.exists() and not Tally.objects.exists()


def test_one_answer_per_participant_unless_several_are_allowed(survey):
    user = UserFactory()
    submit(survey, Respondent(user=user))
    with pytest.raises(answering.AnswerRefused) as refused:
        submit(survey, Respondent(user=user))
    assert refused.value.code == "already" and "déjà répondu" in refused.value.message
    set_settings(survey, multiple_answers=True)
    submit(survey, Respondent(user=user))
    assert Participation.objects.get(user=user).count == 2
    assert Response.objects.filter(participant=user, submitted_at__isnull=False).count() == 2


def test_without_an_account_the_one_answer_rule_holds_per_browser(survey):
    session: dict = {}
    submit(survey, session=session)
    with pytest.raises(answering.AnswerRefused, match="depuis ce navigateur"):
        submit(survey, session=session)
    submit(survey, session={})  # another browser
    assert Response.objects.filter(submitted_at__isnull=False).count() == 2


def test_sending_the_same_draft_twice_records_it_once(survey):
    user = UserFactory()
    draft = answering.draft_save(
        questionnaire=survey.questionnaire,
        respondent=Respondent(user=user),
        draft=None,
        values=valid_values(survey),
        page=2,
        session={},
    )
    first = submit(survey, Respondent(user=user), draft=draft)
    again = submit(survey, Respondent(user=user), draft=Response.objects.get(pk=draft.pk))
    assert first.pk == again.pk == draft.pk
    survey.questionnaire.refresh_from_db()
    assert survey.questionnaire.responses_count == 1


def test_anonymous_answers_keep_no_link_to_the_account_but_the_participation(survey):
    set_settings(survey, anonymous=True)
    user = UserFactory(territory=TerritoryFactory())
    draft = answering.draft_save(
        questionnaire=survey.questionnaire,
        respondent=Respondent(user=user),
        draft=None,
        values=valid_values(survey),
        page=2,
        session={},
    )
    assert isinstance(draft, AnonymousDraft) and not Response.objects.exists()  # a draft apart from the responses
    sent = submit(survey, Respondent(user=user), draft=draft)
    assert sent.pk is None and not AnonymousDraft.objects.exists()
    anonymous.mix_all(survey.questionnaire.pk)
    response = Response.objects.get()
    assert response.receipt == sent.receipt
    assert response.participant is None and response.session_key == "" and response.draft == {}
    assert response.territory is None  # kept only when the questionnaire says so ("territory_results")
    assert response.pk >= anonymous.RANDOM_ID_FLOOR
    midnight = timezone.localtime(response.submitted_at)
    assert (midnight.hour, midnight.minute, midnight.second) == (0, 0, 0)
    assert response.created_at == response.updated_at == response.submitted_at
    participation = Participation.objects.get(user=user, questionnaire=survey.questionnaire)
    assert timezone.localtime(participation.first_at).time() == datetime.time(0, 0)
    with pytest.raises(answering.AnswerRefused):
        submit(survey, Respondent(user=user))


def test_a_test_response_is_kept_apart_never_counted_and_logged(survey):
    admin = make_org_admin()
    preparation_phase(survey.module)  # not open yet: staff test it before
    response = submit(survey, Respondent(user=admin, is_test=True))
    assert response.is_test and response.draft == valid_values(survey)
    assert not Answer.objects.exists() and not Tally.objects.exists() and not Participation.objects.exists()
    survey.questionnaire.refresh_from_db()
    assert survey.questionnaire.responses_count == 0
    assert AuditEntry.objects.filter(action="surveys.response_test", actor=admin).exists()


def test_test_mode_is_for_the_staff_only(survey):
    with pytest.raises(answering.AnswerRefused) as refused:
        submit(survey, Respondent(user=UserFactory(), is_test=True))
    assert refused.value.code == "staff_only"


def test_a_paper_questionnaire_typed_by_an_agent_is_counted_without_an_account(survey):
    admin = make_org_admin()
    response = submit(survey, Respondent(entered_by=admin, is_paper=True))
    submit(survey, Respondent(entered_by=admin, is_paper=True))  # many paper forms by the same agent
    assert response.participant is None and response.entered_by == admin and not response.is_test
    assert not Participation.objects.exists()
    survey.questionnaire.refresh_from_db()
    assert survey.questionnaire.responses_count == 2
    entry = AuditEntry.objects.filter(action="surveys.response_enter").first()
    assert entry.actor == admin and entry.after["paper"] is True
    with pytest.raises(answering.AnswerRefused):
        submit(survey, Respondent(entered_by=make_agent(), is_paper=True))  # an agent foreign to the space


def test_an_agent_acting_for_a_resident_answers_in_their_name(survey):
    agent, resident = make_agent(), UserFactory()
    response = submit(survey, Respondent(user=resident, entered_by=agent))
    assert response.participant == resident and response.entered_by == agent
    assert Participation.objects.filter(user=resident).exists()
    entry = AuditEntry.objects.get(action="surveys.response_enter")
    assert entry.actor == agent and entry.on_behalf_of == resident


def test_nobody_answers_before_the_opening_or_after_the_closing(survey):
    preparation_phase(survey.module)
    with pytest.raises(answering.AnswerRefused) as refused:
        submit(survey)
    assert refused.value.code == "phase_closed" and "ouvrira le" in refused.value.message
    results_phase(survey.module)
    with pytest.raises(answering.AnswerRefused) as refused:
        submit(survey)
    assert refused.value.code == "phase_closed"


def test_signed_in_only_questionnaires_refuse_visitors(survey):
    set_settings(survey, access="signed_in")
    with pytest.raises(answering.AnswerRefused) as refused:
        submit(survey)
    assert refused.value.code == "not_signed_in"
    submit(survey, Respondent(user=UserFactory()))


def test_an_eligibility_rule_restricts_to_verified_residents_of_a_territory(survey):
    centre, port = TerritoryFactory(name="Centre"), TerritoryFactory(name="Port")
    rule = EligibilityRule.objects.create(module=survey.module, action=Cap.ANSWER)
    rule.territories.set([centre])
    with pytest.raises(answering.AnswerRefused) as refused:
        submit(survey)  # a rule always requires an account, whatever the access setting
    assert refused.value.code == "not_signed_in"
    with pytest.raises(answering.AnswerRefused) as refused:
        submit(survey, Respondent(user=UserFactory()))
    assert refused.value.code == "not_verified" and "vérifier votre lieu de résidence" in refused.value.message
    elsewhere = VerificationFactory(territory=port).user
    with pytest.raises(answering.AnswerRefused) as refused:
        submit(survey, Respondent(user=elsewhere))
    assert refused.value.code == "not_eligible" and "autre territoire" in refused.value.message
    resident = VerificationFactory(territory=centre).user
    assert submit(survey, Respondent(user=resident)).participant == resident


def test_a_blocked_account_may_not_answer(survey):
    user = UserFactory(blocked_at=timezone.now())
    with pytest.raises(answering.AnswerRefused) as refused:
        submit(survey, Respondent(user=user))
    assert refused.value.code == "blocked"


def test_an_archived_space_closes_the_questionnaire(survey):
    space = survey.module.space
    space.status = "archived"
    space.save()
    with pytest.raises(answering.AnswerRefused) as refused:
        submit(survey)
    assert refused.value.code == "archived"


def test_a_questionnaire_without_questions_cannot_be_answered():
    module = SurveyModuleFactory()
    questionnaire = Questionnaire.objects.create(module=module)
    access = selectors.answer_access(Respondent(), module, questionnaire)
    assert not access.allowed and access.code == "empty"


def test_a_file_answer_is_recorded_with_its_original_name(survey):
    spec = selectors.spec_of(survey.photo)
    name, original = answering.file_store(questionnaire=survey.questionnaire, question=spec, upload=jpeg_with_exif())
    values = {**valid_values(survey), str(spec.id): [name], f"{spec.id}-name": original}
    response = submit(survey, values=values)
    answer = Answer.objects.get(response=response, question=survey.photo)
    assert answer.file.name == name and answer.file_name == "photo.jpg"


def test_answers_to_a_question_removed_meanwhile_are_refused_without_counting(survey):
    specs, values = selectors.question_specs(survey.questionnaire), valid_values(survey)
    survey.remarks.delete()
    with pytest.raises(answering.AnswerRefused) as refused:
        answering.response_submit(
            questionnaire=survey.questionnaire,
            respondent=Respondent(),
            draft=None,
            specs=specs,
            values=values,
            session={},
        )
    assert refused.value.code == "changed"
    survey.questionnaire.refresh_from_db()
    assert survey.questionnaire.responses_count == 0 and not Response.objects.exists()


def test_the_purge_command_deletes_old_drafts(survey):
    from io import StringIO

    from django.core.management import call_command

    old = answering.draft_save(
        questionnaire=survey.questionnaire, respondent=Respondent(), draft=None, values={}, page=1, session={}
    )
    Response.objects.filter(pk=old.pk).update(updated_at=timezone.now() - datetime.timedelta(days=10))
    out = StringIO()
    call_command("surveys_purge_drafts", "--jours", "30", stdout=out)
    assert Response.objects.filter(pk=old.pk).exists()
    call_command("surveys_purge_drafts", "--jours", "7", stdout=out)
    assert not Response.objects.filter(pk=old.pk).exists() and "1 brouillon(s) effacé(s)." in out.getvalue()
