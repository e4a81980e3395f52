"""Pabulib files in and out (https://pabulib.org/format): the open format of participatory-budgeting elections.

A file has three sections, each a ``;``-separated table after its title line: ``META`` (``key;value``), ``PROJECTS``
(``project_id;cost;…``) and ``VOTES`` (``voter_id;vote;…``, with ``points`` for cumulative and ordinal ballots).
``read`` keeps every column so that ``write(read(text)) == text`` up to the quoting; ``to_election`` turns the file
into the tally engine's grouped election; ``from_election`` goes back, for the open-data export of a closed vote.
A broken file raises ``PabulibError`` naming the line, and nothing is half-read.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path

from participe.modules.budgets.tally.model import Ballot, Election, Project, VoteType

SECTIONS = ("META", "PROJECTS", "VOTES")
AMOUNT_SCALE = "amount_scale"  # META key of an election whose amounts had decimals: the integer units per currency unit
VOTE_TYPES: tuple[VoteType, ...] = ("approval", "cumulative", "ordinal", "choose-1")
REQUIRED = {"META": ("key", "value"), "PROJECTS": ("project_id", "cost"), "VOTES": ("voter_id", "vote")}


class PabulibError(ValueError):
    """A broken Pabulib file: the message names the line (1-based) and what is wrong there."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.line = line
        super().__init__(f"ligne {line} : {message}" if line else message)


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # the file's line of each row, for error messages

    def column(self, name: str) -> int | None:
        return self.columns.index(name) if name in self.columns else None


@dataclass
class PabulibFile:
    meta: dict[str, str]
    projects: Table
    votes: Table
    meta_lines: dict[str, int] = field(default_factory=dict)  # the line of each META key, for error messages


def _split(line: str) -> list[str]:
    if '"' not in line:  # the common case, ten times faster than the csv module
        return line.split(";")
    return next(csv.reader([line], delimiter=";"))


def read(source: str | Path) -> PabulibFile:
    """Parse a Pabulib file (a path, or the text itself when it holds a newline)."""
    text = source if isinstance(source, str) and "\n" in source else Path(source).read_text(encoding="utf-8-sig")
    tables: dict[str, Table] = {}
    current: str | None = None
    expect_header = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.upper() in SECTIONS:
            current = line.upper()
            if current in tables:
                raise PabulibError(f"la section {current} apparaît deux fois", number)
            expect_header = True
            continue
        if current is None:
            raise PabulibError(f"« {line[:40]} » avant toute section (META, PROJECTS, VOTES attendues)", number)
        cells = [cell.strip() for cell in _split(raw)]
        if expect_header:
            _check_header(current, cells, number)
            tables[current] = Table([c.lower() for c in cells])
            expect_header = False
            continue
        table = tables[current]
        if len(cells) != len(table.columns):
            raise PabulibError(
                f"{len(cells)} champs au lieu de {len(table.columns)} ({';'.join(table.columns)}) en {current}", number
            )
        table.rows.append(cells)
        table.lines.append(number)
    for section in SECTIONS:
        if section not in tables:
            raise PabulibError(f"la section {section} manque (ou son en-tête)")
    meta = {row[0]: row[1] for row in tables["META"].rows}
    lines = {row[0]: line for row, line in zip(tables["META"].rows, tables["META"].lines, strict=True)}
    return PabulibFile(meta, tables["PROJECTS"], tables["VOTES"], lines)


def _check_header(section: str, cells: list[str], number: int) -> None:
    names = [c.lower() for c in cells]
    missing = [name for name in REQUIRED[section] if name not in names]
    if missing:
        raise PabulibError(f"l'en-tête de {section} n'a pas la colonne {', '.join(missing)}", number)
    if len(set(names)) != len(names):
        raise PabulibError(f"l'en-tête de {section} répète une colonne", number)


DECIMAL = re.compile(r"-?\d+(\.\d*)?")


def _amount(value: str, what: str, line: int | None) -> Fraction:
    """A decimal amount, exactly (``1500``, ``1500.0``, ``1234.56``)."""
    if not DECIMAL.fullmatch(value):
        raise PabulibError(f"{what} « {value} » n'est pas un nombre", line)
    if value.startswith("-"):
        raise PabulibError(f"{what} « {value} » est négatif", line)
    return Fraction(value.rstrip("."))


def _integer(value: str, what: str, line: int | None) -> int:
    number = _amount(value, what, line)
    if number.denominator != 1:
        raise PabulibError(f"{what} « {value} » n'est pas un nombre entier", line)
    return int(number)


def _scale(amounts: list[Fraction]) -> int:
    """The power of ten that makes every amount whole (1 unless the file has cents); the election counts in it."""
    scale = 1
    for amount in amounts:
        while (amount * scale).denominator != 1:
            scale *= 10
    return scale


def to_election(pb: PabulibFile) -> Election:
    """The grouped election of a parsed file; checks costs, budget, ballots against the projects and the vote type."""
    if "budget" not in pb.meta:
        raise PabulibError("META n'a pas de « budget »")
    budget = _amount(pb.meta["budget"], "le budget", pb.meta_lines.get("budget"))
    vote_type = pb.meta.get("vote_type", "approval").strip().lower()
    if vote_type not in VOTE_TYPES:
        raise PabulibError(
            f"vote_type « {vote_type} » inconnu (approval, cumulative, ordinal, choose-1)",
            pb.meta_lines.get("vote_type"),
        )
    costs = _projects(pb)
    scale = _scale([budget] + [cost for _, cost in costs])
    projects = [replace(project, cost=int(cost * scale)) for project, cost in costs]
    ballots = _ballots(pb, {p.id for p in projects}, vote_type)
    meta = dict(pb.meta)
    if scale != 1:  # amounts with decimals: the election counts in hundredths (or finer), and says so
        meta[AMOUNT_SCALE] = str(scale)
    election = Election(int(budget * scale), projects, ballots, vote_type, meta)  # type: ignore[arg-type]
    return election


def _projects(pb: PabulibFile) -> list[tuple[Project, Fraction]]:
    table = pb.projects
    id_at, cost_at = table.column("project_id"), table.column("cost")
    name_at, category_at = table.column("name"), table.column("category")
    projects: list[tuple[Project, Fraction]] = []
    seen: set[str] = set()
    for row, line in zip(table.rows, table.lines, strict=True):
        project_id = row[id_at]  # type: ignore[index]
        if not project_id:
            raise PabulibError("un projet sans identifiant", line)
        if project_id in seen:
            raise PabulibError(f"le projet {project_id} apparaît deux fois", line)
        seen.add(project_id)
        cost = _amount(row[cost_at], f"le coût du projet {project_id}", line)  # type: ignore[index]
        name = row[name_at] if name_at is not None else ""
        category = row[category_at] if category_at is not None else None
        projects.append((Project(project_id, 0, name, category or None), cost))
    return projects


def _ballots(pb: PabulibFile, known: set[str], vote_type: str) -> Counter[Ballot]:
    table = pb.votes
    vote_at, points_at, id_at = table.column("vote"), table.column("points"), table.column("voter_id")
    ballots: Counter[Ballot] = Counter()
    voters: set[str] = set()
    for row, line in zip(table.rows, table.lines, strict=True):
        voter = row[id_at]  # type: ignore[index]
        if voter in voters:
            raise PabulibError(f"le votant {voter} apparaît deux fois", line)
        voters.add(voter)
        names = [v.strip() for v in row[vote_at].split(",") if v.strip()]  # type: ignore[index]
        unknown = [name for name in names if name not in known]
        if unknown:
            raise PabulibError(f"le vote cite le projet inconnu {unknown[0]}", line)
        if len(set(names)) != len(names):
            raise PabulibError("le vote cite deux fois le même projet", line)
        points = _points(row[points_at] if points_at is not None else "", names, vote_type, line)
        ballots[tuple(sorted(zip(names, points, strict=True)))] += 1
    return ballots


def _points(cell: str, names: list[str], vote_type: str, line: int) -> list[int]:
    if vote_type in ("approval", "choose-1") or not cell:
        if vote_type == "cumulative" and names:
            raise PabulibError("un vote cumulatif sans ses points", line)
        if vote_type == "ordinal":  # no points column: the first of n ranks scores n, the last 1
            return list(range(len(names), 0, -1))
        if vote_type == "choose-1" and len(names) > 1:
            raise PabulibError("un vote choose-1 cite plusieurs projets", line)
        return [1] * len(names)
    values = [v.strip() for v in cell.split(",") if v.strip()]
    if len(values) != len(names):
        raise PabulibError(f"{len(values)} points pour {len(names)} projets", line)
    return [_integer(v, "les points", line) for v in values]


def load(path: str | Path) -> Election:
    """Read a ``.pb`` file into a grouped election."""
    return to_election(read(path))


def write(pb: PabulibFile) -> str:
    """The text of a Pabulib file (``;`` separated, quoted only where a value needs it)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    out.write("META\n")
    writer.writerow(["key", "value"])
    for key, value in pb.meta.items():
        writer.writerow([key, value])
    for title, table in (("PROJECTS", pb.projects), ("VOTES", pb.votes)):
        out.write(f"{title}\n")
        writer.writerow(table.columns)
        writer.writerows(table.rows)
    return out.getvalue()


def from_election(election: Election, meta: dict[str, str] | None = None) -> PabulibFile:
    """A Pabulib file of an election (the open-data export of a closed vote): voters numbered 1…n, no personal data.

    Ordinal ballots list their projects by points, most first. ``meta`` adds or overrides META keys (description,
    unit, rule…)."""
    scores: Counter[str] = Counter()
    for ballot, count in election.ballots.items():
        for project_id, points in ballot:
            scores[project_id] += points * count
    scale = int(election.meta.get(AMOUNT_SCALE, "1"))
    header = {"num_projects": str(len(election.projects)), "num_votes": str(election.voters)}
    full = {"budget": "", "vote_type": election.vote_type, **header, **election.meta, **(meta or {})}
    full.update(header, budget=decimal(election.budget, scale))
    full.pop(AMOUNT_SCALE, None)
    points_kind = election.vote_type in ("cumulative", "ordinal")
    projects = Table(["project_id", "cost", "votes", "name"] + (["category"] if _any_category(election) else []))
    for project in election.projects:
        row = [project.id, decimal(project.cost, scale), str(scores[project.id]), project.name]
        projects.rows.append(row + ([project.category or ""] if len(projects.columns) == 5 else []))
    votes = Table(["voter_id", "vote"] + (["points"] if points_kind else []))
    voter = 0
    for ballot, count in sorted(election.ballots.items()):
        ordered = sorted(ballot, key=lambda item: -item[1]) if election.vote_type == "ordinal" else list(ballot)
        cells = [",".join(p for p, _ in ordered)] + ([",".join(str(n) for _, n in ordered)] if points_kind else [])
        for _ in range(count):
            voter += 1
            votes.rows.append([str(voter), *cells])
    return PabulibFile(full, projects, votes)


def decimal(amount: int, scale: int = 1) -> str:
    """An amount counted in 1/scale units, written as the decimal it was read from (``123456`` at 100: ``1234.56``)."""
    if scale == 1:
        return str(amount)
    digits = len(str(scale)) - 1
    whole, part = divmod(amount, scale)
    return f"{whole}.{part:0{digits}d}"


def _any_category(election: Election) -> bool:
    return any(p.category for p in election.projects)
