"""Who may see meetings, register, and organise (django-rules).

- ``meetings.view_meeting`` (object: a meeting): its module is visible to the user, and the meeting is not a draft
  (its organisers see drafts).
- ``meetings.manage_meetings`` (object: the module, or a meeting): the staff of the space (organisation
  administrators, administrators of the space) organise meetings, read the registrations and their answers, register
  people by phone, write the minutes and link the contributions collected there.
- ``meetings.register`` (object: a meeting): a requirement, so that the page and the API say why not — the meeting
  can be seen, is not cancelled nor over, takes registrations, the person is signed in and not blocked.
- ``meetings.cancel_registration`` (object: a registration): its own person, or the organisers.
"""

from __future__ import annotations

from typing import Any

import rules
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participe.permissions.explain import Requirement, Step, add_perm
from participe.permissions.refusals import Reason
from participe.spaces.participation import good_standing_step, sign_in_to
from participe.spaces.predicates import can_view_module, is_authenticated, is_space_staff

CANNOT_SEE = Reason("meeting_not_visible", _("Cette réunion ne vous est pas accessible."))
CANCELLED = Reason("meeting_cancelled", _("Cette réunion est annulée."))
OVER = Reason("meeting_over", _("Cette réunion a déjà eu lieu."))
NO_REGISTRATION = Reason(
    "registration_not_required", _("Cette réunion est ouverte à toutes et tous, sans inscription.")
)
NOT_ORGANISER = Reason("not_meeting_organiser", _("Seule l'équipe de la démarche organise ses réunions."))


def _meeting(obj: Any) -> Any:
    return getattr(obj, "meeting", obj)


@rules.predicate
def is_published(user: Any, meeting: Any) -> bool:
    return bool(meeting is not None and meeting.status != "brouillon")


@rules.predicate
def is_not_cancelled(user: Any, meeting: Any) -> bool:
    return bool(meeting is not None and meeting.status != "annulee")


@rules.predicate
def is_upcoming(user: Any, meeting: Any) -> bool:
    return bool(meeting is not None and meeting.end > timezone.now())


@rules.predicate
def takes_registrations(user: Any, meeting: Any) -> bool:
    return bool(meeting is not None and meeting.registration_enabled)


@rules.predicate
def is_own_registration(user: Any, registration: Any) -> bool:
    return bool(is_authenticated(user) and registration is not None and registration.user_id == user.pk)


@rules.predicate
def organises_registration(user: Any, registration: Any) -> bool:
    return bool(registration is not None and is_space_staff(user, _meeting(registration)))


can_manage = is_space_staff
can_view_meeting = can_view_module & (is_published | is_space_staff)

rules.add_perm("meetings.view_meeting", can_view_meeting)
rules.add_perm("meetings.manage_meetings", can_manage)
add_perm(
    "meetings.register",
    Requirement(
        Step("can_see", can_view_meeting, CANNOT_SEE),
        Step("not_cancelled", is_not_cancelled, CANCELLED),
        Step("upcoming", is_upcoming, OVER),
        Step("registration", takes_registrations, NO_REGISTRATION),
        sign_in_to(_("Connectez-vous pour vous inscrire à cette réunion.")),
        good_standing_step(),
    ),
)
rules.add_perm("meetings.cancel_registration", is_own_registration | organises_registration)
