"""Public pages of the signalements, at /signalements/ (an organisation-wide module, decision 0010): the map and
list with filters, reporting (works without JavaScript: an address field; with it: a map pin and the device's
position), duplicates before submitting, a report's page with its timeline, « moi aussi », reopening, confirming a
one-off report, the statistics."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from participe.attachments.selectors import attachments_of
from participe.modules.signalements import geocoder, selectors, services, statistics
from participe.modules.signalements.forms import ReopenForm, ReportForm
from participe.modules.signalements.models import Report, Status
from participe.modules.signalements.photos import KeptPhoto, exif_point, forget, kept_photos, photo_keep
from participe.organisation.geography import map_config
from participe.permissions.explain import explain
from participe.permissions.refusals import Refused
from participe.spaces.http import require_visible
from participe.spaces.models import Module
from participe.spaces.urls import module_reverse


def _module(request: HttpRequest, slug: str, module_slug: str) -> Module:
    module = (
        Module.objects.select_related("space")
        .prefetch_related("phases")
        .filter(space__slug=slug, slug=module_slug, module_type="signalements")
        .first()
    )
    if module is None:
        raise Http404
    require_visible(request, "spaces.view_module", module)
    return module


def _radius(module: Module) -> int:
    return int((module.settings or {}).get("duplicate_radius") or 50)


def _context(module: Module, **extra: Any) -> dict[str, Any]:
    return {"module": module, "space": module.space, "map": map_config(), "statuses": Status.choices, **extra}


def module_page(request: HttpRequest, module: Module) -> HttpResponse:
    """The map and the list of reports, with filters (category, status, territory, period)."""
    filters = selectors.Filters.from_query(request.GET)
    before = request.GET.get("avant")
    reports = selectors.report_list(
        request.user, module, filters, before=int(before) if (before or "").isdigit() else None
    )
    query = request.GET.copy()
    query.pop("avant", None)
    return render(
        request,
        "signalements/module_page.html",
        _context(
            module,
            reports=reports,
            filters=filters,
            categories=selectors.categories(module),
            territories=selectors.territories_with_reports(module),
            next_before=reports[-1].pk if len(reports) == selectors.PAGE else None,
            query=query.urlencode(),
            can_report=explain(request.user, "signalements.add_report", module),
            feed_url=module_reverse(module, "feed") + ("?" + query.urlencode() if query else ""),
        ),
    )


@require_GET
def feed(request: HttpRequest, slug: str, module_slug: str) -> HttpResponse:
    """The GeoJSON of the map (the same filters as the list)."""
    module = _module(request, slug, module_slug)
    filters = selectors.Filters.from_query(request.GET)
    return HttpResponse(selectors.map_features(request.user, module, filters), content_type="application/geo+json")


def _duplicates(module: Module, form: ReportForm) -> list[Report]:
    data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    lat, lon = data.get("lat"), data.get("lon")
    if lat is None or lon is None:
        return []
    return selectors.duplicates(module, data.get("category"), lat, lon, _radius(module))


def _geocode(form: ReportForm) -> None:
    """No point but an address (no JavaScript): the geocoder places it; when it is down, say so next to the field."""
    data = form.cleaned_data
    if data.get("lat") is not None and data.get("lon") is not None:
        return
    address = (data.get("address") or "").strip()
    if not address:
        form.add_error("address", _("Indiquez une adresse, ou placez le point sur la carte."))
        return
    try:
        found = geocoder.search(address, limit=1)
    except geocoder.GeocoderDown:
        form.add_error(
            "address",
            _(
                "La recherche d'adresse ne répond pas pour l'instant : indiquez les coordonnées GPS ci-dessous, "
                "ou réessayez dans un moment."
            ),
        )
        return
    if not found:
        form.add_error("address", _("Adresse introuvable : précisez-la (numéro, rue, commune)."))
        return
    data["lat"], data["lon"], data["address"] = found[0].lat, found[0].lon, found[0].label


def _from_photos(form: ReportForm) -> bool:
    """No place given but a photo taken with its position: the place is suggested from it (the form is shown again
    to check it; the position is then stripped from the stored photo by the attachments service)."""
    data = form.cleaned_data
    if data.get("lat") is not None or (data.get("address") or "").strip():
        return False
    for photo in data.get("photos") or []:
        point = exif_point(photo)
        if point is not None:
            data["lat"], data["lon"] = point
            return True
    return False


def _with_point(form: ReportForm) -> ReportForm:
    """The same form, bound again with the suggested point (what was typed is kept; the photos are kept apart)."""
    data = form.data.copy()
    data["lat"], data["lon"] = str(form.cleaned_data["lat"]), str(form.cleaned_data["lon"])
    fresh = ReportForm(data, module=form.module, anonymous="reporter_name" in form.fields)
    fresh.is_valid()
    if form.errors.get("photos"):
        fresh.add_error("photos", form.errors["photos"])
    return fresh


def _keep_photos(request: HttpRequest, module: Module, form: ReportForm) -> list[KeptPhoto]:
    """The photos of earlier submits still ticked, and this submit's (checked, stripped of their metadata and kept
    on the server, so that the form shown again never asks for them twice); a refused one is said on the field."""
    kept = kept_photos(request.POST.getlist("kept_photos"))
    for upload in request.FILES.getlist("photos"):
        if len(kept) >= services.MAX_PHOTOS:
            form.add_error("photos", _("Au plus %(n)s photos.") % {"n": services.MAX_PHOTOS})
            break
        try:
            kept.append(photo_keep(actor=request.user, module=module, photo=upload))
        except ValidationError as exc:
            form.add_error("photos", exc.message_dict.get("photos", exc.messages))
        except Refused as exc:
            form.add_error("photos", str(exc))
    return kept


def _send(
    request: HttpRequest, module: Module, form: ReportForm, anonymous: bool, kept: list[KeptPhoto]
) -> HttpResponse | None:
    """Create the report through the service: the redirect, or None with the service's errors on the form."""
    try:
        report = services.report_create(
            actor=request.user, module=module, data=form.service_data(), photos=[photo.open() for photo in kept]
        )
    except ValidationError as exc:
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
        return None
    except Refused as exc:
        form.add_error(None, str(exc))
        return None
    forget(kept)
    if anonymous:
        messages.success(
            request,
            _(
                "Presque fini : ouvrez le lien que nous venons de vous envoyer "
                "par courriel pour transmettre votre signalement."
            ),
        )
        return redirect(module.get_absolute_url())
    messages.success(request, _("Merci : votre signalement est transmis au service en charge."))
    return redirect(report.get_absolute_url())


@dataclass
class _Outcome:
    form: ReportForm
    kept: list[KeptPhoto]
    duplicates: list[Report]
    checked: bool = False
    sent: HttpResponse | None = None


def _post(request: HttpRequest, module: Module, anonymous: bool) -> _Outcome:
    """A submit: the place suggested by a photo, or geocoded; the duplicates; sent when asked (and none found
    for a first submit). Whatever is shown again keeps what was typed and the photos."""
    form = ReportForm(request.POST, request.FILES, module=module, anonymous=anonymous)
    valid = form.is_valid()
    suggested = valid and _from_photos(form)  # before the photos lose their position
    kept = _keep_photos(request, module, form)
    if suggested:
        messages.info(request, _("Le lieu est repris de votre photo : vérifiez-le, puis envoyez."))
        form = _with_point(form)
        return _Outcome(form, kept, _duplicates(module, form), checked=True)
    if valid and not form.errors:
        _geocode(form)
    if form.errors:
        return _Outcome(form, kept, [])
    outcome = _Outcome(form, kept, _duplicates(module, form), checked=True)
    action = request.POST.get("action", "send")
    if action == "send" or (action == "send_first" and not outcome.duplicates):
        outcome.sent = _send(request, module, form, anonymous, kept)
    return outcome


@require_http_methods(["GET", "POST"])
def report_create(request: HttpRequest, slug: str, module_slug: str) -> HttpResponse:
    """Report a problem. « Vérifier » (or a first submit near open reports) shows the duplicates; « Envoyer »
    creates it through the service; any error shows next to its field with everything typed and the photos kept."""
    module = _module(request, slug, module_slug)
    anonymous = not request.user.is_authenticated
    verdict = explain(request.user, "signalements.add_report", module)
    if request.method == "POST" and verdict:
        outcome = _post(request, module, anonymous)
        if outcome.sent is not None:
            return outcome.sent
    else:
        form = ReportForm(
            module=module,
            anonymous=anonymous,
            initial={k: request.GET.get(k) for k in ("lat", "lon", "address", "category") if request.GET.get(k)},
        )
        outcome = _Outcome(form, [], [])
    form = outcome.form
    categories = list(selectors.categories(module))
    return render(
        request,
        "signalements/report_form.html",
        _context(
            module,
            form=form,
            verdict=verdict,
            duplicates=outcome.duplicates,
            checked=outcome.checked,
            anonymous=anonymous,
            categories=categories,
            kept=outcome.kept,
            questions=[form[name] for name in form.questions],
            duplicates_url=module_reverse(module, "duplicates"),
            geocoder_url=module_reverse(module, "geocode"),
        ),
    )


@require_GET
def duplicates(request: HttpRequest, slug: str, module_slug: str) -> HttpResponse:
    """The fragment of possible duplicates near a point (the form asks it as the pin moves)."""
    module = _module(request, slug, module_slug)
    try:
        lat, lon = float(request.GET["lat"]), float(request.GET["lon"])
    except (KeyError, ValueError):
        return HttpResponse("")
    category = selectors.categories(module).filter(pk=request.GET.get("category") or 0).first()
    found = selectors.duplicates(module, category, lat, lon, _radius(module))
    return render(
        request, "signalements/partials/_duplicates.html", {"duplicates": found, "module": module, "checked": True}
    )


@require_GET
def geocode(request: HttpRequest, slug: str, module_slug: str) -> JsonResponse:
    """The geocoder through the site (its origin needs no exception in the content security policy)."""
    _module(request, slug, module_slug)
    try:
        if "q" in request.GET:
            found = geocoder.search(request.GET["q"])
        else:
            one = geocoder.reverse(float(request.GET["lat"]), float(request.GET["lon"]))
            found = [one] if one else []
    except (KeyError, ValueError):
        return JsonResponse({"error": "bad request"}, status=400)
    except geocoder.GeocoderDown:
        return JsonResponse({"error": "unavailable", "results": []}, status=503)
    return JsonResponse({"results": [{"label": a.label, "lat": a.lat, "lon": a.lon} for a in found]})


def _report(request: HttpRequest, module: Module, pk: int) -> Report:
    report = selectors.report_for_page(module, pk)
    if report is None:
        raise Http404
    require_visible(request, "signalements.view_report", report)
    return report


def report_detail(request: HttpRequest, slug: str, module_slug: str, pk: int) -> HttpResponse:
    module = _module(request, slug, module_slug)
    report = _report(request, module, pk)
    return render(
        request,
        "signalements/report_detail.html",
        _context(
            module,
            report=report,
            timeline=selectors.timeline(report),
            photos=attachments_of(report),
            support=explain(request.user, "supports.add_support", report),
            reopen=explain(request.user, "signalements.reopen_report", report),
            reopen_form=ReopenForm(),
            is_reporter=request.user.is_authenticated and report.author_id == request.user.pk,
        ),
    )


@require_POST
def me_too(request: HttpRequest, slug: str, module_slug: str, pk: int) -> HttpResponse:
    module = _module(request, slug, module_slug)
    report = _report(request, module, pk)
    if not request.user.is_authenticated:
        return redirect(f"{settings.LOGIN_URL}?next={report.get_absolute_url()}")
    try:
        services.report_me_too(actor=request.user, report=report)
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("C'est noté : vous soutenez ce signalement et serez prévenu de son suivi."))
    return redirect(report.get_absolute_url())


@require_POST
def reopen(request: HttpRequest, slug: str, module_slug: str, pk: int) -> HttpResponse:
    module = _module(request, slug, module_slug)
    report = _report(request, module, pk)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.report_reopen(actor=request.user, report=report, text=form.cleaned_data["text"])
        except (Refused, ValidationError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Le signalement est rouvert : le service en est prévenu."))
    return redirect(report.get_absolute_url())


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, slug: str, module_slug: str, token: str) -> HttpResponse:
    """The link sent to a reporter without account: a GET shows a button (a GET never writes), the POST confirms."""
    module = _module(request, slug, module_slug)
    report = Report.objects.filter(module=module, confirmation_token=token).first() if token else None
    if report is None:
        raise Http404
    if request.method == "POST":
        services.report_confirm(token=token)
        messages.success(request, _("Merci : votre signalement est transmis au service en charge."))
        if not report.category.is_private:
            return redirect(report.get_absolute_url())
        return redirect(module.get_absolute_url())
    return render(request, "signalements/confirm.html", _context(module, report=report))


def stats(request: HttpRequest, slug: str, module_slug: str) -> HttpResponse:
    module = _module(request, slug, module_slug)
    table = statistics.table(module)
    return render(
        request,
        "signalements/statistics.html",
        _context(module, table=table, top=max([r.total for r in table["categories"]] or [1])),
    )
