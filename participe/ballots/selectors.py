"""Reads of the ballot service: has this person voted, the open elections, the counts of the roll and of the box,
a receipt, the results."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from participe.ballots import identity
from participe.ballots.box import BALLOTS
from participe.ballots.models import Ballot, Channel, Election, PaperBatch, PollingStation, RollEntry, RollKey
from participe.core.capabilities import Cap
from participe.spaces.models import Module

RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I, L, O, U
_LOOKALIKES = str.maketrans("OIL", "011")


def roll_entry_of(user: Any, election: Election) -> RollEntry | None:
    """The émargement of ``user`` in ``election`` (found by any of their keys, whichever channel), or None.

    Kept on the user object for the request: the rule, its explanation and the page ask the same question."""
    cache: dict[int, RollEntry | None] = user.__dict__.setdefault("_ballots_roll", {})
    if election.pk not in cache:
        key = (
            RollKey.objects.select_related("entry__station")
            .filter(election=election, key__in=identity.user_keys(user))
            .first()
        )
        cache[election.pk] = key.entry if key is not None else None
    return cache[election.pk]


def forget_roll_cache(user: Any) -> None:
    user.__dict__.pop("_ballots_roll", None)


def elections_of(module: Module) -> QuerySet[Election]:
    return Election.objects.filter(module=module).order_by("pk")


def open_elections(user: Any) -> list[Election]:
    """Elections open now in modules ``user`` may see, whose current phase grants voting (newest modules first)."""
    now = timezone.now()
    found = []
    candidates = (
        Election.objects.filter(status=Election.Status.OPEN, module__is_published=True)
        .select_related("module__space")
        .prefetch_related("module__phases")
        .order_by("-module_id", "pk")
    )
    for election in candidates:
        phase = election.module.current_phase(now)
        if phase is None or Cap.VOTE not in phase.capabilities:
            continue
        if user.has_perm("ballots.view_election", election):
            found.append(election)
    return found


def vote_window(election: Election) -> tuple[Any, Any]:
    """The start and end of the module's current (or next) phase granting voting, or (None, None)."""
    now = timezone.now()
    phases = [p for p in election.module.phases.all() if Cap.VOTE in p.capabilities and p.end > now]
    if not phases:
        return None, None
    phase = min(phases, key=lambda p: p.start)
    return phase.start, phase.end


@dataclass(frozen=True)
class CountLine:
    """The émargements and the ballots of one channel (and station, for paper), and their difference."""

    channel: str
    station: PollingStation | None
    signed: int
    ballots: int
    waiting: int  # online ballots still in the staging table

    @property
    def difference(self) -> int:
        return self.signed - self.ballots - self.waiting


def count_lines(election: Election) -> list[CountLine]:
    """Per channel and station: émargements against ballots in the box (and online ballots waiting to be mixed)."""
    signed = {
        (row["channel"], row["station"]): row["n"]
        for row in RollEntry.objects.filter(election=election).values("channel", "station").annotate(n=Count("pk"))
    }
    boxed = {
        (row["channel"], row["station"]): row["n"]
        for row in Ballot.objects.filter(election=election).values("channel", "station").annotate(n=Count("pk"))
    }
    waiting = {
        (row["channel"], row["station"]): row["n"]
        for row in BALLOTS.staging._default_manager.filter(election=election)
        .values("channel", "station")
        .annotate(n=Count("pk"))
    }
    stations = PollingStation.objects.in_bulk([s for _c, s in {*signed, *boxed} if s is not None])
    keys = sorted({*signed, *boxed, *waiting}, key=lambda k: (k[0] != Channel.ONLINE, k[1] or 0))
    if election.online and (Channel.ONLINE, None) not in keys:
        keys.insert(0, (Channel.ONLINE, None))
    return [
        CountLine(
            channel=channel,
            station=stations.get(station) if station else None,
            signed=signed.get((channel, station), 0),
            ballots=boxed.get((channel, station), 0),
            waiting=waiting.get((channel, station), 0),
        )
        for channel, station in keys
    ]


def stations_of(module: Module) -> QuerySet[PollingStation]:
    return PollingStation.objects.filter(module=module).select_related("territory").prefetch_related("agents")


def stations_run_by(user: Any) -> QuerySet[PollingStation]:
    return PollingStation.objects.filter(agents=user).select_related("module__space")


def batches_of(election: Election, station: PollingStation) -> QuerySet[PaperBatch]:
    return (
        PaperBatch.objects.filter(election=election, station=station)
        .prefetch_related("entries__agent")
        .order_by("number")
    )


def station_progress(election: Election, station: PollingStation) -> dict[str, int]:
    """Émargements at the station, ballots of its validated batches, and the ballots of batches still typed."""
    signed = RollEntry.objects.filter(election=election, station=station).count()
    boxed = Ballot.objects.filter(election=election, station=station).count()
    pending = sum(
        b.declared_count for b in PaperBatch.objects.filter(election=election, station=station, status="entering")
    )
    return {"signed": signed, "ballots": boxed, "pending": pending, "left": signed - boxed}


def normalise_receipt(code: str) -> str:
    """A receipt code as typed (spaces, dashes, lower case, O for 0, I or L for 1) in its canonical form."""
    cleaned = re.sub(r"[\s-]+", "", code.upper()).translate(_LOOKALIKES)
    if len(cleaned) != 12 or any(c not in RECEIPT_ALPHABET for c in cleaned):
        return ""
    return f"{cleaned[:4]}-{cleaned[4:8]}-{cleaned[8:]}"


def ballot_by_receipt(election: Election, code: str) -> Ballot | None:
    """The counted ballot with this receipt code (only once the election is counted)."""
    canonical = normalise_receipt(code)
    if not canonical or election.status != Election.Status.COUNTED:
        return None
    return Ballot.objects.filter(election=election, receipt=canonical).first()


def tally_chunks(election: Election, size: int = 64 * 1024) -> Iterator[bytes]:
    """The published tally file, in chunks (empty when the election is not counted)."""
    if not election.tally_file:
        return
    with election.tally_file.open("rb") as handle:
        while chunk := handle.read(size):
            yield chunk
