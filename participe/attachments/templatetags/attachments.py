"""``{% load attachments %}``: ``{% attachment_list obj %}`` and ``{% attachment_form obj %}`` (decision 0006)."""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.http import HttpRequest

from participe.attachments import files, selectors
from participe.attachments.forms import AttachmentForm, auto_id_for
from participe.attachments.models import Attachment

register = template.Library()


def _user(request: HttpRequest | None) -> Any:
    return getattr(request, "user", None) or AnonymousUser()


def _back(request: HttpRequest | None) -> str:
    """The page the interaction is on: the current page, or the one a POST (htmx or not) came from."""
    if request is None:
        return ""
    if request.method == "POST":
        return str(request.POST.get("next", ""))
    return request.get_full_path()


def _thumbnail_size(attachment: Attachment) -> tuple[int | None, int | None]:
    """The thumbnail's dimensions, computed from the image's (so the page does not jump while it loads)."""
    if not attachment.width or not attachment.height:
        return None, None
    side = files.thumbnail_side()
    ratio = min(1.0, side / max(attachment.width, attachment.height))
    return max(1, round(attachment.width * ratio)), max(1, round(attachment.height * ratio))


def _decorate(attachment: Attachment) -> Attachment:
    attachment.type_label = files.type_label(attachment.mime_type)  # type: ignore[attr-defined]
    attachment.size_label = files.format_size(attachment.size)  # type: ignore[attr-defined]
    attachment.thumb_width, attachment.thumb_height = _thumbnail_size(attachment)  # type: ignore[attr-defined]
    return attachment


def list_context(
    request: HttpRequest | None,
    target: models.Model,
    *,
    attachments: list[Attachment] | None = None,
    oob: bool = False,
) -> dict[str, Any]:
    user = _user(request)
    content_type_id, object_id = selectors.target_reference(target)
    items = [_decorate(a) for a in (attachments if attachments is not None else selectors.attachments_of(target))]
    # The permissions are only worth asking when there is something to show.
    visible = bool(items) and user.has_perm("attachments.view_attachment", target)
    return {
        "request": request,
        "target": target,
        "dom_id": f"attachments-{content_type_id}-{object_id}",
        "images": [a for a in items if a.is_image] if visible else [],
        "documents": [a for a in items if not a.is_image] if visible else [],
        "can_change": visible and user.has_perm("attachments.change_attachment", target),
        "can_delete": visible and user.has_perm("attachments.delete_attachment", target),
        "next": _back(request),
        "oob": oob,
    }


def form_context(
    request: HttpRequest | None, target: models.Model, *, form: AttachmentForm | None = None, status: str = ""
) -> dict[str, Any]:
    user = _user(request)
    content_type_id, object_id = selectors.target_reference(target)
    return {
        "request": request,
        "target": target,
        "form": form or AttachmentForm(auto_id=auto_id_for(content_type_id, object_id)),
        "allowed": user.has_perm("attachments.add_attachment", target),
        "content_type_id": content_type_id,
        "object_id": object_id,
        "dom_id": f"attachment-form-{content_type_id}-{object_id}",
        "list_id": f"attachments-{content_type_id}-{object_id}",
        "next": _back(request),
        "status": status,
    }


@register.inclusion_tag("attachments/partials/_list.html", takes_context=True)
def attachment_list(context: template.Context, target: models.Model, attachments: Any = None) -> dict[str, Any]:
    """The images of ``target`` as a gallery of thumbnails, its documents as a list with type and size.

    On list pages, call ``selectors.prefetch_attachments(items)`` first: the tag then makes no query.
    """
    if attachments is None:
        attachments = getattr(target, "prefetched_attachments", None)
    return list_context(context.get("request"), target, attachments=attachments)


@register.inclusion_tag("attachments/partials/_form.html", takes_context=True)
def attachment_form(context: template.Context, target: models.Model) -> dict[str, Any]:
    """The upload form for ``target``, shown only to who may add attachments to it."""
    return form_context(context.get("request"), target)


@register.inclusion_tag("attachments/partials/_picture.html")
def attachment_picture(
    target: models.Model, sizes: str = "(min-width: 48rem) 20rem, 100vw", eager: bool = False
) -> dict[str, Any]:
    """The first image of ``target`` for its card or the head of its page: the thumbnail and the image itself as a
    responsive ``srcset`` (the browser takes what the width it shows needs), its dimensions given so the page does
    not jump, lazily loaded unless ``eager``, with the alternative text its author had to write. The files are
    served by the attachments' views, which check the viewer's permission.

    On list pages, call ``selectors.prefetch_attachments(items)`` first: the tag then makes no query."""
    attachments = getattr(target, "prefetched_attachments", None)
    if attachments is None:
        attachments = list(
            selectors.attachments_of(target).filter(kind=Attachment.Kind.IMAGE).exclude(thumbnail="")[:1]
        )
    image = next((a for a in attachments if a.is_image and a.thumbnail), None)
    if image is None:
        return {"image": None}
    thumb_width, thumb_height = _thumbnail_size(image)
    return {
        "image": image,
        "thumb_width": thumb_width,
        "thumb_height": thumb_height,
        "wider": bool(image.width and thumb_width and image.width > thumb_width),
        "sizes": sizes,
        "eager": eager,
    }


@register.filter
def file_size(size: int) -> str:
    """``{{ attachment.size|file_size }}``: "1,2 Mo"."""
    return files.format_size(int(size or 0))
