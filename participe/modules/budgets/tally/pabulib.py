"""Pabulib files in and out (https://pabulib.org/format): the open format of participatory-budgeting elections.

A file has three sections, each a ``;``-separated table after its title line: ``META`` (``key;value``), ``PROJECTS``
(``project_id;cost;…``) and ``VOTES`` (``voter_id;vote;…``, with ``points`` for cumulative and ordinal ballots).
``read`` keeps every column so that ``write(read(text)) == text`` up to the quoting; ``to_election`` turns the file
into the tally engine's grouped election; ``from_election`` goes back, for the open-data export of a closed vote.
A broken file raises ``PabulibError`` naming the line, and nothing is half-read. With a list passed as ``errors``
(the import of a file as an envelope), every bad row is listed there instead and left out: the caller decides.
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
VOTE_TYPES: tuple[VoteType, ...] = ("approval", "cumulative", "ordinal", "choose-1", "scoring")
REQUIRED = {"META": ("key", "value"), "PROJECTS": ("project_id", "cost"), "VOTES": ("voter_id", "vote")}


class PabulibError(ValueError):
    """A broken Pabulib file: the message names the line (1-based) and what is wrong there."""

    def __init__(self, message: str, line: int | None = None, section: str | None = None) -> None:
        self.line = line
        self.section = section
        self.reason = message
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


def read(source: str | Path, errors: list[PabulibError] | None = None) -> PabulibFile:
    """Parse a Pabulib file (a path, or the text itself when it holds a newline); with ``errors``, a row with the
    wrong number of fields is listed there and left out (a broken section or header still raises)."""
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
        cells = _split(raw)
        if expect_header:
            cells = [cell.strip() for cell in cells]
            _check_header(current, cells, number)
            tables[current] = Table([c.lower() for c in cells])
            expect_header = False
            continue
        _add_row(tables[current], current, cells, number, errors)
    for section in SECTIONS:
        if section not in tables:
            raise PabulibError(f"la section {section} manque (ou son en-tête)")
    meta = {row[0]: row[1] for row in tables["META"].rows}
    lines = {row[0]: line for row, line in zip(tables["META"].rows, tables["META"].lines, strict=True)}
    return PabulibFile(meta, tables["PROJECTS"], tables["VOTES"], lines)


def _add_row(table: Table, section: str, cells: list[str], number: int, errors: list[PabulibError] | None) -> None:
    if section == "META" and len(cells) > 2:  # an unquoted ";" inside a value (descriptions, comments)
        cells = [cells[0], ";".join(cells[1:])]
    cells = [cell.strip() for cell in cells]
    if len(cells) != len(table.columns):
        error = PabulibError(
            f"{len(cells)} champs au lieu de {len(table.columns)} ({';'.join(table.columns)}) en {section}",
            number,
            section,
        )
        if errors is None:
            raise error
        errors.append(error)
        return
    table.rows.append(cells)
    table.lines.append(number)


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


def to_election(pb: PabulibFile, errors: list[PabulibError] | None = None) -> Election:
    """The grouped election of a parsed file; checks costs, budget, ballots against the projects and the vote type.
    With ``errors``, each bad project or ballot is listed there and left out, and ballots are also checked against
    the limits the META states (``min_length``, ``max_length``, ``max_sum_points``, ``max_points``,
    ``max_sum_cost``)."""
    if "budget" not in pb.meta:
        raise PabulibError("META n'a pas de « budget »")
    budget = _amount(pb.meta["budget"], "le budget", pb.meta_lines.get("budget"))
    vote_type = pb.meta.get("vote_type", "approval").strip().lower()
    if vote_type not in VOTE_TYPES:
        raise PabulibError(
            f"vote_type « {vote_type} » inconnu (approval, cumulative, ordinal, scoring, choose-1)",
            pb.meta_lines.get("vote_type"),
        )
    costs = _projects(pb, errors)
    scale = _scale([budget] + [cost for _, cost in costs])
    projects = [replace(project, cost=int(cost * scale)) for project, cost in costs]
    limits = Limits.of(pb, {p.id: c for p, c in costs}) if errors is not None else None
    ballots = _ballots(pb, {p.id for p in projects}, vote_type, errors, limits)
    meta = dict(pb.meta)
    if scale != 1:  # amounts with decimals: the election counts in hundredths (or finer), and says so
        meta[AMOUNT_SCALE] = str(scale)
    election = Election(int(budget * scale), projects, ballots, vote_type, meta)  # type: ignore[arg-type]
    return election


def _projects(pb: PabulibFile, errors: list[PabulibError] | None = None) -> list[tuple[Project, Fraction]]:
    table = pb.projects
    projects: list[tuple[Project, Fraction]] = []
    seen: set[str] = set()
    for row, line in zip(table.rows, table.lines, strict=True):
        try:
            projects.append(_project(table, row, line, seen))
        except PabulibError as error:
            if errors is None:
                raise
            errors.append(PabulibError(error.reason, line, "PROJECTS"))
    return projects


def _project(table: Table, row: list[str], line: int, seen: set[str]) -> tuple[Project, Fraction]:
    id_at, cost_at = table.column("project_id"), table.column("cost")
    name_at, category_at = table.column("name"), table.column("category")
    project_id = row[id_at]  # type: ignore[index]
    if not project_id:
        raise PabulibError("un projet sans identifiant", line)
    if project_id in seen:
        raise PabulibError(f"le projet {project_id} apparaît deux fois", line)
    seen.add(project_id)
    cost = _amount(row[cost_at], f"le coût du projet {project_id}", line)  # type: ignore[index]
    name = row[name_at] if name_at is not None else ""
    category = row[category_at] if category_at is not None else None
    return Project(project_id, 0, name, category or None), cost


@dataclass
class Limits:
    """What the META says a ballot may hold (checked on import only: the command counts a file as it is)."""

    min_length: int | None
    max_length: int | None
    max_sum_points: int | None
    max_points: int | None
    max_sum_cost: Fraction | None
    costs: dict[str, Fraction]

    @classmethod
    def of(cls, pb: PabulibFile, costs: dict[str, Fraction]) -> Limits:
        def number(key: str) -> Fraction | None:
            value = pb.meta.get(key, "").strip()
            return _amount(value, key, pb.meta_lines.get(key)) if value else None

        def whole(key: str) -> int | None:
            value = number(key)
            return int(value) if value is not None else None

        return cls(
            whole("min_length"),
            whole("max_length"),
            whole("max_sum_points"),
            whole("max_points"),
            number("max_sum_cost"),
            costs,
        )

    def check(self, names: list[str], points: list[int], line: int) -> None:
        if self.min_length is not None and len(names) < self.min_length:
            raise PabulibError(f"le vote cite {len(names)} projets, moins que min_length ({self.min_length})", line)
        if self.max_length is not None and len(names) > self.max_length:
            raise PabulibError(f"le vote cite {len(names)} projets, plus que max_length ({self.max_length})", line)
        if self.max_sum_points is not None and sum(points) > self.max_sum_points:
            raise PabulibError(f"{sum(points)} points, plus que max_sum_points ({self.max_sum_points})", line)
        if self.max_points is not None and points and max(points) > self.max_points:
            raise PabulibError(f"{max(points)} points à un projet, plus que max_points ({self.max_points})", line)
        if self.max_sum_cost is None:
            return
        spent = sum(self.costs.get(name, Fraction(0)) for name in names)
        if spent > self.max_sum_cost:
            raise PabulibError(f"les projets cités coûtent {spent}, plus que max_sum_cost ({self.max_sum_cost})", line)


def _ballots(
    pb: PabulibFile,
    known: set[str],
    vote_type: str,
    errors: list[PabulibError] | None = None,
    limits: Limits | None = None,
) -> Counter[Ballot]:
    table = pb.votes
    vote_at, points_at, id_at = table.column("vote"), table.column("points"), table.column("voter_id")
    ballots: Counter[Ballot] = Counter()
    voters: set[str] = set()
    for row, line in zip(table.rows, table.lines, strict=True):
        try:
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
            if limits is not None:
                limits.check(names, points, line)
        except PabulibError as error:
            if errors is None:
                raise
            errors.append(PabulibError(error.reason, line, "VOTES"))
            continue
        ballots[tuple(sorted(zip(names, points, strict=True)))] += 1
    return ballots


def _points(cell: str, names: list[str], vote_type: str, line: int) -> list[int]:
    if vote_type in ("approval", "choose-1") or not cell:
        if vote_type in ("cumulative", "scoring") and names:
            raise PabulibError("un vote par points sans ses points", line)
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
    points_kind = election.vote_type in ("cumulative", "ordinal", "scoring")
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
