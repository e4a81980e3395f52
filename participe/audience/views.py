"""The statistics page of the back-office (``/gestion/statistiques/``) and its CSV: the audience the counter
counted, the participation, its representativeness. For the organisation's administrators; anyone else is told why
not. Reads only."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from participe.audience import charts, selectors
from participe.audience.exports import statistics_csv
from participe.permissions.explain import explain
from participe.permissions.refusals import Refused
from participe.spaces.models import Space


def _allowed(request: HttpRequest) -> HttpResponse | None:
    """None when the person asking may read the statistics; the login page for a visitor; else refused with why."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    verdict = explain(request.user, "audience.view_statistics")
    if not verdict:
        raise Refused(verdict.reasons)
    return None


def _scope(request: HttpRequest) -> tuple[selectors.Period, Space | None]:
    period = selectors.period_of(request.GET.get("periode"))
    space = None
    raw = request.GET.get("espace", "")
    if raw.isdigit():
        space = Space.objects.filter(pk=int(raw)).first()
    return period, space


def _figures(request: HttpRequest) -> tuple[selectors.Audience, selectors.Participation, selectors.Representativeness]:
    period, space = _scope(request)
    modules = selectors.participation_modules(space)
    return (
        selectors.audience(period, space),
        selectors.participation(period, modules),
        selectors.representativeness(modules),
    )


@require_safe
def statistics(request: HttpRequest) -> HttpResponse:
    refused = _allowed(request)
    if refused is not None:
        return refused
    audience, participation, people = _figures(request)
    fmt = "%m/%Y" if audience.period.by_month else "%d/%m"
    context = {
        "audience": audience,
        "participation": participation,
        "people": people,
        "conversion": participation.conversion(audience.visits),
        "views_chart": charts.columns([(s.start.strftime(fmt), s.views) for s in audience.steps]),
        "contributions_chart": charts.columns([(s.start.strftime(fmt), s.total) for s in participation.steps]),
        "periods": [(key, str(label)) for key, (_days, label) in selectors.PERIODS.items()],
        "spaces": Space.objects.exclude(kind=Space.Kind.ORGANISATION).order_by("title").only("pk", "title"),
        "date_format": "d/m/Y" if not audience.period.by_month else "m/Y",
    }
    return render(request, "audience/statistics.html", context)


@require_safe
def statistics_export(request: HttpRequest) -> HttpResponse:
    refused = _allowed(request)
    if refused is not None:
        return refused
    audience, participation, people = _figures(request)
    response = StreamingHttpResponse(
        statistics_csv(audience, participation, people), content_type="text/csv; charset=utf-8"
    )
    name = f"statistiques-{audience.period.start:%Y-%m-%d}-{audience.period.end:%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
