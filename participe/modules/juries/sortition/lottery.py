"""From a distribution to one panel, with a seed everyone can check.

1. The distribution is rounded to ``TICKETS`` lottery tickets (largest remainders, ties to the earlier panel), each
   panel holding a whole number of them, panels in canonical order. This list is fixed and its hash published
   *before* the seed exists.
2. The seed is the result of a named public random source (e.g. a lottery draw), written as numbers; it is
   normalised as in RFC 3797 (each group's numbers sorted, each followed by ".", each group ended by "/").
3. Ticket = SHA-256("ticket|" + seed) as an integer, modulo ``TICKETS``: the panel holding it gives how many
   members of each type.
4. Within a type, the members are the people whose SHA-256(seed + "|" + id) are the smallest.

Only integers and SHA-256: the same seed gives the same panel on any machine and in any language.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from participe.modules.juries.sortition.leximin import Distribution
from participe.modules.juries.sortition.model import Instance

TICKETS = 1_000_000
# /2: the leximin comes from its relaxation walked into panels (decision 0033): other panels, other tickets than /1.
ALGORITHM_VERSION = "participe-leximin/2 (HiGHS, tickets 1e6, SHA-256)"
SEED_MAX_LENGTH = 200
_GROUP = r"\d{1,12}(?:[\s,;.\-]+\d{1,12})*"
_SEED = re.compile(rf"^\s*{_GROUP}(?:\s*/\s*{_GROUP})*\s*/?\s*$")


class SeedError(ValueError):
    """The seed is not a list of numbers (groups separated by "/")."""


def normalize_seed(text: str) -> str:
    """« 4 12 23 35 47 / 8 » → ``4.12.23.35.47./8./`` (RFC 3797, section 4); raises ``SeedError``."""
    if not text or len(text) > SEED_MAX_LENGTH or not _SEED.match(text):
        raise SeedError(text)
    groups = [g for g in text.split("/") if g.strip()]
    out = []
    for group in groups:
        numbers = sorted(int(v) for v in re.split(r"[\s,;.\-]+", group.strip()) if v)
        out.append("".join(f"{n}." for n in numbers) + "/")
    return "".join(out)


def _digest(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest(), 16)


def _round(weights: tuple[float, ...]) -> tuple[int, ...]:
    exact = [w * TICKETS for w in weights]
    tickets = [int(e) for e in exact]
    left = TICKETS - sum(tickets)
    order = sorted(range(len(exact)), key=lambda j: (-(exact[j] - tickets[j]), j))
    for j in order[:left]:
        tickets[j] += 1
    return tuple(tickets)


@dataclass(frozen=True)
class Lottery:
    """Panels (members per type) holding whole numbers of tickets, over the types of an instance."""

    types: tuple[tuple[str, ...], ...]
    panels: tuple[tuple[int, ...], ...]
    tickets: tuple[int, ...]

    @classmethod
    def from_distribution(cls, instance: Instance, distribution: Distribution) -> Lottery:
        pairs = [(p, t) for p, t in zip(distribution.panels, _round(distribution.weights), strict=True) if t]
        return cls(instance.types, tuple(p for p, _ in pairs), tuple(t for _, t in pairs))

    def as_json(self) -> dict[str, object]:
        return {
            "types": [list(t) for t in self.types],
            "panels": [list(p) for p in self.panels],
            "tickets": list(self.tickets),
        }

    @classmethod
    def from_json(cls, data: dict) -> Lottery:
        return cls(
            tuple(tuple(t) for t in data["types"]), tuple(tuple(p) for p in data["panels"]), tuple(data["tickets"])
        )

    def sha256(self) -> str:
        text = json.dumps(self.as_json(), separators=(",", ":"), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()

    def type_probabilities(self, counts: list[int]) -> list[float]:
        """Each type's selection probability under the tickets (what people are told)."""
        totals = [0] * len(self.types)
        for panel, tickets in zip(self.panels, self.tickets, strict=True):
            for t, x in enumerate(panel):
                totals[t] += x * tickets
        return [total / (TICKETS * counts[t]) for t, total in enumerate(totals)]

    def probabilities(self, instance: Instance) -> dict[str, float]:
        """Each person's selection probability, by id."""
        by_type = self.type_probabilities(instance.counts)
        return {pid: by_type[t] for t, ids in enumerate(instance.members) for pid in ids}

    def ticket(self, seed: str) -> int:
        return _digest("ticket|" + normalize_seed(seed)) % TICKETS

    def draw(self, instance: Instance, seed: str) -> list[str]:
        """The ids of the panel the seed designates, sorted; raises ``SeedError`` for a malformed seed."""
        if instance.types != self.types:
            raise ValueError("the lottery was computed for another pool")
        normalized = normalize_seed(seed)
        ticket = self.ticket(seed)
        index = 0
        while ticket >= self.tickets[index]:
            ticket -= self.tickets[index]
            index += 1
        chosen: list[str] = []
        for t, x in enumerate(self.panels[index]):
            ranked = sorted(instance.members[t], key=lambda pid: (_digest(f"{normalized}|{pid}"), pid))
            chosen += ranked[:x]
        return sorted(chosen)
