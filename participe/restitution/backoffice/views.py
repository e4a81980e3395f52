"""Back-office of the bilans: the démarches whose bilan the agent edits, with its state; the editing page
(introduction, decisions taken, sections shown), its preview, publication and withdrawal, and the DOCX to edit
further. Each write goes through one service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from participe.backoffice.decorators import require_perm, staff_required
from participe.backoffice.views.common import actor, form_errors
from participe.permissions.refusals import Refused
from participe.restitution import selectors, services
from participe.restitution.forms import BilanForm
from participe.restitution.models import BilanDocument
from participe.restitution.views import document
from participe.spaces.models import Space
from participe.spaces.selectors import spaces_administered_by


def _managed_spaces(request: HttpRequest) -> QuerySet[Space]:
    return spaces_administered_by(request.user).select_related("bilan").order_by("title")


def _space(request: HttpRequest, slug: str) -> Space:
    space = get_object_or_404(Space, slug=slug)
    if not request.user.has_perm("restitution.change_bilan", space):
        raise Http404
    return space


@staff_required
def index(request: HttpRequest) -> HttpResponse:
    require_perm(request, "restitution.access_backoffice")
    rows: list[tuple[Space, Any]] = []
    for space in _managed_spaces(request):
        rows.append((space, getattr(space, "bilan", None)))
    return render(request, "restitution/backoffice/index.html", {"rows": rows})


@staff_required
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    space = _space(request, slug)
    edition = selectors.edition_of(space)
    initial = {"sections": edition.sections}
    form = BilanForm(request.POST or None, instance=edition, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.bilan_save(actor=actor(request), space=space, **form.values())
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Le bilan est enregistré."))
            return redirect("restitution_backoffice:edit", slug=space.slug)
    report = selectors.bilan_of(space, request.user, edition=edition)
    status = 400 if form.errors else 200
    return render(
        request,
        "restitution/backoffice/edit.html",
        {"form": form, "space": space, "edition": edition, "bilan": report},
        status=status,
    )


def _state_change(request: HttpRequest, slug: str, *, publish: bool) -> HttpResponse:
    space = _space(request, slug)
    service = services.bilan_publish if publish else services.bilan_unpublish
    try:
        service(actor=actor(request), space=space)
    except Refused as exc:
        for reason in exc.reasons:
            messages.error(request, str(reason.message))
    else:
        messages.success(
            request, _("Le bilan est publié.") if publish else _("Le bilan est retiré : c'est de nouveau un brouillon.")
        )
    return redirect("restitution_backoffice:edit", slug=space.slug)


@staff_required
@require_POST
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    return _state_change(request, slug, publish=True)


@staff_required
@require_POST
def unpublish(request: HttpRequest, slug: str) -> HttpResponse:
    return _state_change(request, slug, publish=False)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def docx(request: HttpRequest, slug: str) -> HttpResponse:
    """The bilan as a Word document, for the agents who edit it further (draft or published), built by the worker
    (``restitution.views.document``)."""
    space = _space(request, slug)
    return document(request, space, selectors.edition_of(space), BilanDocument.Kind.DOCX)
