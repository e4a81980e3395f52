"""The services' back-office of the signalements, under /gestion/m/signalements/: the queue (filters, overdue
flags), a report's page (status with a response template, public text, photos, reassignment, internal notes, the
routing history), categories and their routes per territory, response templates, Open311 keys, statistics."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from participe.attachments.selectors import attachments_of
from participe.backoffice.decorators import require_perm, staff_required
from participe.backoffice.forms.base import add_service_errors
from participe.backoffice.views.common import actor
from participe.modules.signalements import forwarding, selectors, services, statistics
from participe.modules.signalements.forms import (
    ApiKeyForm,
    CategoryForm,
    ForwardingForm,
    NoteForm,
    ReassignForm,
    TemplateForm,
    UpdateForm,
)
from participe.modules.signalements.models import (
    ApiKey,
    Category,
    Forward,
    Forwarding,
    Report,
    ResponseTemplate,
    Status,
)
from participe.organisation.geography import map_config
from participe.organisation.models import Service, Territory
from participe.permissions.refusals import Refused
from participe.spaces.models import Module

MANAGE = "signalements.manage_reports"


def _the_module(request: HttpRequest) -> Module:
    module = Module.objects.select_related("space").filter(module_type="signalements").first()
    if module is None:
        raise Http404
    require_perm(request, "signalements.view_backoffice", module)
    return module


def _ctx(module: Module, **extra: Any) -> dict[str, Any]:
    return {"module": module, "can_manage": False, **extra}


@staff_required
def index(request: HttpRequest) -> HttpResponse:
    """The queue of the agent's services (every report for the module's staff)."""
    module = _the_module(request)
    filters = selectors.QueueFilters.from_query(request.GET)
    before = request.GET.get("avant", "")
    reports = selectors.queue(request.user, module, filters, before=int(before) if before.isdigit() else None)
    query = request.GET.copy()
    query.pop("avant", None)
    feed_url = reverse("backoffice:signalements:feed") + ("?" + query.urlencode() if query else "")
    return render(
        request,
        "signalements/backoffice/index.html",
        _ctx(
            module,
            map=map_config(),
            feed_url=feed_url,
            failed_forwards=selectors.failed_forwards(request.user, module),
            reports=reports,
            filters=filters,
            categories=selectors.categories(module, active=False),
            services=Service.objects.only("pk", "name"),
            territories=Territory.objects.only("pk", "name"),  # not their outlines
            statuses=Status.choices,
            query=query.urlencode(),
            next_before=reports[-1].pk if len(reports) == selectors.PAGE else None,
            can_manage=request.user.has_perm(MANAGE, module),
        ),
    )


@staff_required
@require_GET
def feed(request: HttpRequest) -> HttpResponse:
    """The queue's map: the GeoJSON of the reports its filters keep (the table below is the same list)."""
    module = _the_module(request)
    filters = selectors.QueueFilters.from_query(request.GET)
    return HttpResponse(selectors.queue_features(request.user, module, filters), content_type="application/geo+json")


@staff_required
@require_POST
def bulk_update(request: HttpRequest) -> HttpResponse:
    """One status (and public text) for the reports ticked in the queue; each is checked and written by the
    service, those the agent may not handle are left and counted."""
    module = _the_module(request)
    status = request.POST.get("status", "")
    text = request.POST.get("text", "")
    ids = [int(i) for i in request.POST.getlist("report") if i.isdigit()][: selectors.PAGE]
    if status not in Status.values or not ids:
        messages.error(request, _("Cochez des signalements et choisissez un état."))
        return redirect("backoffice:signalements:index")
    done = refused = 0
    for item in Report.objects.filter(module=module, pk__in=ids).select_related("category", "module"):
        try:
            services.report_update(actor=actor(request), report=item, status=status, text=text)
        except (Refused, ValidationError):
            refused += 1
        else:
            done += 1
    messages.success(
        request, _("%(done)s signalements mis à jour, %(refused)s laissés.") % {"done": done, "refused": refused}
    )
    return redirect("backoffice:signalements:index")


def _report(request: HttpRequest, pk: int) -> Report:
    report = get_object_or_404(Report.objects.select_related("category", "module__space", "territory", "author"), pk=pk)
    require_perm(request, "signalements.handle_report", report)
    return report


def _report_page(request: HttpRequest, report: Report, **forms: Any) -> HttpResponse:
    templates = selectors.templates_for(report)
    context = _ctx(
        report.module,
        map=map_config(),
        forward=Forward.objects.select_related("forwarding").filter(report=report).first(),
        report=report,
        timeline=selectors.timeline(report, internal=True),
        photos=attachments_of(report),
        templates=templates,
        overdue=selectors.is_overdue(report),
        update_form=forms.get("update_form") or UpdateForm(templates=templates, initial={"status": report.status}),
        reassign_form=forms.get("reassign_form") or ReassignForm(module=report.module),
        note_form=forms.get("note_form") or NoteForm(),
    )
    return render(request, "signalements/backoffice/report.html", context)


@staff_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    return _report_page(request, _report(request, pk))


@staff_required
@require_POST
def report_update(request: HttpRequest, pk: int) -> HttpResponse:
    item = _report(request, pk)
    form = UpdateForm(request.POST, templates=selectors.templates_for(item))
    if form.is_valid():
        try:
            services.report_update(
                actor=actor(request),
                report=item,
                status=form.cleaned_data["status"],
                text=form.cleaned_data["text"],
                template=form.cleaned_data["template"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Le signalement est mis à jour ; son auteur et ses abonnés sont prévenus."))
            return redirect("backoffice:signalements:report", pk=item.pk)
    return _report_page(request, item, update_form=form)


@staff_required
@require_POST
def report_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    item = _report(request, pk)
    form = ReassignForm(request.POST, module=item.module)
    if form.is_valid():
        try:
            services.report_reassign(
                actor=actor(request),
                report=item,
                service=form.cleaned_data["service"],
                category=form.cleaned_data["category"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Le signalement est réaffecté ; le service en charge est prévenu."))
            if request.user.has_perm("signalements.handle_report", item):
                return redirect("backoffice:signalements:report", pk=item.pk)
            return redirect("backoffice:signalements:index")
    return _report_page(request, item, reassign_form=form)


@staff_required
@require_POST
def report_note(request: HttpRequest, pk: int) -> HttpResponse:
    item = _report(request, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.report_note(actor=actor(request), report=item, body=form.cleaned_data["body"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("backoffice:signalements:report", pk=item.pk)
    return _report_page(request, item, note_form=form)


@staff_required
@require_POST
def report_photo(request: HttpRequest, pk: int) -> HttpResponse:
    item = _report(request, pk)
    photo = request.FILES.get("photo")
    if photo is None:
        messages.error(request, _("Choisissez une photo."))
    else:
        try:
            services.report_photo_add(
                actor=actor(request), report=item, photo=photo, title=request.POST.get("title", "")
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("La photo est ajoutée."))
    return redirect("backoffice:signalements:report", pk=item.pk)


# --- configuration ------------------------------------------------------------------------------------------------
def _managed(request: HttpRequest) -> Module:
    module = _the_module(request)
    require_perm(request, MANAGE, module)
    return module


@staff_required
def categories(request: HttpRequest) -> HttpResponse:
    module = _managed(request)
    return render(
        request,
        "signalements/backoffice/categories.html",
        _ctx(
            module,
            categories=selectors.categories(module, active=False).prefetch_related(
                "routes__territory", "routes__service"
            ),
            can_manage=True,
        ),
    )


def _forwarding_form(category: Category | None) -> ForwardingForm | None:
    if category is None:
        return None
    return ForwardingForm(instance=Forwarding.objects.filter(category=category).first())


@staff_required
def category_edit(
    request: HttpRequest, pk: int | None = None, forwarding_form: ForwardingForm | None = None
) -> HttpResponse:
    module = _managed(request)
    category = get_object_or_404(Category, pk=pk, module=module) if pk else None
    form = CategoryForm(request.POST if request.method == "POST" and not forwarding_form else None, instance=category)
    if form.is_bound and form.is_valid():
        data = {name: form.cleaned_data[name] for name in CategoryForm.Meta.fields}
        data["questions"] = form.cleaned_data["questions_text"]
        try:
            saved = services.category_save(actor=actor(request), module=module, category=category, data=data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("La catégorie est enregistrée."))
            return redirect("backoffice:signalements:category", pk=saved.pk)
    routes = category.routes.select_related("territory", "service") if category else []
    return render(
        request,
        "signalements/backoffice/category_form.html",
        _ctx(
            module,
            form=form,
            category=category,
            routes=routes,
            forwarding_form=forwarding_form or _forwarding_form(category),
            territories=Territory.objects.all(),
            services=Service.objects.all(),
            can_manage=True,
        ),
    )


@staff_required
@require_POST
def route_save(request: HttpRequest, pk: int) -> HttpResponse:
    module = _managed(request)
    category = get_object_or_404(Category, pk=pk, module=module)
    territory = Territory.objects.filter(pk=request.POST.get("territory") or 0).first()
    service = Service.objects.filter(pk=request.POST.get("service") or 0).first()
    if territory is None:
        messages.error(request, _("Choisissez un territoire."))
    else:
        services.route_save(actor=actor(request), category=category, territory=territory, service=service)
        messages.success(request, _("Le service en charge est enregistré."))
    return redirect("backoffice:signalements:category", pk=category.pk)


@staff_required
@require_POST
def forwarding_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Set where the category's new reports are forwarded (an Open311 endpoint); errors on the category's page."""
    module = _managed(request)
    category = get_object_or_404(Category, pk=pk, module=module)
    form = ForwardingForm(request.POST, instance=Forwarding.objects.filter(category=category).first())
    if form.is_valid():
        data = {name: form.cleaned_data[name] for name in forwarding.FIELDS}
        try:
            saved = forwarding.forwarding_save(actor=actor(request), category=category, data=data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Les nouveaux signalements de cette catégorie seront transmis.")
                if saved is not None and saved.is_active
                else _("Cette catégorie n'est plus transmise."),
            )
            return redirect("backoffice:signalements:category", pk=category.pk)
    return category_edit(request, pk=category.pk, forwarding_form=form)


@staff_required
@require_POST
def forward_retry(request: HttpRequest, pk: int) -> HttpResponse:
    item = _report(request, pk)
    try:
        forward = forwarding.forward_retry(actor=actor(request), report=item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        forward.refresh_from_db()
        if forward.state == Forward.State.SENT:
            messages.success(request, _("Le signalement est transmis."))
        else:
            messages.error(request, _("La transmission a encore échoué : %(error)s") % {"error": forward.last_error})
    return redirect("backoffice:signalements:report", pk=item.pk)


@staff_required
def templates(request: HttpRequest) -> HttpResponse:
    module = _managed(request)
    form = TemplateForm(request.POST or None)
    form.fields["category"].queryset = Category.objects.filter(module=module)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            services.template_save(actor=actor(request), module=module, template=None, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Le modèle de réponse est enregistré."))
            return redirect("backoffice:signalements:templates")
    items = ResponseTemplate.objects.filter(module=module).select_related("category")
    return render(
        request, "signalements/backoffice/templates.html", _ctx(module, form=form, items=items, can_manage=True)
    )


@staff_required
def api_keys(request: HttpRequest) -> HttpResponse:
    module = _managed(request)
    form = ApiKeyForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        try:
            _key, raw = services.apikey_issue(actor=actor(request), module=module, name=form.cleaned_data["name"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            form = ApiKeyForm()
    keys = ApiKey.objects.filter(module=module)
    return render(
        request, "signalements/backoffice/api_keys.html", _ctx(module, form=form, keys=keys, raw=raw, can_manage=True)
    )


@staff_required
@require_POST
def api_key_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    module = _managed(request)
    key = get_object_or_404(ApiKey, pk=pk, module=module)
    services.apikey_revoke(actor=actor(request), key=key)
    messages.success(request, _("La clé est révoquée."))
    return redirect("backoffice:signalements:api_keys")


@staff_required
def stats(request: HttpRequest) -> HttpResponse:
    module = _the_module(request)
    table = statistics.table(module)
    return render(
        request,
        "signalements/backoffice/statistics.html",
        _ctx(module, table=table, top=max([r.total for r in table["categories"]] or [1])),
    )
