"""The statistics page as CSV, one figure per line (section, date, what, measure, value): a spreadsheet filters and
pivots it. Cells a spreadsheet would read as a formula are quoted."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from participe.audience.selectors import Audience, Participation, Representativeness

COLUMNS = ("rubrique", "date", "element", "mesure", "valeur")


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def statistics_csv(audience: Audience, participation: Participation, people: Representativeness) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(*cells: Any) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_cell(c) for c in cells])
        return buffer.getvalue()

    yield "\ufeff" + line(*COLUMNS)  # a BOM: spreadsheets then read UTF-8
    period = f"{audience.period.start.isoformat()}/{audience.period.end.isoformat()}"
    yield line("frequentation", period, "total", "pages_vues", audience.views)
    yield line("frequentation", period, "total", "visites", audience.visits)
    yield line("participation", period, "total", "participants", participation.participants)
    yield line("participation", period, "total", "contributions", participation.contributions)
    conversion = participation.conversion(audience.visits)
    yield line(
        "participation", period, "total", "conversion_pour_cent", "" if conversion is None else f"{conversion:.2f}"
    )
    for step in audience.steps:
        yield line("frequentation_par_date", step.start.isoformat(), "total", "pages_vues", step.views)
        yield line("frequentation_par_date", step.start.isoformat(), "total", "visites", step.visits)
    yield from _audience_lines(line, audience, period)
    yield from _participation_lines(line, participation, people)


def _audience_lines(line: Any, audience: Audience, period: str) -> Iterator[str]:
    for section, rows in (
        ("pages", audience.pages),
        ("espaces", audience.spaces),
        ("modules", audience.modules),
        ("sites_d_origine", audience.referrers),
        ("appareils", audience.devices),
    ):
        for row in rows:
            yield line(section, period, row.label, "pages_vues", row.views)
            yield line(section, period, row.label, "visites", row.visits)


def _participation_lines(line: Any, participation: Participation, people: Representativeness) -> Iterator[str]:
    titles = {m.pk: f"{m.title} ({m.space.title})" for m in participation.modules}
    for step in participation.steps:
        for module_id, n in step.by_module.items():
            yield line(
                "contributions_par_module", step.start.isoformat(), titles.get(module_id, module_id), "contributions", n
            )
        for channel, n in step.by_channel.items():
            yield line(
                "contributions_par_canal",
                step.start.isoformat(),
                participation.channels.get(channel, channel),
                "contributions",
                n,
            )
    for territory in people.territories:
        name = territory.territory.name if territory.territory else "ailleurs ou non renseigné"
        yield line("territoires", "", name, "participants", territory.participants)
        if territory.population:
            yield line("territoires", "", name, "population", territory.population)
        if territory.index is not None:
            yield line("territoires", "", name, "indice_representativite", f"{territory.index:.2f}")
    yield from _share_lines(line, people)


def _share_lines(line: Any, people: Representativeness) -> Iterator[str]:
    """Participants by age bracket and gender, with the population and the index where it is entered."""
    for section, shares in (("ages", people.ages), ("genres", people.genders)):
        for share in shares:
            yield line(section, "", share.label, "participants", share.count)
            if share.population:
                yield line(section, "", share.label, "population", share.population)
            if share.index is not None:
                yield line(section, "", share.label, "indice_representativite", f"{share.index:.2f}")
