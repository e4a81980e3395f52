"""The problem: people with one value per feature, quotas per (feature, value), a panel size.

People with the same values for every feature are interchangeable for the quotas: they form a *type* (a feature
profile), and the linear programs work on types, not people (2,000 volunteers with 4 features give a few hundred
types at most). Every list is kept in one canonical order (features as the quotas list them, types and people sorted)
so that the programs, the hashes and the draw never depend on the order of an input file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Quota:
    """At least ``min`` and at most ``max`` members of the panel have ``value`` for ``feature``."""

    feature: str
    value: str
    min: int
    max: int


@dataclass(frozen=True)
class Person:
    id: str
    profile: tuple[str, ...]  # one value per feature, in ``Instance.features`` order


@dataclass(frozen=True)
class Instance:
    """A pool, its quotas and the panel size, in canonical order (build it with ``instance_from_rows``)."""

    features: tuple[str, ...]
    quotas: tuple[Quota, ...]
    people: tuple[Person, ...]
    size: int
    types: tuple[tuple[str, ...], ...] = field(init=False)
    members: tuple[tuple[str, ...], ...] = field(init=False)  # the ids of each type, sorted

    def __post_init__(self) -> None:
        groups: dict[tuple[str, ...], list[str]] = {}
        for person in self.people:
            groups.setdefault(person.profile, []).append(person.id)
        types = tuple(sorted(groups))
        object.__setattr__(self, "types", types)
        object.__setattr__(self, "members", tuple(tuple(sorted(groups[t])) for t in types))

    @property
    def counts(self) -> list[int]:
        return [len(m) for m in self.members]

    def quota_types(self, quota: Quota) -> list[int]:
        """The indices of the types that count towards ``quota``."""
        position = self.features.index(quota.feature)
        return [i for i, t in enumerate(self.types) if t[position] == quota.value]

    def pool_text(self) -> str:
        """The pool as canonical CSV text (id then the features, sorted by id): what its hash covers."""
        lines = [",".join(("id", *self.features))]
        lines += [",".join((p.id, *p.profile)) for p in sorted(self.people, key=lambda p: p.id)]
        return "\n".join(lines) + "\n"

    def quotas_text(self) -> str:
        """The quotas and the size as canonical CSV text: what its hash covers."""
        lines = ["feature,value,min,max"] + [f"{q.feature},{q.value},{q.min},{q.max}" for q in self.quotas]
        return "\n".join(lines) + f"\n# size,{self.size}\n"

    def pool_sha256(self) -> str:
        return hashlib.sha256(self.pool_text().encode()).hexdigest()

    def quotas_sha256(self) -> str:
        return hashlib.sha256(self.quotas_text().encode()).hexdigest()


def instance_from_rows(quotas: Iterable[Quota], people: Iterable[tuple[str, dict[str, str]]], size: int) -> Instance:
    """Build the canonical ``Instance``: features in the order the quotas first name them, quotas sorted by
    (feature position, value), people as (id, {feature: value}) reduced to the features that have quotas.

    Raises ``ValueError`` for duplicated ids, a person without a value of a feature or with a value no quota names
    (the CSV readers and the forms check this first, with line numbers).
    """
    quotas = list(quotas)
    features: list[str] = []
    for q in quotas:
        if q.feature not in features:
            features.append(q.feature)
    known = {(q.feature, q.value) for q in quotas}
    rows: list[Person] = []
    seen: set[str] = set()
    for person_id, values in people:
        if person_id in seen:
            raise ValueError(f"duplicate id {person_id}")
        seen.add(person_id)
        profile = tuple(values.get(f, "") for f in features)
        for f, v in zip(features, profile, strict=True):
            if (f, v) not in known:
                raise ValueError(f"{person_id}: unknown value {v!r} for {f}")
        rows.append(Person(person_id, profile))
    ordered = tuple(sorted(quotas, key=lambda q: (features.index(q.feature), q.value)))
    return Instance(tuple(features), ordered, tuple(sorted(rows, key=lambda p: p.id)), size)


def instance_from_texts(pool_text: str, quotas_text: str, size: int) -> Instance:
    """The instance back from its canonical texts (``Instance.pool_text``, ``quotas_text``): what a commitment
    hashed is what the draw uses."""
    quotas = []
    for line in quotas_text.splitlines()[1:]:
        if line and not line.startswith("#"):
            feature, value, low, high = line.split(",")
            quotas.append(Quota(feature, value, int(low), int(high)))
    header, *rows = pool_text.splitlines()
    features = header.split(",")[1:]
    people = [(r.split(",")[0], dict(zip(features, r.split(",")[1:], strict=True))) for r in rows if r]
    return instance_from_rows(quotas, people, size)
