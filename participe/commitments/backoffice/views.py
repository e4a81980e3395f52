"""Back-office of the commitments: the list of those the agent writes or carries, create, change, delete, add
steps (with a photo), link what they answer, import or update from CSV. Each write goes through one service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participe.backoffice.decorators import require_perm, staff_required
from participe.backoffice.views.common import actor, confirm_action, page_cursor
from participe.commitments import imports, selectors, services
from participe.commitments.backoffice import sources as source_choices
from participe.commitments.forms import CommitmentForm, CreateForm, FollowUpFilterForm, ImportForm, UpdateForm
from participe.commitments.models import Commitment, CommitmentSource, CommitmentUpdate
from participe.core.pagination import keyset_paginate
from participe.spaces.models import Space
from participe.spaces.selectors import spaces_administered_by

PAGE_SIZE = 50


def _get(request: HttpRequest, pk: int) -> Commitment:
    commitment = get_object_or_404(Commitment.objects.select_related("space", "service", "territory"), pk=pk)
    if not request.user.has_perm("commitments.add_update", commitment):
        raise Http404
    return commitment


def _form_errors(form: forms.Form, exc: ValidationError, fields: dict[str, str] | None = None) -> None:
    """Put the service's errors next to the form's fields (those it does not show go to the top)."""
    fields = fields or {}
    for name, messages_ in exc.message_dict.items():
        target = fields.get(name, name)
        form.add_error(target if target in form.fields else None, messages_)


def _managed_spaces(request: HttpRequest) -> Any:
    return spaces_administered_by(request.user).order_by("title")


@staff_required
def index(request: HttpRequest) -> HttpResponse:
    require_perm(request, "commitments.access_backoffice")
    form = FollowUpFilterForm(request.GET or None, user=request.user)
    form.fields["demarche"].queryset = Space.objects.filter(  # type: ignore[attr-defined]
        pk__in=selectors.managed_by(request.user).values("space_id")
    ).order_by("title")
    qs = selectors.for_list(selectors.filtered(selectors.managed_by(request.user), form.filters()))
    page = keyset_paginate(qs, ordering=selectors.ORDERING, cursor=page_cursor(request), size=PAGE_SIZE)
    return render(
        request,
        "commitments/backoffice/index.html",
        {"form": form, "page": page, "overview": selectors.overview(qs), "spaces": _managed_spaces(request)},
    )


@staff_required
def create(request: HttpRequest) -> HttpResponse:
    slug = request.GET.get("demarche") or request.POST.get("demarche")
    if not slug:  # the space is chosen on the list's page
        return redirect("commitments_backoffice:index")
    space = get_object_or_404(_managed_spaces(request), slug=slug)
    require_perm(request, "commitments.add_commitment", space)
    form = CreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        try:
            commitment = services.commitment_create(
                actor(request),
                space=space,
                status=form.cleaned_data["status"],
                progress=form.cleaned_data["progress"],
                **values,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("L'engagement est créé."))
            return redirect(commitment.get_backoffice_url())
    return render(request, "commitments/backoffice/form.html", {"form": form, "space": space, "commitment": None})


@staff_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = _get(request, pk)
    return _detail(request, commitment, UpdateForm())


def _detail(request: HttpRequest, commitment: Commitment, update_form: UpdateForm, status: int = 200) -> HttpResponse:
    may_change = request.user.has_perm("commitments.change_commitment", commitment)
    context = {
        "commitment": commitment,
        "update_form": update_form,
        "updates": selectors.timeline(commitment),
        "sources": [(s, s.item) for s in commitment.sources.select_related("content_type").order_by("pk")],
        "may_change": may_change,
        "candidates": source_choices.choices(commitment) if may_change else [],
    }
    return render(request, "commitments/backoffice/detail.html", context, status=status)


@staff_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = _get(request, pk)
    require_perm(request, "commitments.change_commitment", commitment)
    form = CommitmentForm(request.POST or None, instance=commitment)
    if request.method == "POST" and form.is_valid():
        try:
            services.commitment_change(actor(request), commitment, **form.values())
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("L'engagement est enregistré."))
            return redirect(commitment.get_backoffice_url())
    return render(
        request, "commitments/backoffice/form.html", {"form": form, "space": commitment.space, "commitment": commitment}
    )


@staff_required
@require_POST
def update_add(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = _get(request, pk)
    form = UpdateForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        photos = [(data["photo"], data["photo_title"])] if data.get("photo") else []
        try:
            services.commitment_update_add(
                actor(request),
                commitment,
                text=data["text"],
                date=data["date"],
                status=data["status"] or None,
                status_reason=data["status_reason"],
                progress=data["progress"],
                photos=photos,
            )
        except ValidationError as exc:
            _form_errors(form, exc, {"photo": "photo"})
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("L'étape est ajoutée ; les abonnés en sont avertis."))
            return redirect(commitment.get_backoffice_url() + "#etapes")
    return _detail(request, commitment, form, status=400)


@staff_required
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = _get(request, pk)
    require_perm(request, "commitments.delete_commitment", commitment)
    return confirm_action(
        request,
        action=lambda: services.commitment_delete(actor(request), commitment),
        title=_("Supprimer l'engagement"),
        question=_("Supprimer « %(t)s », ses étapes et leurs photos ? Ses abonnés ne le verront plus.")
        % {"t": commitment.title},
        cancel_url=commitment.get_backoffice_url(),
        success_url=reverse("commitments_backoffice:index"),
        success_message=_("L'engagement est supprimé."),
        button=_("Supprimer"),
    )


@staff_required
def update_delete(request: HttpRequest, pk: int) -> HttpResponse:
    update = get_object_or_404(CommitmentUpdate.objects.select_related("commitment__space"), pk=pk)
    require_perm(request, "commitments.change_commitment", update.commitment)
    url = update.commitment.get_backoffice_url()
    return confirm_action(
        request,
        action=lambda: services.commitment_update_delete(actor(request), update),
        title=_("Retirer une étape"),
        question=_("Retirer l'étape du %(d)s et ses photos ? Le statut et l'avancement ne changent pas.")
        % {"d": update.date.strftime("%d/%m/%Y")},
        cancel_url=url,
        success_url=url + "#etapes",
        success_message=_("L'étape est retirée."),
        button=_("Retirer"),
    )


@staff_required
@require_POST
def source_add(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = _get(request, pk)
    require_perm(request, "commitments.change_commitment", commitment)
    item = source_choices.resolve(commitment, request.POST.get("item", ""))
    if item is None:
        messages.error(request, _("Choisissez une contribution ou un projet de la liste."))
    else:
        try:
            services.commitment_source_add(actor(request), commitment, item)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("L'engagement répond aussi à « %(t)s ».") % {"t": item})
    return redirect(commitment.get_backoffice_url() + "#sources")


@staff_required
@require_POST
def source_remove(request: HttpRequest, pk: int, source_pk: int) -> HttpResponse:
    commitment = _get(request, pk)
    source = get_object_or_404(CommitmentSource, pk=source_pk, commitment=commitment)
    item: Model | None = source.item
    if item is None:
        source.delete() if request.user.has_perm("commitments.change_commitment", commitment) else None
    else:
        services.commitment_source_remove(actor(request), commitment, item)
    messages.success(request, _("Le lien est retiré."))
    return redirect(commitment.get_backoffice_url() + "#sources")


@staff_required
def import_view(request: HttpRequest) -> HttpResponse:
    require_perm(request, "commitments.access_backoffice")
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = imports.import_csv(actor(request), form.cleaned_data["file"].read())
        if report.ok:
            messages.success(
                request,
                _("Import terminé : %(c)s créés, %(u)s mis à jour, %(n)s inchangés.")
                % {"c": report.created, "u": report.updated, "n": report.unchanged},
            )
            return redirect("commitments_backoffice:index")
    status = 400 if report is not None and not report.ok else 200
    return render(
        request,
        "commitments/backoffice/import.html",
        {"form": form, "report": report, "columns": imports.COLUMNS},
        status=status,
    )
