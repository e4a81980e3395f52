"""Uploading, serving, reordering and removing attachments. Every action works without JavaScript;
with htmx the upload form and the list are swapped in place."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from participe.attachments import selectors, services
from participe.attachments.files import TYPES
from participe.attachments.forms import AttachmentForm, auto_id_for
from participe.attachments.models import Attachment
from participe.attachments.templatetags.attachments import form_context, list_context
from participe.core import resources
from participe.spaces.predicates import space_of


def _next_url(request: HttpRequest, target: models.Model) -> str:
    """Where to go back to: the page the form was on, if it is on this site, else the resource."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, {request.get_host()}, request.is_secure()):
        return wanted
    return target.get_absolute_url()  # type: ignore[attr-defined,no-any-return]


def _visible_target(request: HttpRequest, content_type_id: int, object_id: int) -> models.Model:
    target = selectors.resolve_target(content_type_id, object_id)
    if target is None or not request.user.has_perm("attachments.view_attachment", target):
        raise Http404
    return target


def _fragments(
    request: HttpRequest, target: models.Model, form: AttachmentForm | None, status: str = ""
) -> HttpResponse:
    """The upload form (with its errors or a status message) and, out of band, the refreshed list."""
    html = render_to_string(
        "attachments/partials/_htmx_upload.html",
        form_context(request, target, form=form, status=status),
        request=request,
    )
    html += render_to_string(
        "attachments/partials/_list.html", list_context(request, target, oob=True), request=request
    )
    return HttpResponse(html)


@require_http_methods(["GET", "POST"])
def attachment_add(request: HttpRequest, content_type_id: int, object_id: int) -> HttpResponse:
    target = _visible_target(request, content_type_id, object_id)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm("attachments.add_attachment", target):
        raise PermissionDenied
    form = AttachmentForm(request.POST or None, request.FILES or None, auto_id=auto_id_for(content_type_id, object_id))
    if request.method == "POST" and form.is_valid():
        try:
            attachment = services.attachment_add(
                actor=request.user,  # type: ignore[arg-type]
                target=target,
                uploaded_file=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            done = _("« %(name)s » a été ajouté.") % {"name": attachment.title or attachment.original_name}
            if request.htmx:  # type: ignore[attr-defined]
                return _fragments(request, target, None, status=done)
            messages.success(request, done)
            return redirect(_next_url(request, target))
    if request.htmx:  # type: ignore[attr-defined]
        return _fragments(request, target, form, status=_("Le fichier n'a pas été ajouté.") if form.errors else "")
    context = form_context(request, target, form=form) | {"target": target, "next": _next_url(request, target)}
    return render(request, "attachments/attachment_add.html", context)


def _download_name(attachment: Attachment) -> str:
    stem = attachment.title or attachment.original_name.rsplit(".", 1)[0] or _("piece-jointe")
    return f"{get_valid_filename(stem)[:80] or 'piece-jointe'}.{attachment.extension}"


def _cache_control(target: Any) -> str:
    space = space_of(target)
    public = space is not None and space.is_public and space.is_published and resources.is_published(target)
    return "public, max-age=3600" if public else "private, max-age=600"


def _serve(request: HttpRequest, pk: int, *, thumbnail: bool) -> HttpResponseBase:
    attachment = get_object_or_404(Attachment.objects.select_related("content_type"), pk=pk)
    target = attachment.target
    if target is None:
        raise Http404
    if not request.user.has_perm("attachments.view_attachment", target):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    field = attachment.thumbnail if thumbnail else attachment.file
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    # Only types from our own list are ever sent, documents always as downloads.
    response = FileResponse(
        handle,
        content_type=attachment.mime_type if attachment.is_image or thumbnail else _document_type(attachment),
        as_attachment=not (attachment.is_image or thumbnail),
        filename=_download_name(attachment),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = _cache_control(target)
    return response


def _document_type(attachment: Attachment) -> str:
    return attachment.mime_type if attachment.mime_type in TYPES else "application/octet-stream"


@require_http_methods(["GET", "HEAD"])
def attachment_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _serve(request, pk, thumbnail=False)


@require_http_methods(["GET", "HEAD"])
def attachment_thumbnail(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _serve(request, pk, thumbnail=True)


def _managed(request: HttpRequest, pk: int) -> tuple[Attachment, models.Model]:
    attachment = get_object_or_404(Attachment.objects.select_related("content_type"), pk=pk)
    target = attachment.target
    if target is None or not request.user.has_perm("attachments.view_attachment", target):
        raise Http404
    return attachment, target


@require_http_methods(["GET", "POST"])
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: a confirmation page; POST: remove the attachment and go back."""
    attachment, target = _managed(request, pk)
    if not request.user.has_perm("attachments.delete_attachment", target):
        raise PermissionDenied
    if request.method == "POST":
        reason = " ".join(request.POST.get("reason", "").split())[:500]
        services.attachment_remove(actor=request.user, attachment=attachment, reason=reason)  # type: ignore[arg-type]
        messages.success(request, _("« %(name)s » a été retiré.") % {"name": attachment})
        return redirect(_next_url(request, target))
    return render(
        request,
        "attachments/attachment_remove.html",
        {"attachment": attachment, "target": target, "next": _next_url(request, target)},
    )


@require_POST
def attachment_move(request: HttpRequest, pk: int) -> HttpResponse:
    attachment, target = _managed(request, pk)
    try:
        services.attachment_move(
            actor=request.user,  # type: ignore[arg-type]
            attachment=attachment,
            direction=request.POST.get("direction", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "attachments/partials/_list.html", list_context(request, target))
    return redirect(_next_url(request, target))
