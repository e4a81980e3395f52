"""Pabulib files of the closed votes (https://pabulib.org/format): the open-data export of the manifest (one ZIP
archive holding the file of every published envelope) and the file of each envelope (``…/enveloppes/<id>/vote.pb``). Voters are numbered 1…n in the order of their grouped ballots:
nothing identifies anyone; the projects keep their ids, costs, titles, categories and votes."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from django.utils import timezone
from django.utils.text import slugify

from participe.modules.budgets.models import Envelope
from participe.modules.budgets.services.results import tally_election
from participe.modules.budgets.tally import pabulib
from participe.spaces.models import Module

RULE_NAMES = {"greedy": "greedy", "greedy-threshold": "greedy", "phragmen": "phragmen"}


def published(module: Module) -> list[Envelope]:
    return [
        e
        for e in Envelope.objects.filter(module=module, published_at__isnull=False).select_related(
            "election", "territory"
        )
        if e.election is not None and e.election.is_counted
    ]


def pabulib_text(envelope: Envelope) -> str:
    """The envelope's counted vote as a Pabulib file."""
    election = tally_election(envelope)
    meta = {
        "description": f"{envelope.module.space.title} — {envelope.title}",
        "country": "France",
        "unit": envelope.territory.name if envelope.territory else envelope.module.space.title,
        "instance": str(timezone.localdate(envelope.election.counted_at).year if envelope.election.counted_at else ""),
        "rule": envelope.rule,
        "currency": "EUR",
        "date_end": f"{envelope.election.closed_at:%d.%m.%Y}" if envelope.election.closed_at else "",
    }
    if envelope.ballot_kind == Envelope.BallotKind.MAX and envelope.max_choices:
        meta["max_length"] = str(envelope.max_choices)
    if envelope.ballot_kind == Envelope.BallotKind.CUMULATIVE:
        meta["max_sum_points"], meta["max_points"] = str(envelope.points), str(envelope.max_points_per_project)
    if envelope.ballot_kind == Envelope.BallotKind.RANKING:
        meta["scoring_fn"] = ",".join(str(p) for p in envelope.rank_points_list)
    return pabulib.write(pabulib.from_election(election, meta))


def is_open(module: Module) -> bool:
    return bool(published(module))


def archive_name(envelope: Envelope) -> str:
    """The name of an envelope's file in the archive: its number and title (``enveloppe-3-quartier-nord.pb``)."""
    return f"enveloppe-{envelope.pk}-{slugify(envelope.title)[:60] or 'vote'}.pb"


def stream(module: Module, fmt: str) -> Iterator[bytes]:
    """Every published envelope of the module, one Pabulib file each, in one ZIP archive (built in memory: one
    file per envelope, a few megabytes for a city of 90,000 voters)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for envelope in published(module):
            archive.writestr(archive_name(envelope), pabulib_text(envelope))
    yield buffer.getvalue()
