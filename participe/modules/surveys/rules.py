"""Who may build, answer and read a questionnaire.

Objects are a ``Module`` of type "surveys" or its ``Questionnaire`` (both lead to the module, its space, its current
phase and its settings), except ``surveys.view_response`` whose object is a ``Response``.

- ``surveys.view_questionnaire``: see the module page (the space is visible, the module published or the user is
  staff of the space).
- ``surveys.answer_questionnaire``: the current phase grants ``Cap.ANSWER``, the space is not archived, the account
  is not blocked, and either the questionnaire is open to anyone (setting ``access`` "anyone" and no eligibility rule
  on "répondre") or the user is signed in and meets the eligibility rule (a requirement: ``explain`` says why not).
  The one-answer rule is checked by the answering service, under a lock.
- ``surveys.manage_questionnaire``: build it (organisation administrators, administrators of the space).
- ``surveys.try_questionnaire``: preview it and answer it in test mode, whatever the phase (same people).
- ``surveys.enter_paper_response``: type the answers of a paper questionnaire (same people).
- ``surveys.view_results``: the aggregated results (staff, or anyone who sees the module when ``results_public``).
- ``surveys.view_responses``: individual answers and free-text answers, exports (staff only).
- ``surveys.download_open_data``: the aggregated counts as open data (staff, or anyone when ``results_open_data``).
- ``surveys.view_own_answers``: a signed-in participant reads their own answers (never when answers are anonymous).
- ``surveys.view_response`` (object: a ``Response``): its participant (not anonymous) or the staff of the space.
"""

from __future__ import annotations

from typing import Any

import rules
from django.utils import timezone

from participe.core.capabilities import Cap
from participe.permissions.explain import Requirement, Step, add_perm
from participe.spaces.participation import (
    blocked_reason,
    can_see_step,
    eligible_step,
    not_archived_step,
    phase_step,
    signed_in_step,
)
from participe.spaces.predicates import (
    can_view_space,
    is_authenticated,
    is_space_staff,
    module_is_published,
    module_of,
)
from participe.verifications.eligibility import rule_for

ACCESS_ANYONE = "anyone"


def survey_settings(obj: Any) -> dict[str, Any]:
    """The settings in force for the module of ``obj`` (module values, then the current phase's overrides)."""
    module = module_of(obj)
    if module is None:
        return {}
    return module.effective_settings(module.current_phase(timezone.now()))


@rules.predicate
def is_blocked(user: Any) -> bool:
    return bool(user and user.is_authenticated and getattr(user, "blocked_at", None) is not None)


@rules.predicate
def open_without_account(user: Any, obj: Any) -> bool:
    """Anyone may answer, even without an account: the setting says so and no eligibility rule applies."""
    module = module_of(obj)
    if module is None:
        return False
    return survey_settings(module).get("access") == ACCESS_ANYONE and rule_for(module, Cap.ANSWER) is None


@rules.predicate
def results_are_public(user: Any, obj: Any) -> bool:
    return bool(survey_settings(obj).get("results_public"))


@rules.predicate
def results_are_open_data(user: Any, obj: Any) -> bool:
    return bool(survey_settings(obj).get("results_open_data"))


@rules.predicate
def answers_are_anonymous(user: Any, obj: Any) -> bool:
    return bool(survey_settings(obj).get("anonymous"))


@rules.predicate
def is_response_participant(user: Any, response: Any) -> bool:
    return bool(
        is_authenticated(user)
        and response is not None
        and response.participant_id is not None
        and response.participant_id == user.pk
        and not answers_are_anonymous(user, response.questionnaire)
    )


@rules.predicate
def is_staff_of_response(user: Any, response: Any) -> bool:
    return response is not None and bool(is_space_staff(user, response.questionnaire.module))


can_view_module = can_view_space & (module_is_published | is_space_staff)
can_manage = is_space_staff
# Taking part, except that a questionnaire open to anyone needs neither an account nor eligibility; a blocked
# account may not answer even so.
ANSWER = Requirement(
    can_see_step(),
    not_archived_step(),
    phase_step(Cap.ANSWER),
    Step("not_blocked", ~is_blocked, lambda user, obj: blocked_reason()),
    Step("signed_in", is_authenticated, signed_in_step(Cap.ANSWER).reason).unless(open_without_account),
    eligible_step(Cap.ANSWER).unless(open_without_account),
)
can_answer = ANSWER.predicate

rules.add_perm("surveys.view_questionnaire", can_view_module)
add_perm("surveys.answer_questionnaire", ANSWER)
rules.add_perm("surveys.manage_questionnaire", can_manage)
rules.add_perm("surveys.try_questionnaire", can_manage)
rules.add_perm("surveys.enter_paper_response", can_manage)
rules.add_perm("surveys.view_results", can_manage | (can_view_module & results_are_public))
rules.add_perm("surveys.view_responses", can_manage)
rules.add_perm("surveys.download_open_data", can_manage | (can_view_module & results_are_open_data))
rules.add_perm("surveys.view_own_answers", is_authenticated & can_view_module & ~answers_are_anonymous)
rules.add_perm("surveys.view_response", is_staff_of_response | is_response_participant)
