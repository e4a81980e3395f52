"""Tallying an envelope once its election is counted (the tally engine, ``participe.modules.budgets.tally``), with
the comparison with greedy, and publishing the results."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from participe.activity.services import audit
from participe.ballots.models import Ballot, Kind
from participe.modules.budgets.models import Envelope, ImportedBallot, Project
from participe.modules.budgets.schema import envelope_of, points_of, projects_of
from participe.modules.budgets.tally import model
from participe.modules.budgets.tally.rules import tally
from participe.notifications.services import notify
from participe.permissions.refusals import require

PERM = "budgets.manage_budget"
RESULTS_EVENT = "budgets.results"
VOTE_TYPES: dict[str, str] = {
    Envelope.BallotKind.CUMULATIVE: "cumulative",
    Envelope.BallotKind.RANKING: "ordinal",
}


def tally_election(envelope: Envelope) -> model.Election:
    """The envelope's counted ballots as the tally engine's election: each distinct valid ballot once, with the
    number of voters who cast it (grouped by the database); an imported envelope's, those of its file."""
    if envelope.is_imported:
        return imported_election(envelope)
    election = envelope.election
    envelope = envelope_of(election)
    projects = [
        model.Project(str(p.pk), p.estimated_cost, p.title, p.category.name if p.category else None)
        for p in projects_of(envelope)
    ]
    ballots: Counter[model.Ballot] = Counter()
    rows = Ballot.objects.filter(election=election, kind=Kind.VALID).values("content").annotate(n=Count("pk"))
    for row in rows:
        points = points_of(envelope, row["content"])
        ballots[tuple(sorted((str(p), v) for p, v in points.items()))] += row["n"]
    return model.Election(
        budget=envelope.amount,
        projects=projects,
        ballots=ballots,
        vote_type=VOTE_TYPES.get(envelope.ballot_kind, "approval"),  # type: ignore[arg-type]
        meta={"min_project_score_threshold": str(envelope.threshold)},
        floors=floors_of(envelope),
    )


def floors_of(envelope: Envelope) -> dict[str, int]:
    """Each category's minimum share as an amount: the least its funded projects must cost, rounded up to the euro."""
    return {
        category.name: -(-category.min_share * envelope.amount // 100)
        for category in envelope.categories.all()
        if category.min_share
    }


def imported_election(envelope: Envelope) -> model.Election:
    """The imported envelope's election as the tally engine reads its file: the file's project ids, its ballots."""
    projects = list(envelope.projects.select_related("category").order_by("pk"))
    ids = {str(p.pk): p.source_id for p in projects}
    ballots: dict[model.Ballot, int] = {}
    for row in ImportedBallot.objects.filter(envelope=envelope).values_list("points", "voters").iterator(5000):
        ballot = tuple(sorted((ids[pk], int(points)) for pk, points in row[0].items()))
        ballots[ballot] = ballots.get(ballot, 0) + row[1]
    return model.Election(
        budget=envelope.amount,
        projects=[
            model.Project(p.source_id, p.estimated_cost, p.title, p.category.name if p.category else None)
            for p in projects
        ],
        ballots=Counter(ballots),
        vote_type=VOTE_TYPES.get(envelope.ballot_kind, "approval"),  # type: ignore[arg-type]
        meta={"min_project_score_threshold": str(envelope.threshold)},
        floors=floors_of(envelope),
    )


def run(envelope: Envelope, rule: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The outcome of ``rule`` (with its explanations, the voters' satisfaction and the comparison with greedy) and
    greedy's outcome, JSON-ready (exact fractions as "p/q" strings)."""
    election = tally_election(envelope)
    seed = envelope.tie_break_seed or None
    try:
        chosen = tally(election, rule, threshold=envelope.threshold, tie_break_seed=seed)
    except NotImplementedError:
        raise ValidationError({"rule": _("Cette règle n'est pas encore disponible sur cette plateforme.")}) from None
    greedy = chosen if rule == "greedy" else tally(election, "greedy", tie_break_seed=seed, analyse=False)
    stored: dict[str, Any] = {"voters": election.voters, "seed": envelope.tie_break_seed}
    if envelope.is_imported:  # the file's project ids back to the projects' keys; the counts the ballots give
        pks = {p.source_id: str(p.pk) for p in Project.objects.filter(envelope=envelope).only("pk", "source_id")}
        chosen, greedy = rekey(chosen, pks), rekey(greedy, pks)
        stored["counts"] = _counts(election, pks)
    return chosen.to_json() | stored, greedy.to_json()


def rekey(outcome: model.Outcome, keys: dict[str, str]) -> model.Outcome:
    """The outcome with its project ids replaced by ``keys`` (an imported file's ids by the projects' keys)."""

    def key(project_id: str) -> str:
        return keys.get(project_id, project_id)

    details = dict(outcome.details)
    for name in ("completion", "without_floors"):
        if name in details:
            details[name] = [key(p) for p in details[name]]  # type: ignore[attr-defined]
    if details.get("stopped_by"):
        details["stopped_by"] = key(str(details["stopped_by"]))
    if isinstance(details.get("greedy"), dict):
        compared: dict[str, Any] = dict(cast(dict[str, Any], details["greedy"]))
        for name in ("only_rule", "only_greedy"):
            compared[name] = [key(p) for p in compared.get(name, [])]
        details["greedy"] = compared
    if "floors" in details:
        details["floors"] = [
            report | {"projects": [key(p) for p in report["projects"]]}
            for report in details["floors"]  # type: ignore[attr-defined]
        ]
    explanations = {key(p): replace(e, project_id=key(p)) for p, e in outcome.explanations.items()}
    return replace(outcome, selected=[key(p) for p in outcome.selected], explanations=explanations, details=details)


def _counts(election: model.Election, keys: dict[str, str]) -> dict[str, dict[str, int]]:
    """Votes (ballots naming it) and points per project, over the grouped ballots."""
    counts = {keys[p.id]: {"votes": 0, "points": 0} for p in election.projects}
    for ballot, voters in election.ballots.items():
        for project_id, points in ballot:
            counts[keys[project_id]]["votes"] += voters
            counts[keys[project_id]]["points"] += points * voters
    return counts


@transaction.atomic
def envelope_tally(*, actor: Any, envelope: Envelope, rule: str | None = None) -> Envelope:
    """Compute the outcome of the envelope's counted election with its rule (or ``rule``, which becomes its rule),
    and greedy's for comparison. Refused once the results are published."""
    require(actor, PERM, envelope.module)
    envelope = Envelope.objects.select_for_update(of=("self",)).select_related("election", "module").get(pk=envelope.pk)
    if not envelope.is_imported and (envelope.election is None or not envelope.election.is_counted):
        raise ValidationError(_("On calcule le résultat après le dépouillement du scrutin."))
    if envelope.published_at is not None:
        raise ValidationError(_("Les résultats sont publiés : ils ne changent plus."))
    if rule:
        if rule not in Envelope.Rule.values:
            raise ValidationError({"rule": _("Cette règle de dépouillement n'existe pas.")})
        envelope.rule = rule
    chosen, greedy = run(envelope, envelope.rule)
    envelope.outcome = chosen | {"greedy": greedy}
    envelope.tallied_at = timezone.now()
    envelope.save(update_fields=["rule", "outcome", "tallied_at", "updated_at"])
    audit(
        actor=actor,
        action="budgets.envelope_tally",
        target=envelope.module,
        after={"envelope": envelope.title, "rule": envelope.rule, "selected": chosen["selected"]},
    )
    return envelope


@transaction.atomic
def results_publish(*, actor: Any, envelope: Envelope) -> Envelope:
    """Publish the tallied results of the envelope; the budget's followers are told."""
    require(actor, PERM, envelope.module)
    envelope = Envelope.objects.select_for_update().select_related("module").get(pk=envelope.pk)
    if not envelope.tallied_at:
        raise ValidationError(_("Calculez d'abord le résultat avec la règle choisie."))
    if envelope.published_at is not None:
        raise ValidationError(_("Les résultats sont déjà publiés."))
    envelope.published_at = timezone.now()
    envelope.save(update_fields=["published_at", "updated_at"])
    audit(actor=actor, action="budgets.results_publish", target=envelope.module, after={"envelope": envelope.title})
    notify(event=RESULTS_EVENT, target=envelope.module, actor=actor)
    return envelope
