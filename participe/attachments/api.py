"""API routes of attachments, mounted under /api/v1/attachments/.

``GET /{content_type_id}/{object_id}``: the attachments of a resource the caller may see.
``POST /{content_type_id}/{object_id}`` (multipart: ``file``, ``title``): add one, signed in (session and CSRF token).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.urls import reverse
from ninja import File, Form, Header, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.security import django_auth

from participe.attachments import files, selectors, services
from participe.attachments.models import Attachment
from participe.core import idempotency
from participe.core.schemas import ReasonOut, refusal_body
from participe.core.schemas import idempotency_key as idempotency_key_checked
from participe.permissions.refusals import Refused

router = Router(tags=["attachments"])


class AttachmentOut(Schema):
    id: int
    kind: str
    title: str
    alt: str | None
    original_name: str
    mime_type: str
    type_label: str
    size: int
    size_label: str
    width: int | None
    height: int | None
    position: int
    url: str
    thumbnail_url: str | None
    created_at: datetime


class AttachmentErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}  # a file refused: the messages of each field
    reasons: list[ReasonOut] = []  # a refusal of the permission layer: why


def _out(request: HttpRequest, attachment: Attachment) -> dict[str, Any]:
    return {
        "id": attachment.pk,
        "kind": attachment.kind,
        "title": attachment.title,
        "alt": attachment.title if attachment.is_image else None,
        "original_name": attachment.original_name,
        "mime_type": attachment.mime_type,
        "type_label": files.type_label(attachment.mime_type),
        "size": attachment.size,
        "size_label": files.format_size(attachment.size),
        "width": attachment.width,
        "height": attachment.height,
        "position": attachment.position,
        "url": request.build_absolute_uri(reverse("attachments:file", args=[attachment.pk])),
        "thumbnail_url": (
            request.build_absolute_uri(reverse("attachments:thumbnail", args=[attachment.pk]))
            if attachment.thumbnail
            else None
        ),
        "created_at": attachment.created_at,
    }


def _visible_target(request: HttpRequest, content_type_id: int, object_id: int) -> models.Model:
    target = selectors.resolve_target(content_type_id, object_id)
    if target is None or not request.user.has_perm("attachments.view_attachment", target):
        raise HttpError(404, "Not found")
    return target


@router.get("/{content_type_id}/{object_id}", response=list[AttachmentOut])
def attachment_list(request: HttpRequest, content_type_id: int, object_id: int) -> list[dict[str, Any]]:
    """The attachments of a resource, images and documents, in their order."""
    target = _visible_target(request, content_type_id, object_id)
    return [_out(request, a) for a in selectors.attachments_of(target)]


@router.post(
    "/{content_type_id}/{object_id}",
    response={201: AttachmentOut, 200: AttachmentOut, 400: AttachmentErrorOut, 403: AttachmentErrorOut},
    auth=django_auth,
)
def attachment_upload(
    request: HttpRequest,
    content_type_id: int,
    object_id: int,
    file: File[UploadedFile],
    title: Form[str] = "",
    idempotency_key: str | None = Header(None, alias=idempotency.HEADER),  # type: ignore[assignment]
) -> tuple[int, dict[str, Any]]:
    """Add a file or an image (``title`` is its text alternative, required for images); checked from its content.

    With an ``Idempotency-Key`` header, the same upload sent again answers 200 with the first attachment."""
    key = idempotency_key_checked(idempotency_key)
    target = _visible_target(request, content_type_id, object_id)
    try:
        attachment, created = idempotency.once(
            actor=request.user,
            key=key,
            scope="attachments.attachment_add",
            write=lambda: services.attachment_add(actor=request.user, target=target, uploaded_file=file, title=title),  # type: ignore[arg-type]
        )
    except Refused as refused:
        return 403, refusal_body(refused)
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"file": exc.messages}
        return 400, {"detail": " ".join(m for ms in errors.values() for m in ms), "errors": errors}
    return (201 if created else 200), _out(request, attachment)
