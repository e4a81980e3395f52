"""The budget ballot, registered with the ballot service (``participe.ballots.schemas``) under ``budgets.envelope``.

Content of a valid ballot (project ids are the projects' primary keys; only the envelope's projects on the ballot):

- approval kinds: ``{"projects": [id, …]}`` — within the envelope's amount (``budget``: the total cost of the chosen
  projects may not exceed it), at most ``max_choices`` projects (``max``), exactly ``max_choices`` (``k``);
- cumulative points: ``{"points": {"<id>": n, …}}`` — at most ``points`` in all, at most ``max_points_per_project``
  each, at least one point given;
- ranking: ``{"ranking": [id, …]}`` best first, at most ``max_choices`` projects; the first gets the first number of
  ``rank_points`` (3, 2, 1…).

Paper codes are the projects' numbers on the ballot (their order, 1, 2, 3…): ``1+4+7`` (approval), ``1:3+4:2+7:2``
(points), ``4>1>7`` (ranking, best first).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from participe.modules.budgets.models import Envelope, Project
from participe.verifications.models import Verification

SCHEMA_KEY = "budgets.envelope"
APPROVAL = (Envelope.BallotKind.BUDGET, Envelope.BallotKind.MAX, Envelope.BallotKind.K)


def money(amount: int | None) -> str:
    """An amount in euros as French readers write it: 12 500 €."""
    if amount is None:
        return ""
    return f"{amount:,}".replace(",", "\u202f") + "\xa0€"


def ballot_projects(envelope: Envelope) -> list[Project]:
    """The projects put to the vote in ``envelope``: found feasible, with their answer published, by number."""
    return list(
        Project.objects.filter(envelope=envelope, feasibility=Project.Feasibility.FEASIBLE, answered_at__isnull=False)
        .order_by("reference", "pk")
        .select_related("territory", "category")
    )


def envelope_of(election: Any) -> Envelope:
    """The envelope of an election with its projects on the ballot (kept on the election for the request)."""
    cached = election.__dict__.get("_budget_envelope")
    if cached is None:
        cached = Envelope.objects.get(election=election)
        cached.__dict__["_ballot_projects"] = ballot_projects(cached)
        election.__dict__["_budget_envelope"] = cached
    return cached  # type: ignore[no-any-return]


def projects_of(envelope: Envelope) -> list[Project]:
    known = envelope.__dict__.get("_ballot_projects")
    if known is None:
        known = envelope.__dict__["_ballot_projects"] = ballot_projects(envelope)
    return list(known)


def as_id(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def check(envelope: Envelope, content: Any) -> dict[str, Any]:
    """The ballot normalised, or ``ValidationError`` with the message a voter reads next to the ballot."""
    projects = {p.pk: p for p in projects_of(envelope)}
    if envelope.ballot_kind == Envelope.BallotKind.CUMULATIVE:
        return {"points": _checked_points(envelope, projects, content)}
    if envelope.ballot_kind == Envelope.BallotKind.RANKING:
        return {"ranking": _checked_ranking(envelope, projects, content)}
    return {"projects": _checked_approval(envelope, projects, content)}


def _chosen(projects: dict[int, Project], raw: Any, field: str) -> list[int]:
    if not isinstance(raw, list) or not raw:
        raise ValidationError({field: [_("Choisissez au moins un projet.")]})
    chosen = [as_id(v) for v in raw]
    if any(c is None or c not in projects for c in chosen):
        raise ValidationError({field: [_("Un des projets choisis n'est pas soumis au vote dans cette enveloppe.")]})
    if len(set(chosen)) != len(chosen):
        raise ValidationError({field: [_("Un même projet est choisi deux fois.")]})
    return [c for c in chosen if c is not None]


def _checked_approval(envelope: Envelope, projects: dict[int, Project], content: Any) -> list[int]:
    chosen = _chosen(projects, content.get("projects") if isinstance(content, dict) else None, "projects")
    kind, limit = envelope.ballot_kind, envelope.max_choices
    if kind == Envelope.BallotKind.BUDGET:
        total = sum(projects[c].estimated_cost for c in chosen)
        if total > envelope.amount:
            raise ValidationError(
                {
                    "projects": [
                        _(
                            "Les projets choisis coûtent %(total)s, plus que l'enveloppe (%(amount)s) : "
                            "retirez-en pour %(over)s au moins."
                        )
                        % {
                            "total": money(total),
                            "amount": money(envelope.amount),
                            "over": money(total - envelope.amount),
                        }
                    ]
                }
            )
    elif kind == Envelope.BallotKind.MAX and limit and len(chosen) > limit:
        raise ValidationError(
            {
                "projects": [
                    _("Choisissez au plus %(max)s projets (vous en avez choisi %(n)s).")
                    % {"max": limit, "n": len(chosen)}
                ]
            }
        )
    elif kind == Envelope.BallotKind.K and limit and len(chosen) != limit:
        raise ValidationError(
            {
                "projects": [
                    _("Choisissez exactement %(k)s projets (vous en avez choisi %(n)s).")
                    % {"k": limit, "n": len(chosen)}
                ]
            }
        )
    return sorted(chosen)


def _checked_points(envelope: Envelope, projects: dict[int, Project], content: Any) -> dict[str, int]:
    raw = content.get("points") if isinstance(content, dict) else None
    if not isinstance(raw, dict):
        raise ValidationError({"points": [_("Répartissez vos points entre les projets.")]})
    given: dict[int, int] = {}
    for key, value in raw.items():
        project, points = as_id(key), as_id(value) if value not in (None, "") else 0
        if project is None or project not in projects:
            raise ValidationError(
                {"points": [_("Un des projets notés n'est pas soumis au vote dans cette enveloppe.")]}
            )
        if points is None or points < 0:
            raise ValidationError({"points": [_("Un nombre de points est un nombre entier positif.")]})
        if points > envelope.max_points_per_project:
            raise ValidationError(
                {
                    "points": [
                        _("Donnez au plus %(max)s points à un projet (« %(title)s » en a %(n)s).")
                        % {"max": envelope.max_points_per_project, "title": projects[project].title, "n": points}
                    ]
                }
            )
        if points:
            given[project] = points
    total = sum(given.values())
    if not total:
        raise ValidationError({"points": [_("Donnez au moins un point à un projet.")]})
    if total > envelope.points:
        raise ValidationError(
            {"points": [_("Vous avez %(max)s points à répartir, pas %(n)s.") % {"max": envelope.points, "n": total}]}
        )
    return {str(p): given[p] for p in sorted(given)}


def _checked_ranking(envelope: Envelope, projects: dict[int, Project], content: Any) -> list[int]:
    if isinstance(content, dict) and isinstance(content.get("ranks"), dict):
        ranks = {k: as_id(v) for k, v in content["ranks"].items() if v not in (None, "", 0, "0")}
        if any(r is None or r < 1 for r in ranks.values()):
            raise ValidationError({"ranking": [_("Un rang est un nombre entier à partir de 1.")]})
        tied = sorted(r for r, n in Counter(ranks.values()).items() if n > 1 and r is not None)
        if tied:
            raise ValidationError({"ranking": [_("Deux projets ont le même rang (%(rank)s).") % {"rank": tied[0]}]})
        missing = [r for r in range(1, len(ranks) + 1) if r not in ranks.values()]
        if missing:
            raise ValidationError(
                {"ranking": [_("Le classement a un trou : le rang %(rank)s manque.") % {"rank": missing[0]}]}
            )
        content = {"ranking": [k for k, _r in sorted(ranks.items(), key=lambda item: item[1] or 0)]}
    ranking = _chosen(projects, content.get("ranking") if isinstance(content, dict) else None, "ranking")
    limit = min(envelope.max_choices or len(envelope.rank_points_list), len(envelope.rank_points_list))
    if len(ranking) > limit:
        raise ValidationError(
            {
                "ranking": [
                    _("Classez au plus %(max)s projets (vous en avez classé %(n)s).")
                    % {"max": limit, "n": len(ranking)}
                ]
            }
        )
    return ranking


def points_of(envelope: Envelope, content: dict[str, Any]) -> dict[int, int]:
    """What a valid ballot gives each project: 1 (approval), its points (cumulative), its rank's points (ranking)."""
    if "points" in content:
        return {int(k): int(v) for k, v in content["points"].items()}
    if "ranking" in content:
        scale = envelope.rank_points_list
        return {int(p): scale[n] for n, p in enumerate(content["ranking"]) if n < len(scale)}
    return {int(p): 1 for p in content.get("projects", [])}


def spent(envelope: Envelope, content: dict[str, Any]) -> int:
    costs = {p.pk: p.estimated_cost for p in projects_of(envelope)}
    return sum(costs.get(p, 0) for p in points_of(envelope, content))


class EnvelopeSchema:
    """Validates, reads from paper, shows and counts the ballots of a budget envelope."""

    def describe(self, election: Any) -> dict[str, Any]:
        envelope = envelope_of(election)
        return {
            "module": "budgets",
            "kind": envelope.ballot_kind,
            "method": "points",
            "budget": envelope.amount,
            "max": envelope.max_choices,
            "points": envelope.points if envelope.ballot_kind == Envelope.BallotKind.CUMULATIVE else None,
            "rank_points": envelope.rank_points_list if envelope.ballot_kind == Envelope.BallotKind.RANKING else None,
            "projects": [
                {"id": p.pk, "code": str(n), "title": p.title, "cost": p.estimated_cost}
                for n, p in enumerate(projects_of(envelope), start=1)
            ],
        }

    def validate(self, election: Any, content: Any) -> dict[str, Any]:
        return check(envelope_of(election), content)

    def parse_paper(self, election: Any, code: str) -> dict[str, Any]:
        envelope = envelope_of(election)
        by_code = {str(n): p.pk for n, p in enumerate(projects_of(envelope), start=1)}
        code = code.strip()
        if envelope.ballot_kind == Envelope.BallotKind.RANKING:
            parts = [p for p in re.split(r"\s*>\s*", code) if p]
            return check(envelope, {"ranking": [by_code.get(p, p) for p in parts]})
        parts = [p for p in re.split(r"[\s+,;]+", code) if p]
        if envelope.ballot_kind == Envelope.BallotKind.CUMULATIVE:
            points: dict[str, Any] = {}
            for part in parts:
                number, _sep, value = part.partition(":")
                points[str(by_code.get(number, number))] = value or "1"
            return check(envelope, {"points": points})
        return check(envelope, {"projects": [by_code.get(p, p) for p in parts]})

    def paper_legend(self, election: Any) -> list[tuple[str, str]]:
        return [
            (str(n), f"{p.title} ({p.estimated_cost} €)")
            for n, p in enumerate(projects_of(envelope_of(election)), start=1)
        ]

    def display(self, election: Any, content: dict[str, Any]) -> str:
        envelope = envelope_of(election)
        titles = {p.pk: p.title for p in projects_of(envelope)}
        if "points" in content:
            return ", ".join(f"{titles.get(int(k), '?')} : {v} pt" for k, v in content["points"].items())
        if "ranking" in content:
            return ", ".join(f"{n}. {titles.get(i, '?')}" for n, i in enumerate(content["ranking"], start=1))
        return ", ".join(titles.get(i, "?") for i in content.get("projects", []))

    def refusal(self, election: Any, user: Any) -> str | None:
        """An envelope of a quartier admits the residents of that quartier (their verified place of residence,
        else the one on their account)."""
        if envelope_of(election).territory is None:
            return None
        verified = Verification.objects.active().filter(user=user, territory__isnull=False)
        places: set[Any] = set(verified.values_list("territory", flat=True)) or {getattr(user, "territory_id", None)}
        return self.place_refusal(election, places)

    def place_refusal(self, election: Any, places: set[Any]) -> str | None:
        """The same rule for a person an agent found at a polling station (in the census, on documents): one of
        ``places`` (territory ids) must be in the envelope's quartier. One message, online and on paper."""
        territory = envelope_of(election).territory
        if territory is None or places & territory.descendant_ids():
            return None
        return _("Cette enveloppe est réservée aux habitants du territoire « %(territory)s ».") % {
            "territory": territory.name
        }

    def counter(self, election: Any) -> ProjectCount:
        return ProjectCount(envelope_of(election))


class ProjectCount:
    """Votes (ballots naming a project) and points per project, over the valid ballots."""

    def __init__(self, envelope: Envelope) -> None:
        self.envelope = envelope
        self.votes: Counter[int] = Counter()
        self.points: Counter[int] = Counter()
        self.ballots = 0

    def add(self, content: dict[str, Any], count: int = 1) -> None:
        self.ballots += count
        for project, points in points_of(self.envelope, content).items():
            self.votes[project] += count
            self.points[project] += points * count

    def result(self) -> dict[str, Any]:
        return {
            "valid": self.ballots,
            "projects": [
                {
                    "id": p.pk,
                    "title": p.title,
                    "cost": p.estimated_cost,
                    "votes": self.votes.get(p.pk, 0),
                    "points": self.points.get(p.pk, 0),
                }
                for p in projects_of(self.envelope)
            ],
        }
