"""Every write of the debate module, by the staff of the space: each one checks ``debate.manage_subject`` itself
(``require``), and is audited; search and notifications are called explicitly.

Counters of a subject (comments per stance, followers…) belong to the shared apps, which update them under a
row lock: these services therefore never save a whole subject, only the fields they own (``update_fields``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from participe.accounts.models import User
from participe.activity.services import audit, snapshot
from participe.core.registry import registry
from participe.core.sanitize import single_line
from participe.modules.debate.models import Subject
from participe.notifications.services import notify
from participe.permissions.refusals import require
from participe.search.services import index_object, unindex_object
from participe.spaces.models import Module

SUBJECT_FIELDS = ["title", "summary", "body", "image", "image_alt"]


# --- calls into the shared services -------------------------------------------------------------------------
def _index(subject: Subject) -> None:
    """Keep the search index in step: a published subject is indexed, a draft is not."""
    if subject.is_published:
        index_object(subject)
    else:
        unindex_object(subject)


def _unindex(subject: Subject) -> None:
    unindex_object(subject)


def _notify_on_commit(*, event: str, subject: Subject, actor: User) -> None:
    """Tell the followers (of the subject, the module, the space) once the transaction has committed."""
    transaction.on_commit(lambda: notify(event=event, target=subject, actor=actor))


def _delete_shared_rows(subject: Subject) -> None:
    """Delete what the shared apps keep about the subject: generic references have no cascade."""
    registry.delete_shared(subject)


def _delete_file_on_commit(name: str) -> None:
    if name:
        storage = Subject._meta.get_field("image").storage  # type: ignore[union-attr]
        transaction.on_commit(lambda: storage.delete(name))


# --- subjects -----------------------------------------------------------------------------------------------
def _check_module(module: Module) -> None:
    if module.module_type != "debate":
        raise ValidationError(_("Ce module n'est pas un débat."))


def _apply(subject: Subject, data: dict[str, Any]) -> list[str]:
    changed = []
    for name, value in data.items():
        if name not in SUBJECT_FIELDS:
            raise ValidationError(_("Champ inconnu : %(name)s.") % {"name": name})
        setattr(subject, name, single_line(value) if name in ("title", "image_alt") else value)
        changed.append(name)
    return changed


@transaction.atomic
def subject_create(*, actor: User, module: Module, data: dict[str, Any]) -> Subject:
    """Add a subject to a debate module, as a draft, after the existing ones."""
    _check_module(module)
    require(actor, "debate.manage_subject", module)
    Module.objects.select_for_update().get(pk=module.pk)  # positions are counted: one writer at a time
    last = Subject.objects.filter(module=module).order_by("-position").values_list("position", flat=True).first()
    subject = Subject(module=module, author=actor, position=0 if last is None else last + 1)
    _apply(subject, data)
    subject.full_clean()
    subject.save()
    audit(
        actor=actor,
        action="debate.subject_create",
        target=subject,
        after=snapshot(subject, [*SUBJECT_FIELDS, "status"]),
    )
    return subject


@transaction.atomic
def subject_edit(*, actor: User, subject: Subject, data: dict[str, Any]) -> Subject:
    """Change the question, its presentation or its image; a published subject is re-indexed."""
    locked = Subject.objects.select_for_update().select_related("module__space").get(pk=subject.pk)
    require(actor, "debate.manage_subject", locked)
    before = snapshot(locked, SUBJECT_FIELDS)
    old_image = locked.image.name
    changed = _apply(locked, data)
    locked.full_clean()
    locked.save(update_fields=[*changed, "updated_at"])
    if "image" in changed and old_image and old_image != locked.image.name:
        _delete_file_on_commit(old_image)
    audit(
        actor=actor, action="debate.subject_edit", target=locked, before=before, after=snapshot(locked, SUBJECT_FIELDS)
    )
    _index(locked)
    return locked


@transaction.atomic
def subject_publish(*, actor: User, subject: Subject) -> Subject:
    """Publish a subject; the first publication tells the followers of the module and the space."""
    locked = Subject.objects.select_for_update().select_related("module__space").get(pk=subject.pk)
    require(actor, "debate.manage_subject", locked)
    if locked.is_published:
        raise ValidationError(_("Ce sujet est déjà publié."))
    first_time = locked.published_at is None
    locked.status = Subject.Status.PUBLISHED
    locked.published_at = locked.published_at or timezone.now()
    locked.save(update_fields=["status", "published_at", "updated_at"])
    audit(
        actor=actor,
        action="debate.subject_publish",
        target=locked,
        before={"status": "draft"},
        after={"status": "published"},
    )
    _index(locked)
    if first_time:
        _notify_on_commit(event="debate.subject_published", subject=locked, actor=actor)
    return locked


@transaction.atomic
def subject_unpublish(*, actor: User, subject: Subject) -> Subject:
    """Take a subject back to draft: it leaves the public pages and the search, its comments are kept."""
    locked = Subject.objects.select_for_update().select_related("module__space").get(pk=subject.pk)
    require(actor, "debate.manage_subject", locked)
    if not locked.is_published:
        raise ValidationError(_("Ce sujet n'est pas publié."))
    locked.status = Subject.Status.DRAFT
    locked.save(update_fields=["status", "updated_at"])
    audit(
        actor=actor,
        action="debate.subject_unpublish",
        target=locked,
        before={"status": "published"},
        after={"status": "draft"},
    )
    _index(locked)
    return locked


@transaction.atomic
def subject_move(*, actor: User, subject: Subject, offset: int) -> Subject:
    """Move a subject up (``offset=-1``) or down (``+1``) in its module; positions are renumbered 0, 1, 2…"""
    if offset not in (-1, 1):
        raise ValidationError(_("Déplacement impossible."))
    require(actor, "debate.manage_subject", subject)
    Module.objects.select_for_update().get(pk=subject.module_id)
    ordered = list(Subject.objects.filter(module_id=subject.module_id).order_by("position", "pk"))
    index = next(i for i, s in enumerate(ordered) if s.pk == subject.pk)
    target = index + offset
    if not 0 <= target < len(ordered):
        raise ValidationError(_("Ce sujet est déjà en première ou en dernière position."))
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, item in enumerate(ordered):
        if item.position != position:
            Subject.objects.filter(pk=item.pk).update(position=position)
            item.position = position
    moved = ordered[target]
    audit(
        actor=actor, action="debate.subject_move", target=moved, before={"position": index}, after={"position": target}
    )
    return moved


@transaction.atomic
def subject_delete(*, actor: User, subject: Subject) -> None:
    """Delete a subject with everything the shared apps hold about it (comments, follows, files…)."""
    locked = Subject.objects.select_for_update().select_related("module__space").get(pk=subject.pk)
    require(actor, "debate.manage_subject", locked)
    audit(
        actor=actor,
        action="debate.subject_delete",
        target=locked,
        before=snapshot(locked, [*SUBJECT_FIELDS, "status", "synthesis", "comments_count"]),
    )
    _delete_shared_rows(locked)
    _unindex(locked)
    _delete_file_on_commit(locked.image.name)
    locked.delete()


# --- synthesis ----------------------------------------------------------------------------------------------
def _has_text(html: str) -> bool:
    return bool(strip_tags(html or "").strip())


@transaction.atomic
def synthesis_edit(*, actor: User, subject: Subject, synthesis: str) -> Subject:
    """Write (or correct) the synthesis; once published, a correction is visible at once."""
    locked = Subject.objects.select_for_update().select_related("module__space").get(pk=subject.pk)
    require(actor, "debate.manage_subject", locked)
    if locked.synthesis_published_at and not _has_text(synthesis):
        raise ValidationError({"synthesis": _("La synthèse est publiée : dépubliez-la avant de l'effacer.")})
    before = {"synthesis": locked.synthesis}
    locked.synthesis = synthesis
    locked.save(update_fields=["synthesis", "updated_at"])
    audit(
        actor=actor, action="debate.synthesis_edit", target=locked, before=before, after={"synthesis": locked.synthesis}
    )
    if locked.synthesis_published_at:
        _index(locked)
    return locked


@transaction.atomic
def synthesis_publish(*, actor: User, subject: Subject, synthesis: str | None = None) -> Subject:
    """Publish the synthesis of a published subject (``synthesis``: its final text, written at the same time)
    and tell the followers of the subject, the module and the space once the transaction has committed."""
    locked = Subject.objects.select_for_update().select_related("module__space").get(pk=subject.pk)
    require(actor, "debate.manage_subject", locked)
    if synthesis is not None and synthesis != locked.synthesis:
        locked = synthesis_edit(actor=actor, subject=locked, synthesis=synthesis)
    if not locked.is_published:
        raise ValidationError(_("Publiez d'abord le sujet : sa synthèse ne peut pas paraître avant lui."))
    if not _has_text(locked.synthesis):
        raise ValidationError({"synthesis": _("Rédigez la synthèse avant de la publier.")})
    if locked.synthesis_published_at:
        raise ValidationError(_("Cette synthèse est déjà publiée."))
    locked.synthesis_published_at = timezone.now()
    locked.save(update_fields=["synthesis_published_at", "updated_at"])
    audit(actor=actor, action="debate.synthesis_publish", target=locked, after={"synthesis": locked.synthesis})
    _index(locked)
    _notify_on_commit(event="debate.synthesis_published", subject=locked, actor=actor)
    return locked


@transaction.atomic
def synthesis_unpublish(*, actor: User, subject: Subject) -> Subject:
    """Withdraw a published synthesis (to rework it); its text is kept."""
    locked = Subject.objects.select_for_update().select_related("module__space").get(pk=subject.pk)
    require(actor, "debate.manage_subject", locked)
    if not locked.synthesis_published_at:
        raise ValidationError(_("Cette synthèse n'est pas publiée."))
    before = {"synthesis_published_at": locked.synthesis_published_at}
    locked.synthesis_published_at = None
    locked.save(update_fields=["synthesis_published_at", "updated_at"])
    audit(
        actor=actor,
        action="debate.synthesis_unpublish",
        target=locked,
        before=before,
        after={"synthesis_published_at": None},
    )
    _index(locked)
    return locked
