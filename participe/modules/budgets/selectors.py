"""Reads of the budgets module for its pages and its API."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from participe.modules.budgets.models import Envelope, Project
from participe.modules.budgets.schema import money
from participe.organisation.models import Territory
from participe.spaces.models import Module


def envelopes_of(module: Module) -> list[Envelope]:
    """The module's envelopes with their number of projects and of projects on the ballot."""
    return list(
        Envelope.objects.filter(module=module)
        .select_related("territory", "election")
        .prefetch_related("categories")
        .annotate(
            projects_count=Count("projects"),
            ballot_count=Count(
                "projects",
                filter=Q(projects__feasibility=Project.Feasibility.FEASIBLE, projects__answered_at__isnull=False),
            ),
        )
        .order_by("position", "pk")
    )


def projects_in(module: Module) -> QuerySet[Project]:
    return (
        Project.objects.filter(module=module)
        .select_related("envelope", "territory", "category")
        .order_by("envelope__position", "reference", "pk")
    )


def envelope_in(module: Module, pk: int) -> Envelope | None:
    return (
        Envelope.objects.filter(module=module, pk=pk).select_related("territory", "election", "module__space").first()
    )


def whole(value: Any) -> int | None:
    """An amount of the stored outcome (an integer, or an exact fraction written "p/q"), rounded up to the euro."""
    if value is None or value == "":
        return None
    if isinstance(value, dict):
        value = value.get("fraction", value.get("value"))
    amount = Fraction(str(value))
    return -(-amount.numerator // amount.denominator)


def explanation_text(entry: dict[str, Any], *, points: bool) -> str:
    """Why a project was funded or not, in a sentence (from the tally engine's explanation)."""
    reason = entry.get("reason")
    figures = {
        "score": entry.get("score", 0),
        "cost": money(whole(entry.get("cost"))),
        "left": money(whole(entry.get("budget_left"))),
        "round": entry.get("round") or "?",
    }
    figures["needed"] = money(whole(entry.get("needed")))
    unit = _("points") if points else _("voix")
    figures["unit"] = unit
    texts = {
        "selected": _("Financé : %(score)s %(unit)s, %(cost)s ; il restait %(left)s quand il a été retenu."),
        "not_enough_budget": _(
            "Non financé : avec %(score)s %(unit)s, son tour venu, il ne restait que %(left)s pour un coût de "
            "%(cost)s (il manquait %(needed)s)."
        ),
        "below_threshold": _("Non financé : %(score)s %(unit)s, moins que le seuil minimum fixé par le règlement."),
        "supporters_out_of_money": _(
            "Non financé : ses %(score)s %(unit)s viennent d'électeurs dont la part égale du budget était déjà "
            "dépensée pour d'autres projets qu'ils ont choisis ; ils ne pouvaient plus payer ses %(cost)s."
        ),
        "too_expensive_per_voter": _(
            "Non financé : pour ses %(cost)s, chacun de ses électeurs aurait dû payer plus que pour les projets "
            "retenus ; d'autres projets donnaient plus de satisfaction pour la même part du budget."
        ),
    }
    if entry.get("stage") == "floor":
        figures["category"] = entry.get("category") or ""
        texts["selected"] = _(
            "Financé : %(score)s %(unit)s, %(cost)s, au titre de la part minimale de la catégorie « %(category)s » ; "
            "la règle l'aurait retenu de toute façon."
        )
        texts["category_floor"] = _(
            "Financé grâce à la part minimale de la catégorie « %(category)s » : avec %(score)s %(unit)s, la règle "
            "seule ne l'aurait pas retenu ; il était le plus soutenu de sa catégorie parmi ceux qui restaient."
        )
    return texts.get(str(reason), _("Non financé : %(score)s %(unit)s.")) % figures


@dataclass
class FloorLine:
    """A category's minimum share on the results page: reached or not, and why not."""

    category: str
    share: int
    floor: int
    funded: int
    reached: bool
    text: str


def floor_lines(envelope: Envelope, outcome: dict[str, Any]) -> list[FloorLine]:
    shares = dict(envelope.categories.values_list("name", "min_share"))
    lines = []
    for report in (outcome.get("details") or {}).get("floors") or []:
        figures = {
            "floor": money(report["floor"]),
            "funded": money(report["funded"]),
            "available": money(report["available"]),
            "shortfall": money(report["shortfall"]),
        }
        if report["reached"]:
            text = _("Atteinte : ses projets financés coûtent %(funded)s pour un minimum de %(floor)s.") % figures
        elif report["reason"] == "not_enough_projects":
            text = (
                _(
                    "Impossible à atteindre : les projets de cette catégorie qui ont reçu des voix coûtent %(available)s "
                    "en tout, moins que le minimum de %(floor)s. Ceux qui tenaient dans l'enveloppe sont financés "
                    "(%(funded)s) ; il manque %(shortfall)s."
                )
                % figures
            )
        else:
            text = (
                _(
                    "Impossible à atteindre : les parts minimales des autres catégories ont laissé trop peu de budget "
                    "pour ses projets. Ceux qui tenaient sont financés (%(funded)s) ; il manque %(shortfall)s pour "
                    "atteindre %(floor)s."
                )
                % figures
            )
        name = report["category"]
        lines.append(FloorLine(name, shares.get(name, 0), report["floor"], report["funded"], report["reached"], text))
    return lines


@dataclass
class ProjectLine:
    project: Project
    votes: int
    points: int
    selected: bool
    selected_by_greedy: bool
    explanation: str


@dataclass
class Results:
    envelope: Envelope
    lines: list[ProjectLine]
    funded: list[ProjectLine]
    total_cost: int
    left: int
    voters: int
    by_channel: list[tuple[str, int]]
    by_territory: list[tuple[str, int]]
    differ: list[ProjectLine]
    with_one_funded: int | None  # the share of voters with at least one funded project, in %
    funded_per_voter: list[tuple[int, int]]  # (funded projects among those voted for, voters)
    floors: list[FloorLine] = field(default_factory=list)  # the categories' minimum shares
    by_floor: list[ProjectLine] = field(default_factory=list)  # the projects that got in because of one


def _analytics(outcome: dict[str, Any]) -> tuple[int | None, list[tuple[int, int]]]:
    found = (outcome.get("details") or {}).get("analytics") or {}
    share = found.get("share_with_one_funded")
    percent = round(100 * Fraction(str(share))) if share not in (None, "") else None
    per_voter = sorted((int(k), int(v)) for k, v in (found.get("funded_per_voter") or {}).items())
    return percent, per_voter


def _counts(envelope: Envelope) -> dict[int, dict[str, Any]]:
    if envelope.is_imported:  # no election: the counts of the file's ballots, stored with the outcome
        return {int(pk): count for pk, count in (envelope.outcome.get("counts") or {}).items()}
    election = envelope.election
    overall = (election.results or {}).get("overall", {}) if election else {}
    return {int(p["id"]): p for p in overall.get("projects", [])}


def _turnout(envelope: Envelope) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    election = envelope.election
    totals = election.totals if election else {}
    labels = {"online": _("En ligne"), "paper": _("Au bureau de vote")}
    by_channel = [(str(labels.get(c, c)), n) for c, n in (totals.get("by_channel") or {}).items()]
    places = (election.results or {}).get("by_territory", {}) if election else {}
    names = dict(Territory.objects.filter(pk__in=[int(k) for k in places if k.isdigit()]).values_list("pk", "name"))
    by_territory = [
        (names.get(int(k), _("Non précisé")) if k.isdigit() else _("Non précisé"), v.get("ballots", 0))
        for k, v in places.items()
    ]
    return by_channel, by_territory


def results(envelope: Envelope) -> Results | None:
    """The tallied outcome of the envelope, laid out for its results page (None before the tally)."""
    outcome = envelope.outcome or {}
    if not outcome.get("selected") and not outcome.get("explanations"):
        return None
    counts = _counts(envelope)
    selected = set(outcome.get("selected", []))
    greedy = set((outcome.get("greedy") or {}).get("selected", []))
    explanations = outcome.get("explanations", {})
    points = envelope.ballot_kind in (Envelope.BallotKind.CUMULATIVE, Envelope.BallotKind.RANKING)
    lines = []
    for project in Project.objects.filter(pk__in=[int(p) for p in explanations]).select_related("territory"):
        key = str(project.pk)
        count = counts.get(project.pk, {})
        lines.append(
            ProjectLine(
                project,
                count.get("votes", 0),
                count.get("points", 0),
                key in selected,
                key in greedy,
                explanation_text(explanations[key], points=points),
            )
        )
    lines.sort(key=lambda line: (not line.selected, -line.points, line.project.estimated_cost, line.project.pk))
    by_channel, by_territory = _turnout(envelope)
    total = int(outcome.get("total_cost", 0))
    return Results(
        envelope,
        lines,
        [line for line in lines if line.selected],
        total,
        envelope.amount - total,
        int(outcome.get("voters", 0)),
        by_channel,
        by_territory,
        [line for line in lines if line.selected != line.selected_by_greedy],
        *_analytics(outcome),
        floor_lines(envelope, outcome),
        [line for line in lines if explanations[str(line.project.pk)].get("reason") == "category_floor"],
    )


def project_result(project: Project) -> str:
    """Why the project was funded or not, once its envelope's results are published ('' before)."""
    envelope = project.envelope
    entry = (envelope.outcome or {}).get("explanations", {}).get(str(project.pk))
    if not envelope.is_published or entry is None:
        return ""
    points = envelope.ballot_kind in (Envelope.BallotKind.CUMULATIVE, Envelope.BallotKind.RANKING)
    return explanation_text(entry, points=points)
