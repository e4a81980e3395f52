"""Registrations: a seat or a place on the waiting list, taken under a lock on the meeting's row so that two people
never get the last seat; a cancellation promotes the first person waiting."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participe.accounts.models import User
from participe.activity.services import audit
from participe.core.throttle import throttle
from participe.modules.meetings.models import Meeting, Registration, new_code
from participe.modules.meetings.rules import NOT_ORGANISER
from participe.notifications.services import notify
from participe.permissions.refusals import require

MAX_ANSWER = 500


def clean_answers(meeting: Meeting, answers: dict[str, Any] | None) -> dict[str, str]:
    """The answers to the meeting's questions only, trimmed (an answer is optional; too long is refused)."""
    answers = answers or {}
    cleaned: dict[str, str] = {}
    for question in meeting.question_list():
        value = str(answers.get(question, "") or "").strip()
        if len(value) > MAX_ANSWER:
            raise ValidationError(
                _("Votre réponse à « %(question)s » dépasse %(max)s caractères.")
                % {"question": question, "max": MAX_ANSWER}
            )
        if value:
            cleaned[question] = value
    return cleaned


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _place(meeting: Meeting, registration: Registration) -> Registration:
    """Give ``registration`` a seat if one is left, else a place on the waiting list; the counters follow.

    The caller holds the lock on ``meeting``'s row (fresh from ``_locked``)."""
    if meeting.capacity is None or meeting.seats_taken < meeting.capacity:
        registration.status = Registration.Status.CONFIRMED
        meeting.seats_taken += 1
    else:
        registration.status = Registration.Status.WAITING
        meeting.waiting_count += 1
    for _attempt in range(5):  # a code already given at this meeting: draw another
        try:
            with transaction.atomic():
                registration.save()
            break
        except IntegrityError:
            if (
                Registration.objects.filter(meeting=meeting, user=registration.user, user__isnull=False)
                .exclude(status=Registration.Status.CANCELLED)
                .exists()
            ):
                raise
            registration.code = new_code()
    meeting.save(update_fields=["seats_taken", "waiting_count", "updated_at"])
    return registration


def _tell_promoted(registration: Registration, actor: Any) -> None:
    user = registration.user
    if user is None:
        return
    meeting = registration.meeting
    context = {"title": meeting.title, "code": registration.code}
    transaction.on_commit(
        lambda: notify(event="meetings.promoted", target=meeting, actor=actor, recipients=[user], context=context)
    )


def promote_waiting(meeting: Meeting, *, actor: Any) -> list[Registration]:
    """Give the free seats of ``meeting`` (locked by the caller) to the people waiting, first come first served; each
    is told after commit (``meetings.promoted``, with their code)."""
    promoted: list[Registration] = []
    while meeting.capacity is None or meeting.seats_taken < meeting.capacity:
        first = (
            meeting.registrations.select_for_update()
            .filter(status=Registration.Status.WAITING)
            .order_by("created_at", "pk")
            .first()
        )
        if first is None:
            break
        first.status = Registration.Status.CONFIRMED
        first.promoted_at = timezone.now()
        first.save(update_fields=["status", "promoted_at", "updated_at"])
        meeting.seats_taken += 1
        meeting.waiting_count = max(meeting.waiting_count - 1, 0)
        promoted.append(first)
        _tell_promoted(first, actor)
    if promoted:
        meeting.save(update_fields=["seats_taken", "waiting_count", "updated_at"])
    return promoted


@transaction.atomic
def registration_create(*, actor: User, meeting: Meeting, answers: dict[str, Any] | None = None) -> Registration:
    """Register ``actor`` to ``meeting``: a seat if one is left, else the waiting list (promoted automatically when
    someone cancels). Registering again returns the live registration. Refused (``meetings.register``) for a
    meeting that is cancelled, over, without registration, or for someone not signed in or blocked."""
    require(actor, "meetings.register", meeting)
    throttle(actor, "write")
    cleaned = clean_answers(meeting, answers)
    meeting = _locked(meeting)
    existing = meeting.registrations.filter(user=actor).exclude(status=Registration.Status.CANCELLED).first()
    if existing is not None:
        return existing
    registration = _place(meeting, Registration(meeting=meeting, user=actor, answers=cleaned, registered_by=actor))
    audit(actor=actor, action="meetings.register", target=meeting, after={"status": registration.status})
    return registration


@transaction.atomic
def registration_add_by_agent(
    *,
    actor: User,
    meeting: Meeting,
    name: str,
    phone: str = "",
    email: str = "",
    answers: dict[str, Any] | None = None,
) -> Registration:
    """An organiser registers someone who called (a name, and a phone number or an email to reach them): a seat or
    the waiting list, like anyone. Refused unless ``actor`` organises the meeting; the meeting must take
    registrations and not be over or cancelled."""
    require(actor, "meetings.manage_meetings", meeting, reason=NOT_ORGANISER)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Indiquez le nom de la personne.")})
    if not (phone.strip() or email.strip()):
        raise ValidationError({"phone": _("Indiquez un téléphone ou une adresse électronique pour la prévenir.")})
    if not meeting.registration_enabled or meeting.is_cancelled or meeting.is_past():
        raise ValidationError(_("Cette réunion ne prend pas (ou plus) d'inscriptions."))
    cleaned = clean_answers(meeting, answers)
    meeting = _locked(meeting)
    registration = Registration(
        meeting=meeting,
        name=name[:200],
        phone=phone.strip()[:30],
        email=email.strip(),
        answers=cleaned,
        registered_by=actor,
    )
    registration = _place(meeting, registration)
    audit(actor=actor, action="meetings.register_by_agent", target=meeting, after={"status": registration.status})
    return registration


def give_back(meeting: Meeting, registration: Registration, *, actor: Any) -> list[Registration]:
    """Cancel ``registration`` (live, at ``meeting``, both locked by the caller): its seat or waiting place is given
    back, and a freed seat goes to the first person waiting (unless the meeting is over); return who was promoted."""
    if registration.status == Registration.Status.CONFIRMED:
        meeting.seats_taken = max(meeting.seats_taken - 1, 0)
    else:
        meeting.waiting_count = max(meeting.waiting_count - 1, 0)
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at", "updated_at"])
    meeting.save(update_fields=["seats_taken", "waiting_count", "updated_at"])
    return promote_waiting(meeting, actor=actor) if not meeting.is_past() else []


@transaction.atomic
def registration_cancel(*, actor: User, registration: Registration) -> Registration:
    """Cancel ``registration`` (its person, or an organiser): the seat goes to the first person waiting, who is
    told. Cancelling twice changes nothing."""
    require(actor, "meetings.cancel_registration", registration)
    meeting = _locked(registration.meeting)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        return registration
    promoted = give_back(meeting, registration, actor=actor)
    audit(actor=actor, action="meetings.cancel_registration", target=meeting, after={"promoted": len(promoted)})
    return registration


@transaction.atomic
def registration_check_in(*, actor: User, meeting: Meeting, code: str) -> Registration:
    """Mark at the door the person whose registration code is ``code`` (case and spaces ignored). Refused unless
    ``actor`` organises the meeting; an unknown code or one on the waiting list is a clear error."""
    require(actor, "meetings.manage_meetings", meeting, reason=NOT_ORGANISER)
    code = "".join(code.split()).upper()
    registration = meeting.registrations.select_for_update().filter(code=code).first()
    if registration is None or registration.status == Registration.Status.CANCELLED:
        raise ValidationError({"code": _("Aucune inscription avec le code %(code)s.") % {"code": code or "—"}})
    if registration.status == Registration.Status.WAITING:
        raise ValidationError({"code": _("Cette personne est encore en liste d'attente.")})
    if registration.checked_in_at is None:
        registration.checked_in_at = timezone.now()
        registration.save(update_fields=["checked_in_at", "updated_at"])
    return registration


def recount(meeting: Meeting) -> tuple[int, int]:
    """Seats taken and people waiting, counted from the rows (the tests compare the counters with it)."""
    rows = meeting.registrations.all()
    return (
        rows.filter(status=Registration.Status.CONFIRMED).count(),
        rows.filter(status=Registration.Status.WAITING).count(),
    )
