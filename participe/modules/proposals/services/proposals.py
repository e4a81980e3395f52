"""Every write on proposals by their authors (and the calls agents make to enter one for a resident).

Each service checks its actor's permission itself (``require``: a ``Refused`` with the reasons ``explain`` gives),
after the checks of the row's state under its lock (a ``ValidationError``: already deposited, already supported…)
and before writing anything. Each service is audited; search, moderation and follows are called explicitly. Counters of a proposal
(supports, comments, followers, reports) belong to the shared apps, which update them under a row lock: these
services never save a whole proposal, only the fields they own (``update_fields``). The analysis and the official
answer are in ``services.analysis``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from participe.accounts.models import User
from participe.activity.services import audit, snapshot
from participe.core.models import ModerationStatus
from participe.core.registry import registry
from participe.core.sanitize import single_line
from participe.core.throttle import throttle
from participe.moderation import services as moderation
from participe.modules.proposals.models import Proposal, StatusChange
from participe.modules.proposals.selectors.proposals import new_shuffle
from participe.notifications.services import follow_author, notify
from participe.organisation.geography import organisation_area
from participe.organisation.models import Organisation, Territory, Theme
from participe.permissions.refusals import require
from participe.search.services import index_object, unindex_object
from participe.spaces.models import Module
from participe.spaces.selectors import themes_of
from participe.supports import services as supports
from participe.supports.models import Support

PROPOSAL_FIELDS = ["title", "body", "theme", "territory", "latitude", "longitude", "address"]
AUDITED_FIELDS = [*PROPOSAL_FIELDS, "status", "origin", "author", "entered_by", "reference"]
TITLE_MIN_LENGTH = 10
BODY_MIN_LENGTH = 15


# --- settings -----------------------------------------------------------------------------------------------
def module_settings(module: Module) -> dict[str, Any]:
    """The module's settings with the current phase's overrides."""
    return module.effective_settings(module.current_phase())


def support_threshold(module: Module) -> int | None:
    """The number of supports that marks a proposal "retenue pour analyse", or None (no threshold)."""
    try:
        threshold = int(module_settings(module).get("support_threshold") or 0)
    except (TypeError, ValueError):
        return None
    return threshold if threshold > 0 else None


# --- validation ---------------------------------------------------------------------------------------------
def _check_module(module: Module) -> None:
    if module.module_type != "proposals":
        raise ValidationError(_("Ce module n'est pas une boîte à idées."))


def _coordinate(value: Any, name: str, bound: int, errors: dict[str, list[str]]) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        errors.setdefault(name, []).append(_("Ce n'est pas un nombre."))
        return None
    if not -bound <= number <= bound:
        errors.setdefault(name, []).append(
            _("La valeur doit être comprise entre -%(bound)s et %(bound)s.") % {"bound": bound}
        )
        return None
    return number


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """Normalise and check the fields of a proposal; raises one ValidationError keyed by field."""
    unknown = set(data) - set(PROPOSAL_FIELDS)
    if unknown:
        raise ValidationError(_("Champ inconnu : %(name)s.") % {"name": ", ".join(sorted(unknown))})
    errors: dict[str, list[str]] = {}
    cleaned = dict(data)
    if "title" in data:
        cleaned["title"] = single_line(data["title"])  # no bidirectional controls (issue #19, finding 8)
    if "address" in data:
        cleaned["address"] = " ".join(str(data["address"] or "").split())
    limit = int(settings.PARTICIPE_TEXT_MAX_LENGTH)
    if len(str(data.get("body") or "")) > limit:
        message = _("La description compte %(length)s caractères : %(limit)s au plus.")
        errors["body"] = [message % {"length": len(str(data["body"])), "limit": limit}]
    if "latitude" in data:
        cleaned["latitude"] = _coordinate(data["latitude"], "latitude", 90, errors)
    if "longitude" in data:
        cleaned["longitude"] = _coordinate(data["longitude"], "longitude", 180, errors)
    for name, model in (("theme", Theme), ("territory", Territory)):
        value = data.get(name)
        if value is not None and not isinstance(value, model):
            errors.setdefault(name, []).append(_("Ce choix n'existe pas."))
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_complete(module: Module, proposal: Proposal) -> None:
    """What a proposal needs to be deposited (drafts may be incomplete, except for a title)."""
    values = module_settings(module)
    errors: dict[str, list[str]] = {}
    if len(proposal.title) < TITLE_MIN_LENGTH:
        errors["title"] = [
            _("Le titre doit compter au moins %(n)d caractères pour être compris.") % {"n": TITLE_MIN_LENGTH}
        ]
    if len(" ".join(strip_tags(proposal.body or "").split())) < BODY_MIN_LENGTH:
        errors["body"] = [_("Décrivez votre proposition en quelques phrases.")]
    if values.get("theme_required") and proposal.theme_id is None:
        errors["theme"] = [_("Choisissez un thème.")]
    if values.get("location_required") and not (proposal.has_location or proposal.address):
        errors["address"] = [_("Indiquez le lieu concerné : une adresse, ou un point placé sur la carte.")]
    if errors:
        raise ValidationError(errors)


def _check_location(proposal: Proposal) -> None:
    if (proposal.latitude is None) != (proposal.longitude is None):
        raise ValidationError({"latitude": [_("Donnez la latitude et la longitude, ou aucune des deux.")]})


def _check_theme_and_place(module: Module, proposal: Proposal, changed: dict[str, Any]) -> None:
    """The theme is one of the démarche's (``themes_of``); a point placed on the map lies inside the organisation's
    territories when they have boundaries (decision 0022). Only what this write changes is checked: a proposal
    placed before a boundary was drawn can still be edited."""
    errors: dict[str, list[str]] = {}
    theme_id = proposal.theme_id if "theme" in changed else None
    if theme_id is not None and not themes_of(module.space).filter(pk=theme_id).exists():
        errors["theme"] = [_("Ce thème n'est pas l'un de ceux de la démarche : choisissez-en un dans la liste.")]
    if ({"latitude", "longitude"} & changed.keys()) and proposal.has_location:
        area = organisation_area()
        if (
            area.is_known
            and proposal.latitude is not None
            and proposal.longitude is not None
            and not area.contains(proposal.latitude, proposal.longitude)
        ):
            errors["latitude"] = [
                _(
                    "Ce point est en dehors du territoire %(of)s : placez-le sur la carte, dans le territoire, "
                    "ou indiquez seulement une adresse."
                )
                % {"of": Organisation.get().of_phrase}
            ]
    if errors:
        raise ValidationError(errors)


def _check_draft_title(proposal: Proposal) -> None:
    if not proposal.title:
        raise ValidationError({"title": [_("Donnez au moins un titre à votre brouillon.")]})


# --- calls into the shared services -------------------------------------------------------------------------
def _index(proposal: Proposal) -> None:
    """The search index holds published proposals that moderation has not hidden; nothing else."""
    if proposal.status == Proposal.Status.PUBLISHED and proposal.moderation_status == ModerationStatus.PUBLISHED:
        index_object(proposal)
    else:
        unindex_object(proposal)


def _locked(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().select_related("module__space").get(pk=proposal.pk)


def _next_reference(module: Module) -> int:
    """The next number of the module (1, 2, 3…); the caller holds the lock on the module's row."""
    last = Proposal.objects.filter(module=module).aggregate(last=Max("reference"))["last"]
    return (last or 0) + 1


# --- the author's writes ------------------------------------------------------------------------------------
@transaction.atomic
def proposal_create(
    *,
    actor: User,
    module: Module,
    data: dict[str, Any],
    publish: bool = True,
    author: User | None = None,
    entered_by: User | None = None,
    origin: str = Proposal.Origin.ONLINE,
) -> Proposal:
    """Create a proposal of ``module`` as a draft, or deposit it at once (``publish=True``).

    ``actor`` is the resident writing it (``proposals.add_proposal``: the phase, their eligibility). A proposal
    entered for someone else needs ``proposals.enter_on_behalf`` (agents, the staff of the space) from whoever types
    it: an agent entering a proposal received on paper, at a meeting or at the counter, or acting for a resident,
    passes ``entered_by`` (themselves), ``origin`` and ``author`` (the resident, or None when they have no account),
    and the proposal shows "saisie par un agent"; the staff's own tools (the demo) pass ``author`` alone. The audit
    log keeps both names.
    """
    _check_module(module)
    if origin not in Proposal.Origin.values:
        raise ValidationError({"origin": [_("Origine inconnue.")]})
    if entered_by is None and origin != Proposal.Origin.ONLINE:
        raise ValidationError({"origin": [_("Une proposition reçue hors ligne est saisie par un agent.")]})
    author = actor if author is None and entered_by is None else author
    for_someone = entered_by is not None or author != actor
    if for_someone:
        require(entered_by or actor, "proposals.enter_on_behalf", module)
    else:
        require(actor, "proposals.add_proposal", module)
    throttle(author or actor, "content")
    cleaned = _clean(data)
    proposal = Proposal(
        module=module,
        author=author,
        entered_by=entered_by,
        origin=origin,
        status=Proposal.Status.DRAFT,
        shuffle=new_shuffle(),
    )
    for name, value in cleaned.items():
        setattr(proposal, name, value)
    _check_location(proposal)
    _check_theme_and_place(module, proposal, cleaned)
    _check_draft_title(proposal)
    if publish:
        _check_complete(module, proposal)
    proposal.full_clean(exclude=["body", "module"])
    proposal.save()
    audit(
        actor=entered_by or actor,
        action="proposals.proposal_create",
        target=proposal,
        after=snapshot(proposal, AUDITED_FIELDS),
        on_behalf_of=proposal.author if for_someone else None,
    )
    if publish:
        proposal = _publish(actor=actor, proposal=proposal, entered_by=entered_by)
    return proposal


@transaction.atomic
def proposal_update(
    *, actor: User, proposal: Proposal, data: dict[str, Any], entered_by: User | None = None
) -> Proposal:
    """Change a draft, or a published proposal nobody supports yet (its supporters signed what they read).

    The "no support yet" rule is checked here under the row lock, so a support arriving at the same time is not
    overtaken by an edit; then the author's permission (``proposals.change_proposal``: the phase, the account).
    """
    locked = _locked(proposal)
    if locked.status == Proposal.Status.WITHDRAWN:
        raise ValidationError(_("Cette proposition a été retirée : elle ne peut plus être modifiée."))
    if locked.status == Proposal.Status.PUBLISHED and locked.supports_count > 0:
        raise ValidationError(
            _("Cette proposition est déjà soutenue : elle ne peut plus être modifiée, pour respecter ses soutiens.")
        )
    if locked.answer_status:
        raise ValidationError(_("La collectivité a répondu à cette proposition : elle ne peut plus être modifiée."))
    require(actor, "proposals.change_proposal", locked)
    publishing = locked.status == Proposal.Status.PUBLISHED
    cleaned = _clean(data)
    before = snapshot(locked, PROPOSAL_FIELDS)
    for name, value in cleaned.items():
        setattr(locked, name, value)
    _check_location(locked)
    _check_theme_and_place(locked.module, locked, cleaned)
    _check_draft_title(locked)
    if publishing:
        _check_complete(locked.module, locked)
    locked.full_clean(exclude=["body", "module"])
    locked.save(update_fields=[*cleaned.keys(), "updated_at"])
    audit(
        actor=entered_by or actor,
        action="proposals.proposal_update",
        target=locked,
        before=before,
        after=snapshot(locked, PROPOSAL_FIELDS),
        on_behalf_of=actor if entered_by is not None else None,
    )
    _index(locked)
    return locked


@transaction.atomic
def proposal_publish(*, actor: User, proposal: Proposal, entered_by: User | None = None) -> Proposal:
    """Deposit a draft (its author: ``proposals.publish_proposal``): it gets its number in the module, waits for a
    moderator when the module moderates a priori, enters the public history and the search index, and its author
    follows it."""
    return _publish(actor=actor, proposal=proposal, entered_by=entered_by, checked=False)


def _publish(*, actor: User, proposal: Proposal, entered_by: User | None = None, checked: bool = True) -> Proposal:
    """``proposal_publish``; ``checked``: the caller has checked the permission (``proposal_create``)."""
    module = Module.objects.select_for_update().get(pk=proposal.module_id)  # numbers are counted: one at a time
    locked = _locked(proposal)
    if locked.status != Proposal.Status.DRAFT:
        raise ValidationError(_("Cette proposition est déjà déposée."))
    if not checked:
        require(actor, "proposals.publish_proposal", locked)
    _check_complete(module, locked)
    now = timezone.now()
    locked.status = Proposal.Status.PUBLISHED
    locked.published_at = now
    locked.reference = locked.reference or _next_reference(module)
    locked.moderation_status = moderation.initial_status(module)
    locked.save(update_fields=["status", "published_at", "reference", "moderation_status", "updated_at"])
    StatusChange.objects.create(proposal=locked, kind=StatusChange.Kind.PUBLISHED, actor=entered_by or actor)
    audit(
        actor=entered_by or actor,
        action="proposals.proposal_publish",
        target=locked,
        before={"status": Proposal.Status.DRAFT},
        after={"status": locked.status, "reference": locked.reference, "moderation_status": locked.moderation_status},
        on_behalf_of=locked.author if entered_by is not None else None,
    )
    moderation.content_submit(target=locked)
    follow_author(user=locked.author, target=locked)
    _index(locked)
    if locked.moderation_status == ModerationStatus.PUBLISHED:
        # The followers of the module and of the space hear of it (the author is the actor: not told).
        notifier = locked.author or entered_by or actor
        transaction.on_commit(lambda: notify(event="proposals.new", target=locked, actor=notifier))
    return locked


@transaction.atomic
def proposal_withdraw(*, actor: User, proposal: Proposal, reason: str = "", entered_by: User | None = None) -> Proposal:
    """The author withdraws a deposited proposal. Its page stays (marked "retirée", with its history); it leaves the
    list and the search, and its supports are released so that supporters may support other proposals."""
    locked = _locked(proposal)
    if locked.status != Proposal.Status.PUBLISHED:
        raise ValidationError(_("Seule une proposition déposée peut être retirée."))
    if locked.answer_status:
        raise ValidationError(_("La collectivité a répondu à cette proposition : elle ne peut plus être retirée."))
    require(actor, "proposals.withdraw_proposal", locked)
    supports_count = locked.supports_count
    locked.status = Proposal.Status.WITHDRAWN
    locked.withdrawn_at = timezone.now()
    locked.save(update_fields=["status", "withdrawn_at", "updated_at"])
    StatusChange.objects.create(proposal=locked, kind=StatusChange.Kind.WITHDRAWN, actor=entered_by or actor)
    released = supports.delete_for(locked)
    audit(
        actor=entered_by or actor,
        action="proposals.proposal_withdraw",
        target=locked,
        before={"status": Proposal.Status.PUBLISHED, "supports_count": supports_count},
        after={"status": locked.status, "supports_released": released},
        reason=reason.strip()[:500],
        on_behalf_of=actor if entered_by is not None else None,
    )
    _index(locked)
    locked.refresh_from_db(fields=["supports_count"])
    return locked


@transaction.atomic
def proposal_delete(*, actor: User, proposal: Proposal) -> None:
    """Delete a draft (its author: ``proposals.delete_proposal``) or any proposal (the staff of the space:
    ``proposals.manage_proposals``) with what the shared apps hold about it."""
    locked = _locked(proposal)
    if not actor.has_perm("proposals.manage_proposals", locked.module):
        require(actor, "proposals.delete_proposal", locked)
    audit(
        actor=actor,
        action="proposals.proposal_delete",
        target=locked,
        before=snapshot(locked, [*AUDITED_FIELDS, "supports_count", "comments_count"]),
    )
    registry.delete_shared(locked)
    unindex_object(locked)
    locked.delete()


# --- the support threshold ----------------------------------------------------------------------------------
# A proposal is marked "retenue pour analyse" where its supports or the threshold change, never when it is shown
# (a GET writes nothing): after each support (the resource's hook), after the module's settings or phases change
# (the manifest's hook), and by ``manage.py proposals_retain`` for a phase whose own threshold starts later.
def on_supports_changed(proposal: Proposal) -> None:
    """The resource's hook (manifest): the supports app calls it, inside its transaction, after each change."""
    proposal_retain_if_reached(proposal=proposal)


def on_settings_changed(module: Module) -> None:
    """The manifest's hook: the spaces services call it, inside their transaction, after the module's settings or
    phases changed (a threshold lowered marks at once what reaches it)."""
    if module.module_type == "proposals":
        retain_reached(module)


def _threshold_time(proposal: Proposal, threshold: int) -> datetime.datetime:
    """When the ``threshold``-th support still standing was given (the moment the threshold was reached)."""
    content_type = ContentType.objects.get_for_model(Proposal)
    moment = (
        Support.objects.filter(content_type=content_type, object_id=proposal.pk)
        .order_by("created_at", "pk")
        .values_list("created_at", flat=True)[threshold - 1 : threshold]
        .first()
    )
    return moment or timezone.now()


def proposal_retain_if_reached(*, proposal: Proposal) -> bool:
    """Mark a published proposal "retenue pour analyse" once its supports reach the module's threshold.

    Idempotent (True only the first time); the date is the moment the threshold was reached, read from the
    supports themselves, so it does not matter whether this runs right after the support or later (after a change
    of the settings, or ``manage.py proposals_retain``).
    """
    threshold = support_threshold(proposal.module)
    if threshold is None or proposal.supports_count < threshold or proposal.retained_at is not None:
        return False  # most supports: nothing to write, no transaction opened (issue #12)
    with transaction.atomic():
        locked = _locked(proposal)
        if locked.status != Proposal.Status.PUBLISHED or locked.retained_at or locked.supports_count < threshold:
            return False
        moment = _threshold_time(locked, threshold)
        locked.retained_at = moment
        locked.save(update_fields=["retained_at", "updated_at"])
        change = StatusChange.objects.create(proposal=locked, kind=StatusChange.Kind.RETAINED)
        StatusChange.objects.filter(pk=change.pk).update(created_at=moment)
        audit(
            actor=None,
            action="proposals.proposal_retain",
            target=locked,
            after={"retained_at": moment.isoformat(), "supports_count": locked.supports_count, "threshold": threshold},
        )
    proposal.retained_at = moment
    return True


def retain_reached(module: Module) -> int:
    """Mark every proposal of ``module`` that reached the threshold and is not marked yet; how many were marked."""
    threshold = support_threshold(module)
    if threshold is None:
        return 0
    waiting = Proposal.objects.filter(
        module=module, status=Proposal.Status.PUBLISHED, retained_at__isnull=True, supports_count__gte=threshold
    ).select_related("module")
    return sum(proposal_retain_if_reached(proposal=proposal) for proposal in waiting)
