"""The collectivité's departments (the ``organisation.Service`` model: « services » in the interface) and their
agents. Named departments here so that the model and the write layer (``organisation.services``) read apart."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from participe.accounts.models import User
from participe.accounts.selectors import users_search
from participe.backoffice.decorators import require_perm, staff_required
from participe.backoffice.forms.base import IdentifiedUserForm, SearchForm, add_service_errors
from participe.backoffice.forms.departments import DepartmentForm
from participe.backoffice.views.common import actor, confirm_action
from participe.organisation import services
from participe.organisation.models import Service
from participe.organisation.selectors import services_with_counts

SEARCH_LIMIT = 20


@staff_required
def department_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "organisation.manage_services")
    return render(request, "backoffice/departments/list.html", {"services": services_with_counts()})


@staff_required
@require_http_methods(["GET", "POST"])
def department_create(request: HttpRequest) -> HttpResponse:
    require_perm(request, "organisation.manage_services")
    service = Service()
    form = DepartmentForm(request.POST or None, instance=service)
    if request.method == "POST" and form.is_valid():
        try:
            service = services.service_save(actor=actor(request), service=service, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Le service a été créé : ajoutez-lui ses agents."))
            return redirect("backoffice:department_edit", pk=service.pk)
    return render(request, "backoffice/departments/form.html", {"form": form, "service": service})


def _department_page(
    request: HttpRequest, service: Service, form: DepartmentForm, member_form: IdentifiedUserForm
) -> HttpResponse:
    search = SearchForm(request.GET or None)
    results = users_search(search.cleaned_data["q"])[:SEARCH_LIMIT] if search.is_valid() else []
    return render(
        request,
        "backoffice/departments/form.html",
        {
            "form": form,
            "service": service,
            "member_form": member_form,
            "search": search,
            "results": results,
            "members": service.members.order_by("last_name", "first_name", "pseudonym"),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def department_edit(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_object_or_404(Service, pk=pk)
    require_perm(request, "organisation.manage_services", service)
    form = DepartmentForm(request.POST or None, instance=service)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_save(actor=actor(request), service=service, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Le service a été enregistré."))
            return redirect("backoffice:department_edit", pk=service.pk)
    return _department_page(request, service, form, IdentifiedUserForm(prefix="agent"))


@staff_required
@require_POST
def department_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_object_or_404(Service, pk=pk)
    require_perm(request, "organisation.manage_services", service)
    member_form = IdentifiedUserForm(request.POST, prefix="agent")
    if member_form.is_valid():
        user = member_form.cleaned_data["user"]
        try:
            services.service_member_add(actor=actor(request), service=service, user=user)
        except ValidationError as exc:
            add_service_errors(member_form, exc)
        else:
            messages.success(
                request, _("%(name)s est maintenant agent de ce service.") % {"name": user.full_name or user.pseudonym}
            )
            return redirect("backoffice:department_edit", pk=service.pk)
    return _department_page(request, service, DepartmentForm(instance=service), member_form)


@staff_required
@require_POST
def department_member_remove(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    service = get_object_or_404(Service, pk=pk)
    require_perm(request, "organisation.manage_services", service)
    user = get_object_or_404(User, pk=user_pk)
    services.service_member_remove(actor=actor(request), service=service, user=user)
    messages.success(
        request, _("%(name)s ne fait plus partie de ce service.") % {"name": user.full_name or user.pseudonym}
    )
    return redirect("backoffice:department_edit", pk=service.pk)


@staff_required
@require_http_methods(["GET", "POST"])
def department_delete(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_object_or_404(Service, pk=pk)
    require_perm(request, "organisation.manage_services", service)
    url = reverse("backoffice:departments")
    return confirm_action(
        request,
        action=lambda: services.service_delete(actor=actor(request), service=service),
        title=_("Supprimer le service « %(name)s »") % {"name": service.name},
        question=_("Ses agents perdront l'accès au back-office s'ils n'ont pas d'autre rôle."),
        cancel_url=url,
        success_url=url,
        success_message=_("Le service « %(name)s » a été supprimé.") % {"name": service.name},
        button=_("Supprimer le service"),
    )
