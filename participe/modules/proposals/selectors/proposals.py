"""Reads of the proposals module: the public list (filters, sorts, keyset pages), the map feed, a proposal's page.

The contract other parts of the module rely on (API, exports):

- ``Filters.from_query(request.GET)`` parses the public GET parameters (French names: ``q``, ``theme``,
  ``territoire``, ``statut``, ``mes``, ``tri``, ``apres``, ``graine``, ``zone``) into a ``Filters``; a bad value is
  dropped and explained in ``filters.errors`` (field name → French message), the rest still applies.
- ``public_proposals(module, user, filters)`` is the filtered queryset (not ordered, not paginated);
- ``proposals_page(qs, filters)`` is one keyset page of it in the order of ``filters.sort``;
- ``map_features(qs)`` is the same set as a GeoJSON ``FeatureCollection`` (located proposals only).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    FloatField,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext as _

from participe.core.models import ModerationStatus
from participe.core.pagination import cursor_of, decode_cursor, encode_cursor, keyset_paginate
from participe.modules.proposals.models import Proposal, StatusChange
from participe.organisation.models import Territory, Theme
from participe.search.matching import matching_ids, similar_titles
from participe.spaces.models import Module
from participe.spaces.predicates import is_authenticated

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAP_LIMIT = 1000  # features in one map feed; beyond it the feed says it is truncated (refine the filters)
DENSE_ZONE = 8 * MAP_LIMIT  # a zone holding this many located proposals is read in the order's index (_in_zone)
COUNT_LIMIT = 1000  # counts stop here ("plus de 1 000 propositions")
SEED_MAX = 2**31 - 1  # ``shuffle`` and the visitor's seed live in [0, SEED_MAX)
MAX_QUERY_LENGTH = 200
SIMILAR_LIMIT = 5
URL_SENTINEL = 987654321  # replaced by each proposal's id in the map feed's addresses

# Public values of ``tri`` → internal sort names.
SORTS = {"aleatoire": "random", "recentes": "recent", "soutenues": "supported", "commentees": "commented"}
SORT_PARAMS = {value: key for key, value in SORTS.items()}
# Public values of ``statut`` → internal status filters.
STATUSES = {
    "sans-reponse": "none",
    "seuil-atteint": "retained",
    "en-analyse": Proposal.AnswerStatus.ANALYSIS.value,
    "retenue": Proposal.AnswerStatus.SELECTED.value,
    "non-retenue": Proposal.AnswerStatus.REJECTED.value,
    "realisee": Proposal.AnswerStatus.DONE.value,
    "retiree": "withdrawn",
}
STATUS_PARAMS = {value: key for key, value in STATUSES.items()}


def sort_choices() -> list[tuple[str, str]]:
    """(public value, label) of the sorts, in the order the page offers them."""
    return [
        ("aleatoire", _("Au hasard")),
        ("recentes", _("Les plus récentes")),
        ("soutenues", _("Les plus soutenues")),
        ("commentees", _("Les plus commentées")),
    ]


def status_choices() -> list[tuple[str, str]]:
    """(public value, label) of the status filter."""
    return [
        ("sans-reponse", _("Sans réponse de la collectivité")),
        ("seuil-atteint", _("Retenues pour analyse (seuil de soutiens atteint)")),
        ("en-analyse", _("En analyse")),
        ("retenue", _("Retenues")),
        ("non-retenue", _("Non retenues")),
        ("realisee", _("Réalisées")),
        ("retiree", _("Retirées par leur auteur")),
    ]


def new_seed() -> int:
    """A visitor's seed for the random order (kept in their session so the order stays the same for them)."""
    return secrets.randbelow(SEED_MAX)


def new_shuffle() -> int:
    """The random key of a new proposal: the base of the random order."""
    return secrets.randbelow(SEED_MAX)


@dataclass(frozen=True)
class Filters:
    """What the visitor asked for. Internal values are English (``sort="supported"``, ``status="analysis"``)."""

    q: str = ""
    theme: Theme | None = None
    territory: Territory | None = None
    status: str = ""  # "", "none", "retained", an answer status, "withdrawn"
    mine: bool = False
    sort: str = "random"  # "random", "recent", "supported", "commented"
    cursor: str | None = None
    seed: int | None = None  # for the random order; the view takes it from the session
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north (map only)
    located: bool = False  # only proposals placed on the map
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_query(cls, query: Mapping[str, Any], *, default_sort: str = "random") -> Filters:
        """Parse GET parameters; each bad value is dropped and explained in ``errors`` (keyed by parameter)."""
        errors: dict[str, str] = {}
        q = " ".join(str(query.get("q") or "").split())[:MAX_QUERY_LENGTH]
        theme = _theme(str(query.get("theme") or ""), errors)
        territory = _territory(str(query.get("territoire") or ""), errors)
        status = _choice(
            query, "statut", STATUSES, errors, _("Ce statut n'existe pas : tous les statuts sont montrés.")
        )
        sort = _choice(query, "tri", SORTS, errors, _("Cet ordre n'existe pas : l'ordre par défaut est appliqué."))
        mine = str(query.get("mes") or "") in {"1", "on", "oui", "true"}
        seed = _seed(str(query.get("graine") or ""), errors)
        # ``bbox`` (the API's name) is read as ``zone`` on the pages too: one validation, whichever name is sent.
        bbox = _bbox(str(query.get("zone") or query.get("bbox") or ""), errors)
        cursor = str(query.get("apres") or "") or None
        return cls(
            q=q,
            theme=theme,
            territory=territory,
            status=status,
            mine=mine,
            sort=sort or default_sort,
            cursor=cursor,
            seed=seed,
            bbox=bbox,
            errors=errors,
        )

    def to_query(self, *, cursor: str | None = None, sort: str | None = None) -> dict[str, str]:
        """The GET parameters that give these filters back (for links: next page, map, list, sorts)."""
        params: dict[str, str] = {}
        if self.q:
            params["q"] = self.q
        if self.theme is not None:
            params["theme"] = self.theme.slug
        if self.territory is not None:
            params["territoire"] = self.territory.slug
        if self.status:
            params["statut"] = STATUS_PARAMS[self.status]
        if self.mine:
            params["mes"] = "1"
        params["tri"] = SORT_PARAMS[sort or self.sort]
        if cursor:
            params["apres"] = cursor
        return params

    @property
    def is_filtered(self) -> bool:
        return bool(self.q or self.theme or self.territory or self.status or self.mine)

    def with_seed(self, seed: int) -> Filters:
        return replace(self, seed=seed)


def _choice(query: Mapping[str, Any], name: str, choices: dict[str, str], errors: dict[str, str], message: str) -> str:
    value = str(query.get(name) or "")
    if not value:
        return ""
    if value in choices:
        return choices[value]
    if value in choices.values():  # the internal value is accepted too (API clients)
        return value
    errors[name] = message
    return ""


def _theme(slug: str, errors: dict[str, str]) -> Theme | None:
    if not slug:
        return None
    theme = Theme.objects.filter(slug=slug).first()
    if theme is None:
        errors["theme"] = _("Ce thème n'existe pas : toutes les propositions sont montrées.")
    return theme


def _territory(slug: str, errors: dict[str, str]) -> Territory | None:
    if not slug:
        return None
    territory = Territory.objects.filter(slug=slug).first()
    if territory is None:
        errors["territoire"] = _("Ce territoire n'existe pas : toutes les propositions sont montrées.")
    return territory


def _seed(value: str, errors: dict[str, str]) -> int | None:
    if not value:
        return None
    if value.isdigit() and int(value) < SEED_MAX:
        return int(value)
    errors["graine"] = _("La graine de l'ordre au hasard doit être un nombre entier positif.")
    return None


def _bbox(value: str, errors: dict[str, str]) -> tuple[float, float, float, float] | None:
    if not value:
        return None
    try:
        west, south, east, north = (float(part) for part in value.split(","))
    except ValueError:
        errors["zone"] = _("La zone doit être donnée par quatre nombres : ouest, sud, est, nord.")
        return None
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        errors["zone"] = _("La zone sort des coordonnées possibles (longitudes de -180 à 180, latitudes de -90 à 90).")
        return None
    return west, south, east, north


# --- the public list ----------------------------------------------------------------------------------------
def can_moderate(user: Any, module: Module) -> bool:
    """Moderators and staff of the space see proposals hidden or waiting for moderation (with a mark)."""
    return bool(is_authenticated(user) and user.has_perm("moderation.moderate_content", module))


def public_proposals(module: Module, user: Any, filters: Filters | None = None) -> QuerySet[Proposal]:
    """The proposals of ``module`` a visitor sees in the list and on the map, filtered (unordered).

    Published proposals (withdrawn ones only with the "retirée" status filter) whose moderation status is
    published; their author, and the moderators of the space, also see the ones waiting for moderation or
    hidden (the page marks them). Drafts are never listed: their author finds them in "Mes brouillons".
    """
    filters = filters or Filters()
    status = Proposal.Status.WITHDRAWN if filters.status == "withdrawn" else Proposal.Status.PUBLISHED
    qs = Proposal.objects.filter(module=module, status=status)
    if not can_moderate(user, module):
        visible = Q(moderation_status=ModerationStatus.PUBLISHED)
        if is_authenticated(user):
            visible |= Q(author=user)
        qs = qs.filter(visible)
    if filters.mine:
        qs = qs.filter(author=user) if is_authenticated(user) else qs.none()
    if filters.theme is not None:
        qs = qs.filter(theme=filters.theme)
    if filters.territory is not None:
        qs = qs.filter(territory_id__in=filters.territory.descendant_ids())
    qs = _status_filtered(qs, filters.status)
    if filters.q:
        qs = _text_filtered(qs, module, filters.q)
    if filters.located or filters.bbox:
        qs = qs.filter(latitude__isnull=False, longitude__isnull=False)
    if filters.bbox:
        qs = _in_zone(qs, module, filters.bbox)
    return qs.select_related("theme", "territory", "author")


def _in_zone(qs: QuerySet[Proposal], module: Module, bbox: tuple[float, float, float, float]) -> QuerySet[Proposal]:
    """The proposals of ``qs`` inside the zone (west, south, east, north; west > east crosses the antimeridian).

    A zone with few proposals is read through the ``(module, latitude, longitude)`` index. On SQLite, in a dense
    one (``DENSE_ZONE`` proposals or more, counted on that index alone: about 1 ms), reading the order's own index
    and stopping after a page is cheaper than reading the whole zone and sorting it (a quartier of 13,000 located
    proposals at 100,000: 13 ms instead of 30): the latitude is then compared as a float, an expression no index
    serves, so that SQLite does not pick the zone's index. PostgreSQL, whose statistics see the zone, keeps its
    own plan (the same trick misleads its estimates into a parallel scan of the module).
    """
    west, south, east, north = bbox
    longitude = (
        Q(longitude__gte=west, longitude__lte=east) if west <= east else Q(longitude__gte=west) | Q(longitude__lte=east)
    )
    probe = Proposal.objects.filter(module=module, latitude__gte=south, latitude__lte=north).filter(longitude)
    if connection.vendor != "sqlite" or probe.order_by().values("pk")[:DENSE_ZONE].count() < DENSE_ZONE:
        return qs.filter(latitude__gte=south, latitude__lte=north).filter(longitude)
    return (
        qs.alias(_latitude=Cast("latitude", FloatField()))
        .filter(_latitude__gte=south, _latitude__lte=north)
        .filter(longitude)
    )


def _status_filtered(qs: QuerySet[Proposal], status: str) -> QuerySet[Proposal]:
    if status == "none":
        return qs.filter(answer_status=Proposal.AnswerStatus.NONE)
    if status == "retained":
        return qs.filter(retained_at__isnull=False)
    if status in Proposal.AnswerStatus.values and status:
        return qs.filter(answer_status=status)
    return qs


def _text_filtered(qs: QuerySet[Proposal], module: Module, query: str) -> QuerySet[Proposal]:
    """Proposals whose title, description, address or answer match ``query``, through the search index
    (accents, case and French plurals do not matter; "phrases", -exclusions and OR work as on the search page).

    The match runs once per request: the page and its count filter on its result (``matching_ids``)."""
    return matching_ids(Proposal, query, module=module).apply(qs)


def bounded_count(qs: QuerySet[Proposal]) -> tuple[int, bool]:
    """How many proposals ``qs`` holds, counted up to ``COUNT_LIMIT`` (True when there are more)."""
    count = qs.order_by().values("pk")[: COUNT_LIMIT + 1].count()
    return min(count, COUNT_LIMIT), count > COUNT_LIMIT


# --- keyset pages -------------------------------------------------------------------------------------------
@dataclass
class ProposalPage:
    items: list[Proposal]
    next_cursor: str | None
    sort: str
    seed: int | None = None

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None


# sort → (leading field, descending); every sort ends with the primary key in the same direction.
ORDERINGS: dict[str, tuple[str, bool]] = {
    "recent": ("published_at", True),
    "supported": ("supports_count", True),
    "commented": ("comments_count", True),
    "random": ("shuffle", False),
}
# The random order's cursor: the visitor's seed, whether the walk is in its second lap, then the last (shuffle, id).
RANDOM_CURSOR = (int, bool, int, int)


def proposals_page(
    qs: QuerySet[Proposal], filters: Filters, *, size: int = PAGE_SIZE, module: Module | None = None
) -> ProposalPage:
    """One page of ``qs`` in the order of ``filters.sort``, after ``filters.cursor`` (keyset: page 500 costs what
    page 1 costs, on the indexes ``(module, status, <sort field>, id)``). An invalid cursor starts from the top.

    The random order starts at the visitor's seed on the circle of ``shuffle`` values and goes round it once:
    each visitor gets another start, keeps it while browsing, and no proposal is favoured by its age. Its cursor
    holds the seed, so that following it continues the same order (the API gives no seed again).
    ``module`` (the list's module) is set on each item so that templates reach it without a query.
    """
    size = max(1, min(size, MAX_PAGE_SIZE))
    sort = filters.sort if filters.sort in ORDERINGS else "random"
    if sort == "random":
        page = _random_page(qs, filters, size)
    else:
        keyset = keyset_paginate(qs, ordering=_ordering(sort), cursor=filters.cursor, size=size, nulls=False)
        page = ProposalPage(items=keyset.items, next_cursor=keyset.next_cursor, sort=sort)
    if module is not None:
        for item in page.items:
            item.module = module
    return page


def _ordering(sort: str) -> tuple[str, str]:
    """Descending by the sort's field then id: the order of the module's indexes, read backwards. Published
    proposals have their date: no NULL to place (``nulls=False``)."""
    name, _descending = ORDERINGS[sort]
    return (f"-{name}", "-pk")


def cursor_after(proposal: Proposal, sort: str, *, seed: int = 0, lap: int = 0) -> str:
    """The cursor of the page after ``proposal`` in the order ``sort`` (for the random order: in lap ``lap`` of
    the walk that starts at ``seed``), as the list gives it."""
    if sort == "random":
        return encode_cursor([seed, lap == 1, proposal.shuffle, proposal.pk], order="random")
    return cursor_of(proposal, _ordering(sort))


def _random_page(qs: QuerySet[Proposal], filters: Filters, size: int) -> ProposalPage:
    """Lap 0: ``shuffle >= seed`` ascending; lap 1: ``shuffle < seed`` ascending."""
    seed = filters.seed if filters.seed is not None else 0
    second_lap, shuffle, pk = False, None, None
    if filters.cursor:
        # InvalidCursor goes up: the API answers 400, the page shows the first page with a notice.
        seed, second_lap, shuffle, pk = decode_cursor(filters.cursor, order="random", types=RANDOM_CURSOR)
    found: list[tuple[int, Proposal]] = []
    start = 1 if second_lap else 0
    for lap in range(start, 2):
        part = qs.filter(shuffle__gte=seed) if lap == 0 else qs.filter(shuffle__lt=seed)
        if lap == start and shuffle is not None:
            part = part.filter(Q(shuffle__gte=shuffle) & (Q(shuffle__gt=shuffle) | Q(pk__gt=pk)))
        found.extend((lap, row) for row in part.order_by("shuffle", "pk")[: size + 1 - len(found)])
        if len(found) > size:
            last_lap, last = found[size - 1]
            items = [row for _lap, row in found[:size]]
            next_cursor = cursor_after(last, "random", seed=seed, lap=last_lap)
            return ProposalPage(items=items, next_cursor=next_cursor, sort="random", seed=seed)
    return ProposalPage(items=[row for _lap, row in found], next_cursor=None, sort="random", seed=seed)


# --- the map ------------------------------------------------------------------------------------------------
def map_features(qs: QuerySet[Proposal], module: Module, *, limit: int = MAP_LIMIT) -> dict[str, Any]:
    """The located proposals of ``qs`` (proposals of ``module``) as a GeoJSON FeatureCollection.

    One query on a few columns, coordinates read as floats (no model instances, no ``Decimal``). Each feature
    holds what the marker's popup shows: title, address of its page, supports, comments, the answer's label.
    Beyond ``limit`` features, the most supported are kept and ``truncated`` says so: the map then says "1 000
    propositions affichées sur plus de 1 000 ; affinez les filtres" (counting them exactly would cost as much as the
    feed: 25 to 50 ms at 100,000 proposals), and the list below it shows every proposal.
    """
    located = qs.filter(latitude__isnull=False, longitude__isnull=False).select_related(None)
    rows = list(
        located.order_by("-supports_count", "-pk").values_list(
            "pk",
            "title",
            Cast("latitude", FloatField()),
            Cast("longitude", FloatField()),
            "supports_count",
            "comments_count",
            "answer_status",
        )[: limit + 1]
    )
    truncated = len(rows) > limit
    url_pattern = reverse(
        "spaces:proposals:detail", kwargs={"slug": module.space.slug, "module_slug": module.slug, "pk": URL_SENTINEL}
    )
    head, tail = url_pattern.split(str(URL_SENTINEL))
    answers = {value: str(label) for value, label in Proposal.AnswerStatus.choices if value}
    features = [
        {
            "type": "Feature",
            "id": pk,
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {
                "title": title,
                "url": f"{head}{pk}{tail}",
                "supports": supports,
                "comments": comments,
                "answer": answers.get(answer, ""),
            },
        }
        for pk, title, lat, lon, supports, comments, answer in rows[:limit]
    ]
    return {"type": "FeatureCollection", "features": features, "truncated": truncated, "limit": limit}


# --- a proposal's page --------------------------------------------------------------------------------------
def proposal_for_page(*, space_slug: str, module_slug: str, pk: int) -> Proposal | None:
    """A proposal found from its public address (the space, the module and its id must agree).

    Its module, démarche and phases come with it: every request asks for them. Its author, theme and territory are
    read when shown — by the part of the page kept for every reader (decision 0046), rendered on a first read only —:
    joined here, they cost every request more to plan than to read (issue #12: about 1.5 ms of PostgreSQL's planning
    for three more outer joins at 2 M contributions)."""
    return (
        Proposal.objects.select_related("module__space")
        .prefetch_related("module__phases")
        .filter(pk=pk, module__slug=module_slug, module__space__slug=space_slug, module__module_type="proposals")
        .first()
    )


def history_of(proposal: Proposal) -> list[StatusChange]:
    """The public history of a proposal, oldest first."""
    return list(proposal.history.order_by("created_at", "pk"))


def drafts_of(user: Any, module: Module) -> list[Proposal]:
    """The user's drafts in ``module`` (never listed publicly), most recently changed first."""
    if not is_authenticated(user):
        return []
    return list(
        Proposal.objects.filter(module=module, author=user, status=Proposal.Status.DRAFT).order_by("-updated_at")[:50]
    )


# --- similar titles -----------------------------------------------------------------------------------------
def similar_proposals(
    module: Module, title: str, *, exclude_pk: int | None = None, limit: int = SIMILAR_LIMIT
) -> list[Proposal]:
    """Published proposals of ``module`` whose title shares words with ``title`` (to avoid duplicates), closest first.

    Candidates come from the search index (any significant word of the title, ``similar_titles``); they are
    ranked by the share of the typed title's words their own title contains, then by supports.
    """
    candidates = (
        Proposal.objects.filter(
            module=module, status=Proposal.Status.PUBLISHED, moderation_status=ModerationStatus.PUBLISHED
        )
        .exclude(pk=exclude_pk or 0)
        .only("pk", "title", "module_id", "supports_count", "comments_count", "answer_status")
    )
    scored = similar_titles(candidates, title, module=module)
    scored.sort(key=lambda item: (item[0], item[1].supports_count, item[1].pk), reverse=True)
    return [proposal for _share, proposal in scored[:limit]]


# --- figures ------------------------------------------------------------------------------------------------
def module_statistics(module: Module) -> dict[str, int]:
    """The figures of a proposals module (published proposals), for dashboards and reports."""
    published = Proposal.objects.filter(module=module, status=Proposal.Status.PUBLISHED)
    figures = published.aggregate(
        proposals=Count("pk"),
        supports=Sum("supports_count"),
        comments=Sum("comments_count"),
        located=Count("pk", filter=Q(latitude__isnull=False)),
        retained=Count("pk", filter=Q(retained_at__isnull=False)),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        selected=Count("pk", filter=Q(answer_status__in=["selected", "done"])),
    )
    return {key: int(value or 0) for key, value in figures.items()}
