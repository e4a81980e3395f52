"""Every write of the commitments: create, change, delete; link what they answer; set their status; add their
dated steps (with photos, through the attachments service); ``delete_for`` when a module deletes an item.

Each service takes the ``actor`` first and checks its permission itself (``require``: ``rules``), validates
everything before writing, runs in a transaction under a lock on the commitment's row (its counters and its status
move together), records the act in the audit log and tells the followers of the commitment and of its space
(``notify``: rows written in the transaction, emails sent once it has committed). Modules call them with their
items as ``source``: ``commitment_create(actor, space=…, source=proposal, title=…)``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participe.accounts.models import User
from participe.activity.services import audit
from participe.attachments.services import attachment_add
from participe.commitments.models import Commitment, CommitmentSource, CommitmentUpdate, Status
from participe.core.registry import registry
from participe.notifications.services import follow_author, notify
from participe.organisation.models import Service, Territory
from participe.permissions.refusals import Reason, require
from participe.spaces.models import Space
from participe.spaces.predicates import item_is_visible, space_of

UPDATE_EVENT = "commitments.update"
STATUS_EVENT = "commitments.status"
MAX_TITLE = 200
MAX_TEXT = 10_000
MAX_BUDGET = Decimal("999999999999.99")
NOT_MANAGER = Reason("not_manager", gettext_lazy("Seuls les administrateurs de la démarche gèrent ses engagements."))
NOT_CARRIER = Reason(
    "not_carrier",
    gettext_lazy("Seuls le service chargé de l'engagement et les administrateurs de la démarche le font avancer."),
)
# Fields a change records in the audit log (and that ``commitment_change`` accepts).
FIELDS = ("title", "description", "service", "territory", "planned_date", "budget", "reference", "is_published")


# --- validation ---------------------------------------------------------------------------------------------------
def _clean_text(value: str | None, field: str, *, required: bool, limit: int) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("Ce champ est obligatoire.")})
    if len(value) > limit:
        raise ValidationError({field: _("Ce texte fait au plus %(n)s caractères.") % {"n": limit}})
    return value


def _clean_progress(progress: Any, field: str = "progress") -> int | None:
    if progress is None or progress == "":
        return None
    try:
        value = int(progress)
    except (TypeError, ValueError):
        raise ValidationError({field: _("L'avancement est un nombre entier de 0 à 100.")}) from None
    if not 0 <= value <= 100:
        raise ValidationError({field: _("L'avancement est un nombre entier de 0 à 100.")})
    return value


def _clean_budget(budget: Any) -> Decimal | None:
    if budget is None or budget == "":
        return None
    try:
        value = Decimal(str(budget).replace(" ", "").replace("\u202f", "").replace(",", "."))
    except ArithmeticError:
        raise ValidationError(
            {"budget": _("Le budget est un montant en euros, par exemple 12500 ou 12500,50.")}
        ) from None
    if not value.is_finite() or value < 0 or value > MAX_BUDGET:
        raise ValidationError({"budget": _("Le budget est un montant positif en euros.")})
    return value.quantize(Decimal("0.01"))


def _clean_status(status: str) -> str:
    if status not in Status.values:
        raise ValidationError({"status": _("Statut inconnu : %(s)s.") % {"s": status}})
    return status


def _check_reference(reference: str, commitment: Commitment | None) -> str:
    reference = _clean_text(reference, "reference", required=False, limit=50)
    if reference:
        taken = Commitment.objects.filter(reference=reference)
        if commitment is not None:
            taken = taken.exclude(pk=commitment.pk)
        if taken.exists():
            raise ValidationError({"reference": _("Un autre engagement porte déjà cette référence.")})
    return reference


def _clean_fields(values: dict[str, Any], commitment: Commitment | None) -> dict[str, Any]:
    """The values of ``FIELDS`` given, checked and normalised; a ValidationError names every wrong field."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    checks: dict[str, Callable[[Any], Any]] = {
        "title": lambda v: _clean_text(v, "title", required=True, limit=MAX_TITLE),
        "description": lambda v: _clean_text(v, "description", required=False, limit=MAX_TEXT),
        "budget": _clean_budget,
        "reference": lambda v: _check_reference(v, commitment),
        "service": lambda v: v if v is None or isinstance(v, Service) else _wrong("service"),
        "territory": lambda v: v if v is None or isinstance(v, Territory) else _wrong("territory"),
        "planned_date": lambda v: v if v is None or isinstance(v, datetime.date) else _wrong("planned_date"),
        "is_published": bool,
    }
    for name, value in values.items():
        if name not in checks:
            raise TypeError(f"commitment field {name!r} cannot be set here")
        try:
            cleaned[name] = checks[name](value)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _wrong(field: str) -> Any:
    raise ValidationError({field: _("Valeur invalide.")})


def _check_status(status: str, reason: str) -> str:
    _clean_status(status)
    reason = _clean_text(reason, "status_reason", required=status == Status.ABANDONED, limit=MAX_TEXT)
    return reason


# --- sources ------------------------------------------------------------------------------------------------------
def _check_source(actor: User, item: Model) -> None:
    if registry.resource(item._meta.label) is None or item.pk is None:
        raise ValidationError({"source": _("Un engagement répond à une contribution ou à un projet d'un module.")})
    if not item_is_visible(actor, item) or space_of(item) is None:
        raise ValidationError({"source": _("Cet élément n'est pas visible : l'engagement ne peut pas y répondre.")})


def _add_sources(commitment: Commitment, items: Iterable[Model]) -> list[CommitmentSource]:
    rows = [
        CommitmentSource(commitment=commitment, content_type=ContentType.objects.get_for_model(item), object_id=item.pk)
        for item in items
    ]
    return CommitmentSource.objects.bulk_create(rows, ignore_conflicts=True)


# --- locks, counters ----------------------------------------------------------------------------------------------
def _lock(commitment: Commitment) -> Commitment:
    """The commitment's row, locked, read again: what another request changed meanwhile is seen."""
    return Commitment.objects.select_for_update().select_related("space").get(pk=commitment.pk)


def _snapshot(commitment: Commitment) -> dict[str, Any]:
    return {
        name: str(getattr(commitment, name)) if getattr(commitment, name) is not None else None
        for name in (*FIELDS, "status", "progress")
    }


# --- commitments --------------------------------------------------------------------------------------------------
@transaction.atomic
def commitment_create(
    actor: User,
    *,
    space: Space,
    title: str,
    source: Model | None = None,
    sources: Iterable[Model] = (),
    status: str = Status.STUDY,
    status_reason: str = "",
    progress: int | None = 0,
    follow: bool = True,
    **fields: Any,
) -> Commitment:
    """Create a commitment of ``space`` answering ``source`` (and ``sources``: items of any module of any space).

    ``fields``: ``description``, ``service`` (an ``organisation.Service``), ``territory``, ``planned_date``,
    ``budget`` (euros), ``reference`` (unique when given), ``is_published`` (True by default). The actor follows it
    (``follow``) so that they hear of the steps others add. Refused unless the actor runs the space
    (``commitments.add_commitment``)."""
    require(actor, "commitments.add_commitment", space, reason=NOT_MANAGER)
    cleaned = _clean_fields({"title": title, **fields}, None)
    status_reason = _check_status(status, status_reason)
    value = _clean_progress(progress)
    items = [*([source] if source is not None else []), *sources]
    for item in items:
        _check_source(actor, item)
    now = timezone.now()
    commitment = Commitment.objects.create(
        space=space,
        status=status,
        status_reason=status_reason,
        progress=100 if status == Status.DONE else (value or 0),
        done_on=timezone.localdate() if status == Status.DONE else None,
        created_by=actor,
        created_at=now,
        changed_at=now,
        **cleaned,
    )
    _add_sources(commitment, items)
    audit(actor=actor, action="commitments.create", target=commitment, after=_snapshot(commitment))
    if follow:
        follow_author(user=actor, target=commitment)
    return commitment


@transaction.atomic
def commitment_change(actor: User, commitment: Commitment, **fields: Any) -> Commitment:
    """Change the fields of ``FIELDS`` given (not the status: ``commitment_set_status``)."""
    require(actor, "commitments.change_commitment", commitment, reason=NOT_MANAGER)
    cleaned = _clean_fields(fields, commitment)
    locked = _lock(commitment)
    before = _snapshot(locked)
    for name, value in cleaned.items():
        setattr(locked, name, value)
    locked.changed_at = timezone.now()
    locked.save(update_fields=[*cleaned, "changed_at"])
    audit(actor=actor, action="commitments.change", target=locked, before=before, after=_snapshot(locked))
    _refresh(commitment, locked)
    return commitment


@transaction.atomic
def commitment_delete(actor: User, commitment: Commitment) -> None:
    """Delete a commitment, its steps and their files, and what the shared services keep about them."""
    require(actor, "commitments.delete_commitment", commitment, reason=NOT_MANAGER)
    locked = _lock(commitment)
    for update in locked.updates.all():
        registry.delete_shared(update)
    registry.delete_shared(locked)
    audit(actor=actor, action="commitments.delete", target=locked.space, before=_snapshot(locked))
    locked.delete()


def _refresh(target: Commitment, source: Commitment) -> None:
    """Copy the fields of the locked row read again into the caller's instance."""
    for field in Commitment._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


# --- what it answers ----------------------------------------------------------------------------------------------
@transaction.atomic
def commitment_source_add(actor: User, commitment: Commitment, item: Model) -> None:
    """``commitment`` answers ``item`` too (a contribution, a project of any module). Idempotent."""
    require(actor, "commitments.change_commitment", commitment, reason=NOT_MANAGER)
    _check_source(actor, item)
    if _add_sources(commitment, [item]):
        audit(actor=actor, action="commitments.source_add", target=commitment, after={"item": _label(item)})


@transaction.atomic
def commitment_source_remove(actor: User, commitment: Commitment, item: Model) -> bool:
    require(actor, "commitments.change_commitment", commitment, reason=NOT_MANAGER)
    content_type = ContentType.objects.get_for_model(item)
    deleted, _rows = CommitmentSource.objects.filter(
        commitment=commitment, content_type=content_type, object_id=item.pk
    ).delete()
    if deleted:
        audit(actor=actor, action="commitments.source_remove", target=commitment, before={"item": _label(item)})
    return bool(deleted)


def _label(item: Model) -> str:
    return f"{item._meta.label_lower}:{item.pk} {str(item)[:100]}"


# --- status and steps ---------------------------------------------------------------------------------------------
def _apply(commitment: Commitment, *, status: str | None, reason: str, progress: int | None, on: datetime.date) -> None:
    """Set the status (with its reason) and the progress on the locked row; done means 100 %."""
    if status is not None and status != commitment.status:
        commitment.status = status
        commitment.status_reason = reason if status == Status.ABANDONED else ""
        commitment.done_on = on if status == Status.DONE else None
    elif status == Status.ABANDONED and reason:
        commitment.status_reason = reason
    if commitment.status == Status.DONE:
        progress = 100
    if progress is not None:
        commitment.progress = progress


@transaction.atomic
def commitment_update_add(
    actor: User,
    commitment: Commitment,
    *,
    text: str,
    date: datetime.date | None = None,
    status: str | None = None,
    status_reason: str = "",
    progress: Any = None,
    photos: Iterable[tuple[Any, str]] = (),
    notify_followers: bool = True,
) -> CommitmentUpdate:
    """Add a dated step to ``commitment`` (its text; optionally a new status, a new progress, photos as
    ``(uploaded file, text alternative)`` pairs) and tell its followers and its space's.

    Refused unless the actor carries the commitment (its service in charge) or runs its space. Nothing is written
    when a photo is refused (its error names the field ``photo``)."""
    require(actor, "commitments.add_update", commitment, reason=NOT_CARRIER)
    text = _clean_text(text, "text", required=True, limit=MAX_TEXT)
    value = _clean_progress(progress)
    if status is not None and status != "":
        status_reason = _check_status(status, status_reason)
    else:
        status = None
    today = timezone.localdate()
    date = date or today
    if date > today:
        raise ValidationError({"date": _("Une étape est datée d'aujourd'hui ou du passé.")})
    locked = _lock(commitment)
    if status is None and value is not None and locked.status == Status.DONE and value != 100:
        raise ValidationError({"progress": _("Un engagement réalisé est avancé à 100 %.")})
    before = _snapshot(locked)
    _apply(locked, status=status, reason=status_reason, progress=value, on=date)
    update = CommitmentUpdate.objects.create(
        commitment=locked, date=date, text=text, status=status or "", progress=value, author=actor
    )
    for uploaded, title in photos:
        try:
            attachment_add(actor=actor, target=update, uploaded_file=uploaded, title=title)
        except ValidationError as exc:
            raise ValidationError({"photo": [m for ms in exc.message_dict.values() for m in ms]}) from exc
    locked.updates_count = F("updates_count") + 1
    locked.last_update_on = max(date, locked.last_update_on or date)
    locked.changed_at = timezone.now()
    locked.save(
        update_fields=[
            "status",
            "status_reason",
            "done_on",
            "progress",
            "updates_count",
            "last_update_on",
            "changed_at",
        ]
    )
    locked.refresh_from_db(fields=["updates_count"])
    audit(actor=actor, action="commitments.update_add", target=locked, before=before, after=_snapshot(locked))
    if notify_followers and locked.is_published:
        event = STATUS_EVENT if status is not None and before["status"] != status else UPDATE_EVENT
        notify(
            event=event,
            target=locked,
            actor=actor,
            context={
                "subject": text[:200],
                "status": str(locked.get_status_display()),
                "progress": locked.progress,
            },
        )
    _refresh(commitment, locked)
    return update


def commitment_set_status(
    actor: User, commitment: Commitment, *, status: str, reason: str = "", progress: Any = None, text: str = ""
) -> CommitmentUpdate:
    """Move ``commitment`` to ``status`` (abandoned: with its ``reason``), optionally with a progress: a step of its
    timeline says so (``text``, or the status itself)."""
    _clean_status(status)
    if not (text or "").strip():
        label = Status(status).label
        text = reason if status == Status.ABANDONED and reason else _("Nouveau statut : %(s)s.") % {"s": label}
    return commitment_update_add(actor, commitment, text=text, status=status, status_reason=reason, progress=progress)


@transaction.atomic
def commitment_update_delete(actor: User, update: CommitmentUpdate) -> None:
    """Remove a step written by mistake (its files too). The commitment keeps its status and progress."""
    require(actor, "commitments.change_commitment", update.commitment, reason=NOT_MANAGER)
    locked = _lock(update.commitment)
    registry.delete_shared(update)
    audit(
        actor=actor,
        action="commitments.update_delete",
        target=locked,
        before={"date": str(update.date), "text": update.text[:300]},
    )
    update.delete()
    remaining = CommitmentUpdate.objects.filter(commitment=locked)
    locked.updates_count = remaining.count()
    locked.last_update_on = remaining.order_by("-date").values_list("date", flat=True).first()
    locked.save(update_fields=["updates_count", "last_update_on"])


# --- shared clean-up ----------------------------------------------------------------------------------------------
def delete_for(target: Model) -> int:
    """Forget that commitments answered ``target`` (its module deletes it): registered shared clean-up."""
    content_type = ContentType.objects.get_for_model(target)
    deleted, _rows = CommitmentSource.objects.filter(content_type=content_type, object_id=target.pk).delete()
    return deleted
