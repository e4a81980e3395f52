"""Organisation settings, territories, themes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from participe.backoffice.decorators import require_perm, staff_required
from participe.backoffice.forms.base import add_service_errors
from participe.backoffice.forms.organisation import OrganisationForm, TerritoryForm, ThemeForm
from participe.backoffice.views.common import actor, confirm_action
from participe.organisation import services
from participe.organisation.models import Organisation, Territory, Theme
from participe.organisation.selectors import territory_tree


@staff_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest) -> HttpResponse:
    organisation = Organisation.get()
    require_perm(request, "organisation.change_organisation", organisation)
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(actor=actor(request), data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Les réglages de l'organisation ont été enregistrés."))
            return redirect("backoffice:organisation")
    return render(request, "backoffice/organisation_form.html", {"form": form})


@staff_required
def territory_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "organisation.manage_territories")
    return render(request, "backoffice/territory_list.html", {"tree": territory_tree()})


def _territory_form(request: HttpRequest, territory: Territory) -> HttpResponse:
    require_perm(request, "organisation.manage_territories", territory)
    form = TerritoryForm(request.POST or None, request.FILES or None, instance=territory)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.territory_save(actor=actor(request), territory=territory, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Le territoire « %(name)s » a été enregistré.") % {"name": saved.name})
            return redirect("backoffice:territories")
    return render(request, "backoffice/territory_form.html", {"form": form, "territory": territory})


@staff_required
@require_http_methods(["GET", "POST"])
def territory_create(request: HttpRequest) -> HttpResponse:
    return _territory_form(request, Territory())


@staff_required
@require_http_methods(["GET", "POST"])
def territory_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _territory_form(request, get_object_or_404(Territory, pk=pk))


@staff_required
@require_http_methods(["GET", "POST"])
def territory_delete(request: HttpRequest, pk: int) -> HttpResponse:
    territory = get_object_or_404(Territory, pk=pk)
    require_perm(request, "organisation.manage_territories", territory)
    url = reverse("backoffice:territories")
    return confirm_action(
        request,
        action=lambda: services.territory_delete(actor=actor(request), territory=territory),
        title=_("Supprimer le territoire « %(name)s »") % {"name": territory.name},
        question=_("Le territoire sera supprimé définitivement, avec son contour."),
        cancel_url=url,
        success_url=url,
        success_message=_("Le territoire « %(name)s » a été supprimé.") % {"name": territory.name},
        button=_("Supprimer le territoire"),
    )


@staff_required
def theme_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "organisation.manage_themes")
    return render(
        request, "backoffice/theme_list.html", {"themes": list(Theme.objects.order_by("position", "name", "pk"))}
    )


def _theme_form(request: HttpRequest, theme: Theme) -> HttpResponse:
    require_perm(request, "organisation.manage_themes", theme)
    form = ThemeForm(request.POST or None, instance=theme)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.theme_save(actor=actor(request), theme=theme, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Le thème « %(name)s » a été enregistré.") % {"name": saved.name})
            return redirect("backoffice:themes")
    return render(request, "backoffice/theme_form.html", {"form": form, "theme": theme})


@staff_required
@require_http_methods(["GET", "POST"])
def theme_create(request: HttpRequest) -> HttpResponse:
    return _theme_form(request, Theme())


@staff_required
@require_http_methods(["GET", "POST"])
def theme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _theme_form(request, get_object_or_404(Theme, pk=pk))


@staff_required
@require_POST
def theme_move(request: HttpRequest, pk: int) -> HttpResponse:
    theme = get_object_or_404(Theme, pk=pk)
    require_perm(request, "organisation.manage_themes", theme)
    services.theme_move(actor=actor(request), theme=theme, direction=request.POST.get("direction", ""))
    return redirect("backoffice:themes")


@staff_required
@require_http_methods(["GET", "POST"])
def theme_delete(request: HttpRequest, pk: int) -> HttpResponse:
    theme = get_object_or_404(Theme, pk=pk)
    require_perm(request, "organisation.manage_themes", theme)
    url = reverse("backoffice:themes")
    return confirm_action(
        request,
        action=lambda: services.theme_delete(actor=actor(request), theme=theme),
        title=_("Supprimer le thème « %(name)s »") % {"name": theme.name},
        question=_("Les espaces classés sous ce thème le perdront ; ils ne sont pas supprimés."),
        cancel_url=url,
        success_url=url,
        success_message=_("Le thème « %(name)s » a été supprimé.") % {"name": theme.name},
        button=_("Supprimer le thème"),
    )
