"""The organisation's agenda at /agenda/ (list, month and map views, filters by territory, theme and kind) and the
iCalendar feeds: the organisation's at /agenda.ics, a space's and a territory's (decision 0023).

These pages read every meetings module of every space the visitor may see; they are served at the site's root, like
Open311, because calendar applications and residents expect these addresses."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from participe.core.pagination import InvalidCursor
from participe.modules.meetings import feeds, ical, selectors
from participe.modules.meetings.forms import AgendaFilterForm, month_of
from participe.modules.meetings.models import Meeting
from participe.organisation.geography import map_config
from participe.organisation.models import Territory
from participe.spaces.models import Space

CALENDAR = "text/calendar; charset=utf-8"


def _filters(request: HttpRequest) -> tuple[AgendaFilterForm, selectors.AgendaFilters]:
    """The filters as typed (a value that does not validate is shown with its error and left out)."""
    form = AgendaFilterForm(request.GET or None)
    values: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()
        values = {name: form.cleaned_data.get(name) for name in form.fields if name not in form.errors}
    theme = values.get("theme")
    space = Space.objects.filter(slug=values["demarche"]).first() if values.get("demarche") else None
    return form, selectors.AgendaFilters(
        space=space,
        territory=values.get("territoire"),
        theme_id=theme.pk if theme is not None else None,
        kind=values.get("type") or None,
        day=values.get("jour"),
    )


def _query(request: HttpRequest, **changes: str) -> str:
    params = request.GET.copy()
    for key in ("apres", *changes):
        params.pop(key, None)
    for key, value in changes.items():
        if value:
            params[key] = value
    return params.urlencode()


@require_GET
def agenda_list(request: HttpRequest) -> HttpResponse:
    """Upcoming meetings soonest first (or past ones, latest first), a page at a time."""
    form, filters = _filters(request)
    past = request.GET.get("quand") == "passees"
    try:
        page = selectors.agenda_page(request.user, filters, cursor=request.GET.get("apres"), past=past)
    except InvalidCursor:
        messages.info(request, _("Ce lien de page n'est plus valable : voici le début de l'agenda."))
        page = selectors.agenda_page(request.user, filters, cursor=None, past=past)
    context = {
        "form": form,
        "page": page,
        "past": past,
        "view": "list",
        "next_query": _query(request, apres=page.next_cursor or "") if page.next_cursor else "",
        "feed_url": _territory_feed(filters),
    }
    return render(request, "meetings/agenda_list.html", context)


def _territory_feed(filters: selectors.AgendaFilters) -> str:
    from django.urls import reverse

    if filters.territory is not None:
        return reverse("agenda:territory_feed", kwargs={"slug": filters.territory.slug})
    return reverse("agenda:feed")


@require_GET
def agenda_month(request: HttpRequest) -> HttpResponse:
    """The month grid: each day with its first meetings and a link to the day's list."""
    form, filters = _filters(request)
    today = timezone.localdate()
    year, month = month_of(request.GET.get("mois"), today)
    first = datetime.date(year, month, 1)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    context = {
        "form": form,
        "weeks": selectors.month_grid(request.user, filters, year, month),
        "month": first,
        "month_label": date_format(first, "YEAR_MONTH_FORMAT"),
        "today": today,
        "view": "month",
        "previous_query": _query(request, mois=previous.strftime("%Y-%m")),
        "next_query": _query(request, mois=following.strftime("%Y-%m")),
        "day_query": _query(request, jour="", mois=""),
        "feed_url": _territory_feed(filters),
    }
    return render(request, "meetings/agenda_month.html", context)


@require_GET
def agenda_map(request: HttpRequest) -> HttpResponse:
    """Upcoming meetings on a map, with the same meetings listed beneath (the page works without JavaScript)."""
    form, filters = _filters(request)
    context = {
        "form": form,
        "meetings": selectors.map_points(request.user, filters),
        "map": map_config(),
        "view": "map",
        "geojson_query": _query(request),
        "feed_url": _territory_feed(filters),
    }
    return render(request, "meetings/agenda_map.html", context)


@require_GET
def agenda_geojson(request: HttpRequest) -> JsonResponse:
    _form, filters = _filters(request)
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [m.longitude, m.latitude]},
            "properties": {
                "title": m.title,
                "url": m.get_absolute_url(),
                "when": timezone.localtime(m.start).strftime("%d/%m/%Y %H:%M"),
                "place": m.place_name or m.address,
            },
        }
        for m in selectors.map_points(request.user, filters)
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})


def _build(meetings: list[Meeting], name: str) -> bytes:
    return ical.calendar(meetings, name=name)


def _feed(scope: str) -> bytes:
    """The body of the public feed ``scope`` as kept (``feeds``: the previous one while a fresh one is built)."""
    body = feeds.body(scope)
    if body is None:  # deleted between the view's look-up and the build
        raise Http404
    return body


def _calendar_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=CALENDAR)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=900"
    return response


def _refusal(message: str, status: int) -> HttpResponse:
    """A feed refused: calendar applications show little, so the reason is plain text a person can read."""
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


@require_GET
def organisation_feed(request: HttpRequest) -> HttpResponse:
    """/agenda.ics: the meetings of every public space (the same feed for everyone)."""
    body = _feed("organisation")
    return _calendar_response(body, "agenda.ics")


@require_GET
def space_feed(request: HttpRequest, slug: str) -> HttpResponse:
    """The meetings of one space. A private space has no public feed: its members read its agenda signed in (a
    calendar application cannot sign in), and anyone else gets a reason, not its meetings."""
    space = Space.objects.filter(slug=slug).exclude(status=Space.Status.DRAFT).first()
    if space is None:
        return _refusal(_("Aucune démarche publiée n'a cette adresse."), 404)
    name = _("Agenda — %(title)s") % {"title": space.title}
    if space.visibility != Space.Visibility.PUBLIC:
        if not request.user.has_perm("spaces.view_space", space):
            return _refusal(
                _(
                    "Cette démarche est réservée à ses membres : son agenda n'est pas publié en flux iCalendar. "
                    "Ses membres le consultent en se connectant."
                ),
                403,
            )
        meetings = selectors.feed_meetings(selectors.meetings_visible_to(request.user).filter(module__space=space))
        response = _calendar_response(_build(meetings, name), f"agenda-{space.slug}.ics")
        response["Cache-Control"] = "private, no-store"
        return response
    body = _feed(f"space:{space.pk}")
    return _calendar_response(body, f"agenda-{space.slug}.ics")


@require_GET
def territory_feed(request: HttpRequest, slug: str) -> HttpResponse:
    """The public meetings held in a territory and everything in it (a quartier of a commune…)."""
    territory = Territory.objects.filter(slug=slug).first()
    if territory is None:
        return _refusal(_("Aucun territoire n'a cet identifiant."), 404)
    body = _feed(f"territory:{territory.pk}")
    return _calendar_response(body, f"agenda-{slug}.ics")
