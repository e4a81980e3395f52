"""What casting needs to know about an election's module — its phases, its eligibility rules with their territories
and the territory tree under them — read once per process and kept while the database says it has not changed.

A cast used to read them on every request (five queries out of twelve, most of its CPU). They change rarely and must
never be stale: an agent moves the end of the vote, edits the eligibility rule or the territories, and the next cast
must follow. So nothing is trusted to an invalidation message: the statement that locks the election for the cast
(``services.casting.lock_for_casting``) also returns a **fingerprint** of exactly what the checks read — every
phase of the module (id, type, start, end, last change), every eligibility rule (id, action, verification required,
handlers, ages, last change), the rules' territories, and the whole territory tree (id, parent) — computed by the
database in that statement, inside the cast's transaction. The kept copy is used only when its fingerprint is the
one just read; otherwise the phases and rules are read again (the same queries as before) and kept with the new
fingerprint. A change made by any path (a service, the admin, a bulk ``update()``, a shell) changes the
fingerprint, so the next cast sees it; the verifications of the voter are never kept (read on each cast).

The election itself, with its module and space, is kept the same way (PostgreSQL): ``election`` reads a fingerprint
of the three rows (an MD5 of their text, so any change of any column changes it) and gives a fresh copy of the kept
objects when it matches, else reads them.

The copies live in the process (gunicorn workers each have theirs) and matter to nothing: losing them costs a read.
"""

from __future__ import annotations

import pickle
import threading
from dataclasses import dataclass
from typing import Any

from django.db import connection

from participe.ballots.models import Election
from participe.organisation.models import Territory
from participe.spaces.models import Module, Phase, Space
from participe.verifications import eligibility
from participe.verifications.models import EligibilityRule

KEPT_MODULES = 512  # beyond, the copies are dropped and read again (a few votes run at a time)


@dataclass(frozen=True)
class _Kept:
    fingerprint: str
    phases: list[Phase]
    rules: dict[str, EligibilityRule]


_kept: dict[int, _Kept] = {}
_elections: dict[int, tuple[str, bytes]] = {}
_lock = threading.Lock()


def election(pk: int) -> Election:
    """The election ``pk`` with its module and space (``Election.DoesNotExist`` when there is none): on PostgreSQL a
    copy of the objects kept by the process while the fingerprint of their three rows is unchanged."""
    if connection.vendor != "postgresql":
        return Election.objects.select_related("module__space").get(pk=pk)
    qn = connection.ops.quote_name
    tables = [qn(m._meta.db_table) for m in (Election, Module, Space)]
    sql = (
        "SELECT md5(e::text || m::text || s::text) "  # noqa: S608
        f"FROM {tables[0]} e JOIN {tables[1]} m ON m.id = e.module_id JOIN {tables[2]} s ON s.id = m.space_id "
        "WHERE e.id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    if row is None:
        raise Election.DoesNotExist
    kept = _elections.get(pk)
    if kept is not None and kept[0] == row[0]:
        return pickle.loads(kept[1])  # noqa: S301 (bytes this process pickled itself)
    found = Election.objects.select_related("module__space").get(pk=pk)
    with _lock:
        if len(_elections) >= KEPT_MODULES:
            _elections.clear()
        _elections[pk] = (row[0], pickle.dumps(found))
    return found


def _parts() -> list[tuple[str, list[str], str, list[str]]]:
    """(table, columns, condition on the module, order) of every row the fingerprint covers."""
    rules = EligibilityRule._meta.db_table
    through = EligibilityRule.territories.through._meta.db_table
    module = "{election}.module_id"
    return [
        (Phase._meta.db_table, ["id", "phase_type", "start", "end", "updated_at"], f"module_id = {module}", ["id"]),
        (
            rules,
            ["id", "action", "require_verification", "handlers", "min_age", "max_age", "updated_at"],
            f"module_id = {module}",
            ["id"],
        ),
        (
            through,
            ["eligibilityrule_id", "territory_id"],
            f"eligibilityrule_id IN (SELECT id FROM {rules} WHERE module_id = {module})",  # noqa: S608
            ["eligibilityrule_id", "territory_id"],
        ),
        (Territory._meta.db_table, ["id", "parent_id"], "", ["id"]),
    ]


def fingerprint_sql(election_table: str) -> str:
    """A SQL expression, on a row of ``election_table``, whose value changes whenever anything a cast's checks read
    about the election's module changes (PostgreSQL: an MD5 of the rows as text; SQLite: the rows as text)."""
    qn = connection.ops.quote_name
    pieces = []
    for table, columns, condition, order in _parts():
        where = f" WHERE {condition.format(election=qn(election_table))}" if condition else ""
        if connection.vendor == "postgresql":
            row = f"ROW({', '.join(qn(c) for c in columns)})::text"
            ordering = ", ".join(qn(c) for c in order)
            pieces.append(f"(SELECT string_agg({row}, ',' ORDER BY {ordering}) FROM {qn(table)}{where})")  # noqa: S608
        else:
            row = " || ':' || ".join(f"quote({qn(c)})" for c in columns)
            ordering = ", ".join(qn(c) for c in order)
            pieces.append(
                f"(SELECT group_concat(v, ',') FROM (SELECT {row} AS v FROM {qn(table)}{where} ORDER BY {ordering}))"  # noqa: S608
            )
    if connection.vendor == "postgresql":
        return f"md5(concat_ws('|', {', '.join(pieces)}))"
    return " || '|' || ".join(f"coalesce({p}, '')" for p in pieces)


def apply(module: Any, fingerprint: str) -> None:
    """Give ``module`` its phases and eligibility rules (with their territories): the kept copy when its fingerprint
    is ``fingerprint`` (read in the caller's transaction), else read now and kept."""
    kept = _kept.get(module.pk)
    if kept is None or kept.fingerprint != fingerprint:
        kept = _read(module, fingerprint)
        with _lock:
            if len(_kept) >= KEPT_MODULES:
                _kept.clear()
            _kept[module.pk] = kept
    release(module)
    phases = module.phases.all()  # a queryset holding the kept phases, as ``prefetch_related`` leaves it
    phases._result_cache = list(kept.phases)
    phases._prefetch_done = True
    module._prefetched_objects_cache = {**getattr(module, "_prefetched_objects_cache", {}), "phases": phases}
    eligibility.use_rules(module, kept.rules)


def release(module: Any) -> None:
    """Take back from ``module`` what ``apply`` gave it: code holding the same object after the cast reads the
    phases and rules again, as it did before."""
    getattr(module, "_prefetched_objects_cache", {}).pop("phases", None)
    eligibility.use_rules(module, None)


def _read(module: Any, fingerprint: str) -> _Kept:
    phases = list(Phase.objects.filter(module_id=module.pk).order_by("start", "pk"))
    for phase in phases:
        phase.module = module
    rules = {r.action: r for r in EligibilityRule.objects.filter(module_id=module.pk).prefetch_related("territories")}
    for rule in rules.values():
        eligibility.territory_ids(rule)  # the tree is read now, once
    return _Kept(fingerprint=fingerprint, phases=phases, rules=rules)


def forget() -> None:
    """Drop every kept copy (tests)."""
    with _lock:
        _kept.clear()
        _elections.clear()
