"""Importing a Pabulib file (https://pabulib.org/format) as an envelope, for simulations and audits: its projects and
its ballots, grouped (decision 0027).

The file is read whole first and every bad line listed with its number. A broken structure (a section, a header, the
META's budget or vote type, a project line, amounts with decimals) is never imported; bad ballot lines (an unknown
project, a voter twice, a ballot over the META's limits…) are imported only when the agent confirms, without them.
Nothing is written otherwise. The ballots are the file's, kept by this module (``ImportedBallot``): nobody signed a
roll for them here, so they never enter the ballot service's box, and no vote opens on an imported envelope.
The envelope's tally is then the one ``manage.py budget_tally FILE.pb`` prints for the same file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from participe.activity.services import audit
from participe.modules.budgets.models import MAX_AMOUNT, Category, Envelope, ImportedBallot, Project
from participe.modules.budgets.services.projects import _locked_module, _next_reference
from participe.modules.budgets.tally import model, pabulib
from participe.modules.budgets.tally.rules import rule_of
from participe.permissions.refusals import require
from participe.spaces.models import Module

PERM = "budgets.manage_budget"
MAX_BYTES = 10 * 1024 * 1024  # Łódź 2022, 90,494 voters, is 3.7 MB; larger files go through the command
BATCH = 2000


@dataclass
class PabulibCheck:
    """A file read whole: its election (None when its structure is broken) and every bad line."""

    election: model.Election | None
    pb: pabulib.PabulibFile | None
    errors: list[pabulib.PabulibError] = field(default_factory=list)
    rule: str = ""

    @property
    def fatal(self) -> bool:
        """A broken structure or project: not importable, even without the bad lines."""
        return self.election is None or any(error.section != "VOTES" for error in self.errors)

    @property
    def lines(self) -> list[tuple[int | None, str]]:
        """(line, what is wrong) of each error, in the order of the file."""
        ordered = sorted(self.errors, key=lambda e: e.line or 0)
        return [(error.line, error.reason) for error in ordered]

    @property
    def voters(self) -> int:
        return self.election.voters if self.election else 0


class PabulibRefused(ValidationError):
    """The file has errors: ``check.lines`` lists them; ``check.fatal`` says whether confirming can import it."""

    def __init__(self, check: PabulibCheck) -> None:
        self.check = check
        super().__init__([f"ligne {line} : {reason}" if line else reason for line, reason in check.lines])


def _amount_errors(election: model.Election, pb: pabulib.PabulibFile) -> list[pabulib.PabulibError]:
    found = []
    if pabulib.AMOUNT_SCALE in election.meta:
        found.append(pabulib.PabulibError(_("montants avec des décimales : arrondissez-les à l'unité")))
    if not 1 <= election.budget <= MAX_AMOUNT:
        found.append(pabulib.PabulibError(_("le budget doit être compris entre 1 et 1 000 000 000")))
    at = pb.projects.column("project_id") or 0
    lines = dict(zip([row[at] for row in pb.projects.rows], pb.projects.lines, strict=True))
    for project in election.projects:
        line = lines.get(project.id)
        if project.cost < 1:
            found.append(pabulib.PabulibError(_("le projet %(id)s ne coûte rien") % {"id": project.id}, line))
        elif project.cost > election.budget:
            message = _("le projet %(id)s coûte plus que le budget") % {"id": project.id}
            found.append(pabulib.PabulibError(message, line))
    if not election.projects:
        found.append(pabulib.PabulibError(_("le fichier ne contient aucun projet")))
    return found


def pabulib_check(text: str) -> PabulibCheck:
    """Read ``text`` whole, listing every bad line (nothing is written)."""
    errors: list[pabulib.PabulibError] = []
    try:
        pb = pabulib.read(text + "\n", errors)  # with a newline, ``read`` never takes the text for a path
        election = pabulib.to_election(pb, errors)
        rule = rule_of(election.meta)
    except pabulib.PabulibError as error:
        return PabulibCheck(None, None, [*errors, error])
    except ValueError as error:  # a META rule the engine does not know
        return PabulibCheck(None, None, [*errors, pabulib.PabulibError(str(error))])
    errors.extend(_amount_errors(election, pb))
    return PabulibCheck(election, pb, errors, rule)


def _whole(meta: dict[str, str], key: str) -> int | None:
    value = meta.get(key, "").strip()
    return int(value) if value.isdigit() else None


def _ballot_settings(election: model.Election) -> dict[str, Any]:
    """The envelope's ballot kind and limits from the META (shown on its pages; the tally reads the file's points)."""
    meta = election.meta
    longest, shortest = _whole(meta, "max_length"), _whole(meta, "min_length")
    if election.vote_type in ("cumulative", "scoring"):
        points = min(_whole(meta, "max_sum_points") or 100, 100)
        return {
            "ballot_kind": Envelope.BallotKind.CUMULATIVE,
            "points": points,
            "max_points_per_project": min(_whole(meta, "max_points") or points, points),
        }
    if election.vote_type == "ordinal":
        ranks = longest or 3
        scoring = meta.get("scoring_fn", "").strip()
        return {
            "ballot_kind": Envelope.BallotKind.RANKING,
            "max_choices": ranks,
            "rank_points": scoring if scoring else ",".join(str(n) for n in range(ranks, 0, -1)),
        }
    if election.vote_type == "choose-1":
        return {"ballot_kind": Envelope.BallotKind.MAX, "max_choices": 1}
    if longest and shortest == longest:
        return {"ballot_kind": Envelope.BallotKind.K, "max_choices": longest}
    if longest:
        return {"ballot_kind": Envelope.BallotKind.MAX, "max_choices": longest}
    return {"ballot_kind": Envelope.BallotKind.BUDGET}


def _description(check: PabulibCheck, filename: str) -> str:
    meta = check.election.meta if check.election else {}
    said = [meta.get(key, "").strip() for key in ("description", "country", "unit", "subunit", "instance")]
    facts = _("Importée du fichier Pabulib « %(file)s » : %(voters)s votants, montants en %(currency)s.") % {
        "file": filename,
        "voters": check.voters,
        "currency": meta.get("currency", "").strip() or _("unités du fichier"),
    }
    return "".join(f"<p>{escape(text)}</p>" for text in [" — ".join(s for s in said if s), facts] if text)


def _coordinate(row: list[str], at: int | None, bound: int) -> Decimal | None:
    if at is None:
        return None
    try:
        value = Decimal(row[at].strip()).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        return None
    return value if abs(value) <= bound else None


def _projects(check: PabulibCheck, module: Module, envelope: Envelope) -> dict[str, Project]:
    assert check.election is not None and check.pb is not None
    table = check.pb.projects
    rows = {row[table.column("project_id") or 0]: row for row in table.rows}
    names = sorted({p.category[:100] for p in check.election.projects if p.category})
    categories = {c.name: c for c in Category.objects.bulk_create([Category(envelope=envelope, name=n) for n in names])}
    reference = _next_reference(module)
    now = timezone.now()
    built = []
    for n, source in enumerate(check.election.projects):
        row = rows[source.id]
        built.append(
            Project(
                module=module,
                envelope=envelope,
                reference=reference + n,
                title=(source.name.strip() or _("Projet %(id)s") % {"id": source.id})[:200],
                estimated_cost=source.cost,
                category=categories.get((source.category or "")[:100]),
                latitude=_coordinate(row, table.column("latitude"), 90),
                longitude=_coordinate(row, table.column("longitude"), 180),
                origin=Project.Origin.PABULIB,
                source_id=source.id[:100],
                feasibility=Project.Feasibility.FEASIBLE,
                answered_at=now,
            )
        )
    Project.objects.bulk_create(built, batch_size=BATCH)
    return {p.source_id: p for p in Project.objects.filter(envelope=envelope)}


def _ballots(check: PabulibCheck, envelope: Envelope, projects: dict[str, Project]) -> None:
    assert check.election is not None
    rows = (
        ImportedBallot(
            envelope=envelope,
            points={str(projects[pid].pk): points for pid, points in ballot},
            voters=count,
        )
        for ballot, count in check.election.ballots.items()
    )
    batch: list[ImportedBallot] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            ImportedBallot.objects.bulk_create(batch)
            batch = []
    ImportedBallot.objects.bulk_create(batch)


def envelope_import_pabulib(
    *, actor: Any, module: Module, text: str, filename: str, title: str = "", skip_bad_lines: bool = False
) -> Envelope:
    """A new envelope of ``module`` with the projects and the grouped ballots of a Pabulib file, its META's budget,
    ballot kind and rule. ``PabulibRefused`` (every bad line) and nothing written when the file has errors, unless
    they are all ballot lines and ``skip_bad_lines`` (the agent confirmed): the envelope is then made without them."""
    require(actor, PERM, module)
    check = pabulib_check(text)
    if check.fatal or (check.errors and not skip_bad_lines):
        raise PabulibRefused(check)
    assert check.election is not None
    meta = check.election.meta
    with transaction.atomic():
        locked = _locked_module(module)
        position = Envelope.objects.filter(module=locked).aggregate(n=Max("position"))["n"] or 0
        envelope = Envelope(
            module=locked,
            title=(title.strip() or meta.get("description", "").strip() or filename)[:200],
            description=_description(check, filename),
            amount=check.election.budget,
            rule=check.rule,
            threshold=_whole(meta, "min_project_score_threshold") or 0,
            imported_from=filename[:255],
            position=position + 1,
            **_ballot_settings(check.election),
        )
        envelope.full_clean(exclude=["module", "election"])
        envelope.save()
        _ballots(check, envelope, _projects(check, locked, envelope))
        audit(
            actor=actor,
            action="budgets.envelope_import",
            target=locked,
            after={
                "envelope": envelope.title,
                "file": filename,
                "projects": len(check.election.projects),
                "voters": check.voters,
                "skipped_lines": [line for line, _reason in check.lines],
            },
        )
    return envelope
