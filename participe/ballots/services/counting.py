"""Counting a sealed box: totals per kind, channel and station, the schema's results (overall, per channel, per
territory), and the tally file — JSON anyone can recount with ``participe/ballots/recount.py``.

Memory stays bounded whatever the number of ballots: identical ballots are grouped by the database (real elections
have far fewer distinct ballots than voters), the schema's counter is fed each distinct ballot with its count, and the
file is written to a temporary file while its SHA-256 is computed. With receipts published, the file lists every
ballot in the order of its receipt code (random: it tells nothing), read by chunks.

The tally file (``format: participe-tally/1``):

    {"format", "election": {id, title, module, space, url, channels, publish_receipts, min_group, closed_at,
     counted_at}, "schema": <the schema's description>, "totals": {ballots, signed, by_kind, by_channel,
     by_station: [{id, name, signed, ballots}]}, "results": {overall, by_channel, by_territory},
     "stations": {id: name}, "territories": {id: name},
     "ballots": [{content, kind, channel, station, territory, count} | {…, receipt} …]}

``station`` and ``territory`` of a ballot are null when that station or territory counted fewer than ``min_group``
ballots (so that a small group's votes are not told apart); results per group are then not detailed either.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import tempfile
from collections import Counter
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db.models import Count

from participe.ballots import schemas
from participe.ballots.models import Ballot, Channel, Election, Kind, PollingStation, RollEntry
from participe.organisation.models import Territory

FORMAT = "participe-tally/1"
GROUP_FIELDS = ("content", "kind", "channel", "station", "territory")


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class _Groups:
    """The schema's counters and the counts of each kind, overall and per channel and territory."""

    def __init__(self, election: Election) -> None:
        self.schema = schemas.get(election.schema)
        self.election = election
        self.counters: dict[tuple[str, Any], Any] = {}
        self.kinds: dict[tuple[str, Any], Counter[str]] = {}

    def add(self, row: dict[str, Any]) -> None:
        groups = [("overall", None), ("channel", row["channel"])]
        if self.election.territory_results:
            groups.append(("territory", row["territory"]))
        for group in groups:
            self.kinds.setdefault(group, Counter())[row["kind"]] += row["n"]
            if row["kind"] == Kind.VALID:
                if group not in self.counters:
                    self.counters[group] = self.schema.counter(self.election)
                self.counters[group].add(row["content"], row["n"])

    def result(self, group: tuple[str, Any]) -> dict[str, Any]:
        kinds = self.kinds.get(group, Counter())
        counter = self.counters.get(group)
        outcome = counter.result() if counter is not None else self.schema.counter(self.election).result()
        return {"ballots": sum(kinds.values()), "kinds": {k: kinds.get(k, 0) for k in Kind.values}, **outcome}

    def detailed(self, dimension: str) -> dict[str, Any]:
        """Results per value of ``dimension``; a group under ``min_group`` ballots shows its size only."""
        found: dict[str, Any] = {}
        for kind_group in sorted((g for g in self.kinds if g[0] == dimension), key=lambda g: str(g[1])):
            size = sum(self.kinds[kind_group].values())
            if size < self.election.min_group:
                found[str(kind_group[1])] = {"ballots": size, "hidden": True}
            else:
                found[str(kind_group[1])] = self.result(kind_group)
        return found


def _grouped(election: Election) -> list[dict[str, Any]]:
    return list(
        Ballot.objects.filter(election=election)
        .values(*GROUP_FIELDS)
        .annotate(n=Count("pk"))
        .order_by("channel", "station_id", "territory_id", "kind")
    )


def _totals(election: Election, rows: list[dict[str, Any]]) -> dict[str, Any]:
    by_kind: Counter[str] = Counter()
    by_channel: Counter[str] = Counter()
    by_station: Counter[int] = Counter()
    for row in rows:
        by_kind[row["kind"]] += row["n"]
        by_channel[row["channel"]] += row["n"]
        if row["station"] is not None:
            by_station[row["station"]] += row["n"]
    signed = Counter(
        dict(
            RollEntry.objects.filter(election=election, station__isnull=False)
            .values_list("station")
            .annotate(n=Count("pk"))
        )
    )
    stations = PollingStation.objects.in_bulk(set(by_station) | set(signed))
    return {
        "ballots": sum(by_kind.values()),
        "signed": RollEntry.objects.filter(election=election).count(),
        "by_kind": {k: by_kind.get(k, 0) for k in Kind.values},
        "by_channel": {c: by_channel.get(c, 0) for c in Channel.values},
        "by_station": [
            {"id": pk, "name": stations[pk].name, "signed": signed.get(pk, 0), "ballots": by_station.get(pk, 0)}
            for pk in sorted(stations)
        ],
    }


def _public_places(election: Election, rows: list[dict[str, Any]], field: str) -> set[Any]:
    """The stations (or territories) whose ballots are numerous enough to be named in the file."""
    sizes: Counter[Any] = Counter()
    for row in rows:
        sizes[row[field]] += row["n"]
    return {place for place, size in sizes.items() if place is not None and size >= election.min_group}


def count_election(election: Election) -> None:
    """Fill ``totals``, ``results``, ``tally_file`` and ``tally_sha256`` of a sealed election (caller saves)."""
    rows = _grouped(election)
    groups = _Groups(election)
    for row in rows:
        groups.add(row)
    election.totals = _totals(election, rows)
    election.results = {
        "overall": groups.result(("overall", None)),
        "by_channel": groups.detailed("channel"),
        "by_territory": groups.detailed("territory") if election.territory_results else {},
    }
    _write_tally(election, rows)


def _header(election: Election, stations: set[Any], territories: set[Any]) -> dict[str, Any]:
    module = election.module
    return {
        "format": FORMAT,
        "election": {
            "id": election.pk,
            "title": election.title,
            "module": module.title,
            "space": module.space.title,
            "url": settings.SITE_URL + module.get_absolute_url(),
            "channels": election.channels,
            "publish_receipts": election.publish_receipts,
            "min_group": election.min_group,
            "closed_at": election.closed_at.isoformat() if election.closed_at else None,
            "counted_at": election.counted_at.isoformat() if election.counted_at else None,
        },
        "schema": schemas.get(election.schema).describe(election),
        "totals": election.totals,
        "results": election.results,
        "stations": {str(s.pk): s.name for s in PollingStation.objects.filter(pk__in=stations)},
        "territories": {str(t.pk): t.name for t in Territory.objects.filter(pk__in=territories)},
    }


def _write_tally(election: Election, rows: list[dict[str, Any]]) -> None:
    stations = _public_places(election, rows, "station")
    territories = _public_places(election, rows, "territory") if election.territory_results else set()
    digest = hashlib.sha256()
    with tempfile.TemporaryFile() as handle:

        def write(text: str) -> None:
            data = text.encode()
            digest.update(data)
            handle.write(data)

        header = _dump(_header(election, stations, territories))
        write(header[:-1] + ',"ballots":[')
        first = True
        for line in _ballot_lines(election, rows, stations, territories):
            write(("" if first else ",\n") + _dump(line))
            first = False
        write("]}\n")
        handle.seek(0)
        name = f"depouillement-{election.pk}-{secrets.token_hex(4)}.json"
        election.tally_file.save(name, File(handle), save=False)
    election.tally_sha256 = digest.hexdigest()


def _place(row: dict[str, Any], stations: set[Any], territories: set[Any]) -> dict[str, Any]:
    return {
        "station": row["station"] if row["station"] in stations else None,
        "territory": row["territory"] if row["territory"] in territories else None,
    }


def _ballot_lines(election: Election, rows: list[dict[str, Any]], stations: set[Any], territories: set[Any]) -> Any:
    """Identical ballots grouped with their count; with receipts, each online ballot alone, by receipt code."""
    for row in rows:
        if election.publish_receipts and row["channel"] == Channel.ONLINE:
            continue
        yield {
            "content": row["content"],
            "kind": row["kind"],
            "channel": row["channel"],
            **_place(row, stations, territories),
            "count": row["n"],
        }
    if not election.publish_receipts:
        return
    online = (
        Ballot.objects.filter(election=election, channel=Channel.ONLINE)
        .order_by("receipt")
        .values("content", "kind", "channel", "station", "territory", "receipt")
    )
    for ballot in online.iterator(chunk_size=5000):
        yield {
            "content": ballot["content"],
            "kind": ballot["kind"],
            "channel": ballot["channel"],
            **_place(dict(ballot), stations, territories),
            "receipt": ballot["receipt"],
            "count": 1,
        }
