"""Every write on attachments: adding (checked, re-encoded), reordering, removing. Each one is audited.

Files are written to storage through Django's storage API under random names; a file is deleted from
storage only once the transaction that removed its row has committed, so a rollback never loses a file.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import Max
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from participe.accounts.models import User
from participe.activity.services import audit
from participe.attachments import files
from participe.attachments.models import Attachment
from participe.core import resources
from participe.core.registry import registry
from participe.core.sanitize import single_line
from participe.permissions.refusals import Reason, Refused, require
from participe.spaces.models import Module

AUDIT_FIELDS = ("kind", "title", "original_name", "mime_type", "size", "position")


def max_per_target() -> int:
    return int(getattr(settings, "PARTICIPE_MAX_ATTACHMENTS_PER_ITEM", 10))


def accepts_attachments(target: models.Model) -> bool:
    """True when ``target``'s model is declared as a resource with ``attachments=True``."""
    resource = registry.resource(target._meta.label)
    return bool(resource and resource.attachments)


def _details(attachment: Attachment) -> dict[str, Any]:
    return {"attachment": attachment.pk, **{name: getattr(attachment, name) for name in AUDIT_FIELDS}}


def _lock(target: models.Model) -> None:
    """Lock the target row: the count limit holds when two uploads arrive together."""
    list(type(target)._default_manager.select_for_update().filter(pk=target.pk).values_list("pk", flat=True))


def _clean_title(title: str, kind: str) -> str:
    title = single_line(title)[:200]
    if kind == files.IMAGE and not title:
        raise ValidationError(
            {"title": _("Décrivez l'image en quelques mots : ce texte alternatif est lu à qui ne la voit pas.")}
        )
    return title


def _original_name(name: str) -> str:
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return (get_valid_filename(base) if base.strip(". ") else "")[:255]


def _delete_files_on_commit(names: list[str]) -> None:
    storage = Attachment._meta.get_field("file").storage  # type: ignore[union-attr]

    def delete() -> None:
        for name in names:
            if name:
                storage.delete(name)

    transaction.on_commit(delete)


def attachment_add(
    *, actor: User, target: models.Model, uploaded_file: Any, title: str = "", authorised_by: str | None = None
) -> Attachment:
    """Attach a file or an image to ``target``, checked from its content; images are re-encoded without EXIF.

    Refuses (``Refused``, the permission layer's refusal) a target whose resource does not take attachments or an
    actor who may not edit it; refuses (``ValidationError``, with messages for the ``file`` and ``title`` fields) a file of a type
    not accepted, too big, an image without a text alternative, or one file more than the limit per item.

    ``authorised_by``: a permission of the target's module that allows this file as part of another act of the
    actor (a visitor without account sending a report with its photos), checked instead of editing the target.
    """
    if not accepts_attachments(target):
        raise Refused(Reason("no_attachments", _("Cet élément n'accepte pas de pièces jointes.")))
    refusal = Reason("not_allowed", _("Vous ne pouvez pas ajouter de pièce jointe à cet élément."))
    if authorised_by is not None:
        require(actor, authorised_by, resources.module_of(target), reason=refusal)
    else:
        require(actor, "attachments.add_attachment", target, reason=refusal)
    signed_in = bool(getattr(actor, "is_authenticated", False))
    try:
        detected = files.detect(uploaded_file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    title = _clean_title(title, detected.kind)
    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        module=resources.module_of(target) if isinstance(resources.module_of(target), Module) else None,
        kind=detected.kind,
        title=title,
        original_name=_original_name(getattr(uploaded_file, "name", "")),
        mime_type=detected.mime_type,
        uploaded_by=actor if signed_in else None,
    )
    if detected.kind == files.IMAGE:
        try:
            image = files.prepare_image(uploaded_file, detected.mime_type)
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
        content: Any = ContentFile(image.content)
        extension, attachment.size = image.extension, len(image.content)
        attachment.mime_type, attachment.width, attachment.height = image.mime_type, image.width, image.height
    else:
        uploaded_file.seek(0)  # a document is stored as it came, streamed to storage in chunks
        content, extension, attachment.size, image = uploaded_file, detected.extension, uploaded_file.size, None
    with transaction.atomic():
        _lock(target)
        existing = Attachment.objects.filter(content_type=attachment.content_type, object_id=target.pk)
        if existing.count() >= max_per_target():
            raise ValidationError(
                {
                    "file": _("Cet élément a déjà %(max)s pièces jointes : retirez-en une d'abord.")
                    % {"max": max_per_target()}
                }
            )
        attachment.position = (existing.aggregate(m=Max("position"))["m"] or 0) + 1
        saved: list[str] = []
        try:
            attachment.file.save(f"file.{extension}", content, save=False)
            saved.append(attachment.file.name)
            if image is not None:
                attachment.thumbnail.save(f"thumb.{image.extension}", ContentFile(image.thumbnail), save=False)
                saved.append(attachment.thumbnail.name)
            attachment.save()
            audit(
                actor=actor if signed_in else None, action="attachment.add", target=target, after=_details(attachment)
            )
        except BaseException:
            storage = attachment.file.storage
            for name in saved:
                storage.delete(name)
            raise
    return attachment


def attachment_remove(*, actor: User, attachment: Attachment, reason: str = "") -> None:
    """Remove an attachment; its file and thumbnail leave storage once the removal is committed."""
    target = attachment.target
    refusal = Reason("not_allowed", _("Vous ne pouvez pas retirer cette pièce jointe."))
    if target is None:
        raise Refused(refusal)
    require(actor, "attachments.delete_attachment", target, reason=refusal)
    with transaction.atomic():
        _lock(target)
        audit(actor=actor, action="attachment.remove", target=target, before=_details(attachment), reason=reason)
        names = [attachment.file.name, attachment.thumbnail.name]
        attachment.delete()
        _delete_files_on_commit(names)


def attachment_move(*, actor: User, attachment: Attachment, direction: str) -> Attachment:
    """Move an attachment one place ``"up"`` or ``"down"`` among those of its target (images and documents apart)."""
    if direction not in ("up", "down"):
        raise ValidationError(_("Sens de déplacement inconnu."))
    target = attachment.target
    refusal = Reason("not_allowed", _("Vous ne pouvez pas modifier les pièces jointes de cet élément."))
    if target is None:
        raise Refused(refusal)
    require(actor, "attachments.change_attachment", target, reason=refusal)
    with transaction.atomic():
        _lock(target)
        siblings = list(
            Attachment.objects.filter(
                content_type_id=attachment.content_type_id, object_id=attachment.object_id, kind=attachment.kind
            ).order_by("position", "pk")
        )
        index = next(i for i, a in enumerate(siblings) if a.pk == attachment.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(siblings):
            return attachment
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for position, sibling in enumerate(siblings, start=1):
            if sibling.position != position:
                sibling.position = position
                sibling.save(update_fields=["position"])
        audit(
            actor=actor,
            action="attachment.move",
            target=target,
            after={"attachment": attachment.pk, "order": [a.pk for a in siblings]},
        )
    attachment.refresh_from_db(fields=["position"])
    return attachment


def delete_for(target: models.Model) -> int:
    """Delete every attachment of ``target`` (called by a module's delete service); files go after commit."""
    qs = Attachment.objects.filter(content_type=ContentType.objects.get_for_model(target), object_id=target.pk)
    names = [name for pair in qs.values_list("file", "thumbnail") for name in pair]
    deleted, _counts = qs.delete()
    _delete_files_on_commit(names)
    return deleted
