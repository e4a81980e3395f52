"""Spaces: list, creation, settings, status, deletion."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from participe.backoffice.decorators import require_perm, staff_required
from participe.backoffice.forms.base import add_service_errors
from participe.backoffice.forms.modules import ModuleCreateForm
from participe.backoffice.forms.spaces import SpaceFilterForm, SpaceForm, SpaceStatusForm
from participe.backoffice.views.common import actor, confirm_action, page_cursor, space_context
from participe.core.pagination import keyset_paginate
from participe.spaces import services
from participe.spaces.models import Space
from participe.spaces.selectors import backoffice_space_list, space_backoffice_detail

STATUS_MESSAGES = {
    Space.Status.PUBLISHED: gettext_lazy("L'espace est publié : il est visible sur le site."),
    Space.Status.ARCHIVED: gettext_lazy("L'espace est archivé."),
    Space.Status.DRAFT: gettext_lazy("L'espace est repassé en brouillon : il n'est plus visible du public."),
}


@staff_required
def space_list(request: HttpRequest) -> HttpResponse:
    filters = SpaceFilterForm(request.GET)
    data = filters.cleaned_data if filters.is_valid() else {}
    qs = backoffice_space_list(actor(request), status=data.get("statut"), kind=data.get("type"))
    page = keyset_paginate(qs, ordering=("-pk",), cursor=page_cursor(request), size=30)
    return render(
        request,
        "backoffice/space_list.html",
        {"filters": filters, "page": page, "can_add": request.user.has_perm("spaces.add_space")},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def space_create(request: HttpRequest) -> HttpResponse:
    require_perm(request, "spaces.add_space")
    form = SpaceForm(request.POST or None, request.FILES or None, instance=Space())
    if request.method == "POST" and form.is_valid():
        try:
            space = services.space_create(actor=actor(request), data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("L'espace a été créé en brouillon : ajoutez-lui ses modules."))
            return redirect("backoffice:space_detail", pk=space.pk)
    if request.method == "POST":
        form.keep_pictures()  # the picture chosen stays chosen while the errors are corrected
    return render(request, "backoffice/space_form.html", {"form": form})


@staff_required
def space_detail(request: HttpRequest, pk: int) -> HttpResponse:
    space = get_object_or_404(Space, pk=pk)
    require_perm(request, "spaces.moderate_space", space)
    context = space_context(request, space) | space_backoffice_detail(space)
    context["module_form"] = ModuleCreateForm() if context["can"]["change"] else None
    return render(request, "backoffice/space_detail.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def space_edit(request: HttpRequest, pk: int) -> HttpResponse:
    space = get_object_or_404(Space, pk=pk)
    require_perm(request, "spaces.change_space", space)
    form = SpaceForm(request.POST or None, request.FILES or None, instance=space)
    if request.method == "POST" and form.is_valid():
        try:
            services.space_update(actor=actor(request), space=space, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("L'espace a été enregistré."))
            return redirect("backoffice:space_detail", pk=space.pk)
    if request.method == "POST":
        form.keep_pictures()
    return render(request, "backoffice/space_form.html", {"form": form} | space_context(request, space))


@staff_required
@require_POST
def space_status(request: HttpRequest, pk: int) -> HttpResponse:
    space = get_object_or_404(Space, pk=pk)
    require_perm(request, "spaces.publish_space", space)
    form = SpaceStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Statut inconnu."))
        return redirect("backoffice:space_detail", pk=space.pk)
    status = form.cleaned_data["status"]
    try:
        services.space_set_status(actor=actor(request), space=space, status=status)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, STATUS_MESSAGES[status])
    return redirect("backoffice:space_detail", pk=space.pk)


@staff_required
@require_http_methods(["GET", "POST"])
def space_delete(request: HttpRequest, pk: int) -> HttpResponse:
    space = get_object_or_404(Space, pk=pk)
    require_perm(request, "spaces.delete_space", space)
    return confirm_action(
        request,
        action=lambda: services.space_delete(actor=actor(request), space=space),
        title=_("Supprimer l'espace « %(title)s »") % {"title": space.title},
        question=_(
            "L'espace sera supprimé définitivement avec ses modules, ses étapes, ses documents, ses actualités "
            "et toutes les contributions reçues. Pour le retirer du site en gardant tout, archivez-le plutôt."
        ),
        cancel_url=reverse("backoffice:space_detail", args=[space.pk]),
        success_url=reverse("backoffice:spaces"),
        success_message=_("L'espace « %(title)s » a été supprimé.") % {"title": space.title},
        button=_("Supprimer définitivement"),
        context=space_context(request, space),
    )
