"""Census upload, verification at the counter, accounts created by agents, acting on their behalf."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from participe.accounts.models import User
from participe.accounts.selectors import managed_accounts, users_search
from participe.backoffice.decorators import require_perm, staff_required
from participe.backoffice.forms.base import SearchForm, add_service_errors
from participe.backoffice.forms.verifications import CensusUploadForm, CounterVerifyForm, ManagedAccountForm, RevokeForm
from participe.backoffice.views.common import actor, confirm_action, page_cursor
from participe.core.pagination import keyset_paginate
from participe.verifications import handlers, services
from participe.verifications.models import CensusImport, Verification

SEARCH_LIMIT = 20
REPORT_KEY = "census_report"
MAX_ERRORS_SHOWN = 200


@staff_required
@require_http_methods(["GET", "POST"])
def census(request: HttpRequest) -> HttpResponse:
    require_perm(request, "verifications.manage_census")
    form = CensusUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            imported, errors = services.census_import(
                actor=actor(request),
                filename=upload.name,
                data=upload.read(),
                valid_until=form.cleaned_data["valid_until"],
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            request.session[REPORT_KEY] = {"pk": imported.pk, "errors": errors[:MAX_ERRORS_SHOWN], "total": len(errors)}
            messages.success(
                request,
                ngettext("%(n)s habitant a été importé.", "%(n)s habitants ont été importés.", imported.row_count)
                % {"n": imported.row_count},
            )
            return redirect("backoffice:census")
    report = request.session.pop(REPORT_KEY, None) if request.method == "GET" else None
    imports = CensusImport.objects.select_related("uploaded_by")[:20]
    return render(request, "backoffice/census.html", {"form": form, "report": report, "imports": imports})


@staff_required
def counter_search(request: HttpRequest) -> HttpResponse:
    require_perm(request, "verifications.verify_in_person")
    search = SearchForm(request.GET or None)
    results = users_search(search.cleaned_data["q"])[:SEARCH_LIMIT] if search.is_valid() else None
    return render(request, "backoffice/counter_search.html", {"search": search, "results": results})


@staff_required
@require_http_methods(["GET", "POST"])
def counter_verify(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "verifications.verify_in_person")
    person = get_object_or_404(User.objects.select_related("territory"), pk=pk, is_deleted=False)
    form = CounterVerifyForm(request.POST or None, initial={"territory": person.territory_id})
    if request.method == "POST" and form.is_valid():
        try:
            services.counter_verify(agent=actor(request), user=person, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("La vérification de %(name)s est enregistrée.") % {"name": person.full_name or person.pseudonym},
            )
            return redirect("backoffice:counter_verify", pk=person.pk)
    names = dict(handlers.choices())
    verifications = list(Verification.objects.filter(user=person).select_related("territory", "granted_by"))
    for verification in verifications:
        verification.handler_name = names.get(verification.handler, verification.handler)  # type: ignore[attr-defined]
    return render(
        request, "backoffice/counter_verify.html", {"person": person, "form": form, "verifications": verifications}
    )


@staff_required
@require_http_methods(["GET", "POST"])
def verification_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "verifications.verify_in_person")
    verification = get_object_or_404(Verification.objects.select_related("user"), pk=pk, revoked_at__isnull=True)
    form = RevokeForm(request.POST or None)
    url = reverse("backoffice:counter_verify", args=[verification.user_id])
    if request.method == "POST" and not form.is_valid():
        return redirect(url)
    return confirm_action(
        request,
        action=lambda: services.verification_revoke(
            actor=actor(request), verification=verification, reason=form.cleaned_data.get("reason", "")
        ),
        title=_("Révoquer la vérification de %(name)s")
        % {"name": verification.user.full_name or verification.user.pseudonym},
        question=_(
            "La personne ne pourra plus participer là où une vérification est exigée, jusqu'à une nouvelle vérification."
        ),
        cancel_url=url,
        success_url=url,
        success_message=_("La vérification a été révoquée."),
        button=_("Révoquer"),
        context={"form": form},
    )


@staff_required
def managed_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "verifications.create_managed_account")
    page = keyset_paginate(managed_accounts(), ordering=("-pk",), cursor=page_cursor(request), size=30)
    return render(
        request,
        "backoffice/managed_list.html",
        {"page": page, "can_act": request.user.has_perm("verifications.act_for_resident")},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def managed_create(request: HttpRequest) -> HttpResponse:
    require_perm(request, "verifications.create_managed_account")
    form = ManagedAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            resident = services.managed_account_create(agent=actor(request), **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Le compte de %(name)s a été créé (pseudonyme : %(pseudonym)s).")
                % {"name": resident.full_name, "pseudonym": resident.pseudonym},
            )
            return redirect("backoffice:managed_accounts")
    return render(request, "backoffice/managed_form.html", {"form": form})


@staff_required
@require_POST
def acting_start(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "verifications.act_for_resident")
    resident = get_object_or_404(User, pk=pk, is_deleted=False)
    try:
        services.acting_for_start(agent=actor(request), resident=resident, session=request.session)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("backoffice:managed_accounts")
    return redirect("home")
