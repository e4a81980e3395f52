"""Volume seeding of the proposals module (``manage.py seed_volume``, docs/benchmarks.md): proposals with their
supports and stance comments, written in bulk with every counter consistent with the rows.

``write_proposals`` is also what ``bench/proposals.py`` calls to fill one module with 100,000 proposals.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from participe.harness.volume import CommentPlan, VolumeContext, heavy_tailed, write_comments, write_supports
from participe.modules.proposals.models import Proposal, StatusChange
from participe.modules.proposals.selectors.proposals import SEED_MAX

# Lumerac's town centre, the point the demo and the volume gather their proposals around.
CENTRE = (49.2731, 3.8615)

IDEAS = [
    "Installer des bancs à l'ombre",
    "Créer une piste cyclable protégée",
    "Ouvrir un jardin partagé",
    "Installer des toilettes publiques",
    "Aménager une aire de jeux pour les petits",
    "Installer un composteur collectif",
    "Poser des arceaux à vélos",
    "Installer une fontaine à boire",
    "Créer un passage piéton surélevé",
    "Installer une boîte à livres",
    "Rénover le terrain de basket",
    "Poser des nichoirs et un hôtel à insectes",
    "Couvrir la halle du marché",
    "Créer un skatepark",
    "Planter des arbres",
    "Éclairer le chemin piéton",
    "Réparer les trottoirs",
    "Limiter la vitesse à 30 km/h",
    "Végétaliser la cour de l'école",
    "Créer une zone de rencontre",
]
PLACES = [
    "place du Marché",
    "rue Haute",
    "avenue de la Gare",
    "parc des Tilleuls",
    "bords de Vesle",
    "square Jean-Moulin",
    "près du collège",
    "devant la médiathèque",
    "quartier de la Croix-Rouge",
    "sur le Plateau Nord",
    "chemin du Moulin",
    "rue des Écoles",
]
REASONS = [
    "Aujourd'hui, rien n'est prévu et les habitants s'en plaignent régulièrement.",
    "Les familles du quartier n'ont aucun endroit de ce type à moins de vingt minutes à pied.",
    "L'été, l'endroit devient une fournaise et personne ne s'y arrête.",
    "Les enfants et les personnes âgées y passent chaque jour, souvent dans de mauvaises conditions.",
    "Plusieurs associations sont prêtes à participer à l'entretien.",
    "Un aménagement semblable a très bien fonctionné dans la commune voisine.",
]
ANSWERS = {
    Proposal.AnswerStatus.ANALYSIS: "<p>Le service étudie la faisabilité de cette proposition.</p>",
    Proposal.AnswerStatus.SELECTED: "<p>Proposition retenue : elle est inscrite au programme de travaux.</p>",
    Proposal.AnswerStatus.REJECTED: "<p>Non retenue : le terrain appartient au département, qui s'y oppose.</p>",
    Proposal.AnswerStatus.DONE: "<p>Réalisé : l'aménagement est en service depuis le printemps.</p>",
}
DAY = datetime.timedelta(days=1)


@dataclass
class ProposalVolume:
    """What ``write_proposals`` writes into one module."""

    count: int
    supports: int = 0  # in all, spread with a heavy tail (a few proposals get thousands)
    comments: int = 0  # in all, a fifth of them replies
    geolocated_share: float = 0.7
    days: int = 60  # publication dates spread over that many days before now
    threshold: int | None = None  # the module's support threshold: proposals reaching it are "retenues pour analyse"


def seed_volume(ctx: VolumeContext) -> int:
    """Every proposals module the platform seeded gets proposals with their supports and comments.

    With ``--contributions``, the proposals' shares of it (``proposals``, ``proposal_supports``,
    ``proposal_comments``) are spread over the modules with a heavy tail; otherwise each module gets
    ``--size proposals=N`` proposals (``--items-per-module`` by default) with ``--supports-per-item`` and
    ``--comments-per-item`` on average.
    """
    modules = ctx.module_ids("proposals")
    if not modules:
        return 0
    before = ctx.writer.rows_written
    total = ctx.contributions("proposals")
    if total is None:
        per_module = ctx.size("proposals", ctx.sizes.items_per_module)
        counts = [per_module] * len(modules)
        supports = per_module * len(modules) * ctx.sizes.supports_per_item
        comments = per_module * len(modules) * ctx.sizes.comments_per_item
    else:
        counts = ctx.spread(total, len(modules))
        supports = ctx.contributions("proposal_supports") or 0
        comments = ctx.contributions("proposal_comments") or 0
    planned = max(sum(counts), 1)
    volumes = [
        (module_id, ProposalVolume(count=n, supports=supports * n // planned, comments=comments * n // planned))
        for module_id, n in zip(modules, counts, strict=True)
        if n
    ]
    write_proposals_in(ctx, volumes)
    return ctx.writer.rows_written - before


def write_proposals(ctx: VolumeContext, module_id: int, volume: ProposalVolume) -> range:
    """Write ``volume.count`` proposals into a module (numbered after its last one), their public history, and the
    supports and comments their counters announce; returns the range of the new proposals' ids."""
    return write_proposals_in(ctx, [(module_id, volume)])


def write_proposals_in(ctx: VolumeContext, volumes: list[tuple[int, ProposalVolume]]) -> range:
    """``write_proposals`` for several modules at once: one stream per table, whatever the number of modules."""
    from django.db.models import Max

    from participe.organisation.models import Territory, Theme

    rng = ctx.rng
    themes: list[int | None] = [*Theme.objects.values_list("pk", flat=True)] or [None]
    quartiers = Territory.objects.filter(kind="quartier").values_list("pk", flat=True)[:50]
    territories: list[int | None] = [*quartiers] or [None]
    people = ctx.users.get("verified", []) + ctx.users.get("participant", []) or list(ctx.user_ids)
    ctx.progress.add_total(sum(v.count * 2 + v.supports + v.comments for _m, v in volumes))
    references = dict(
        Proposal.objects.filter(module_id__in=[m for m, _v in volumes])
        .values("module_id")
        .annotate(top=Max("reference"))
        .values_list("module_id", "top")
    )
    first = ctx.next_id(Proposal)
    batches = []  # (module id, volume, first id, plans)
    for module_id, volume in volumes:
        batches.append((module_id, volume, first, _plans(rng, volume, len(people), ctx.now)))
        first += volume.count

    def rows() -> Iterator[dict[str, Any]]:
        for module_id, volume, _first, plans in batches:
            top = references.get(module_id) or 0
            for n, plan in enumerate(plans):
                yield _proposal_row(ctx, module_id, top + 1 + n, plan, themes, territories, people, volume)

    ids = ctx.bulk(Proposal, rows(), "proposals")
    published = [
        (start + n, module_id, plan)
        for module_id, _volume, start, plans in batches
        for n, plan in enumerate(plans)
        if plan.published
    ]
    ctx.bulk(StatusChange, (step for pk, _m, plan in published for step in _history(pk, plan)), "proposal history")
    days = max((v.days for _m, v in volumes), default=60)
    since = ctx.now - days * DAY
    starts = {pk: plan.date for pk, _m, plan in published}  # nobody supports nor comments before publication
    write_supports(
        ctx,
        model=Proposal,
        targets=((pk, module_id, plan.supports) for pk, module_id, plan in published if plan.supports),
        users=people,
        since=since,
        starts=starts,
    )
    write_comments(
        ctx,
        model=Proposal,
        targets=((pk, module_id, plan.comments) for pk, module_id, plan in published if plan.comments.total),
        authors=people,
        since=since,
        starts=starts,
    )
    write_search_entries(ctx, ids)
    return ids


def write_search_entries(ctx: VolumeContext, ids: range) -> int:
    """Index the published, visible proposals among ``ids`` as ``participe.search.services.index_object`` would
    (same title, text, address and visibility; on SQLite the normalised full-text rows too), in bulk."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.urls import reverse

    from participe.search.models import SearchEntry
    from participe.search.services import write_fts_rows
    from participe.search.text import clean_line, plain_text
    from participe.spaces.models import Module

    content_type_id = ContentType.objects.get_for_model(Proposal).pk
    shown = Proposal.objects.filter(status=Proposal.Status.PUBLISHED, moderation_status="published")
    columns = ("pk", "title", "body", "address", "answer", "created_at", "moderation_status", "module_id")
    # Read everything before writing: on PostgreSQL the connection cannot query while a COPY streams.
    found = [
        row
        for start in range(ids.start, ids.stop, 10_000)
        for row in shown.filter(pk__gte=start, pk__lt=min(start + 10_000, ids.stop)).values_list(*columns)
    ]
    modules = {m.pk: m for m in Module.objects.select_related("space").filter(pk__in={row[7] for row in found})}
    urls = {
        pk: reverse("spaces:proposals:detail", kwargs={"slug": m.space.slug, "module_slug": m.slug, "pk": 0})[:-2]
        for pk, m in modules.items()
    }
    first = ctx.next_id(SearchEntry)
    fts: list[tuple[int, str, str]] = []

    def entries() -> Iterator[dict[str, Any]]:
        for n, (pk, title, body, address, answer, created_at, moderation_status, module_id) in enumerate(found):
            module = modules[module_id]
            title = clean_line(title)[:300]
            text = "\n".join(plain_text(value) for value in (body, address, answer))
            if connection.vendor == "sqlite":
                fts.append((first + n, title, text))
            yield {
                "content_type_id": content_type_id,
                "object_id": pk,
                "kind": "proposals.proposal",
                "space_id": module.space_id,
                "module_id": module_id,
                "title": title,
                "body": text,
                "url": f"{urls[module_id]}{pk}/",
                "date": created_at,
                "space_status": module.space.status,
                "space_public": module.space.visibility == "public",
                "module_published": module.is_published,
                "moderation_status": moderation_status,
            }

    written = ctx.bulk(SearchEntry, entries(), "search index")
    for start in range(0, len(fts), 10_000):
        write_fts_rows(fts[start : start + 10_000])
    return len(written)


@dataclass
class _Plan:
    published: bool
    withdrawn: bool
    date: datetime.datetime
    supports: int
    comments: CommentPlan
    answer: str = ""
    retained: bool = False

    @property
    def later(self) -> datetime.datetime:
        """When it was withdrawn or answered: a day after it was deposited (the latest are all a few days old)."""
        return self.date + DAY


def _plans(rng: random.Random, volume: ProposalVolume, people: int, now: datetime.datetime) -> list[_Plan]:
    """Decide each proposal's fate and counts up front, so that its row is written with its counters right.

    Drafts (3 %) get nothing, withdrawn proposals (2 %) no supports; the others share the supports and comments
    with a heavy tail; a fifth of the comments are replies, under the threads that have top-level comments.
    """
    n = volume.count
    published = [rng.random() >= 0.03 for _ in range(n)]
    withdrawn = [published[i] and rng.random() < 0.02 for i in range(n)]
    shown = [i for i in range(n) if published[i]]
    # Withdrawing releases the supports (proposal_withdraw); the comments stay.
    supported = [i for i in shown if not withdrawn[i]]
    supports = dict(zip(supported, heavy_tailed(rng, len(supported), volume.supports, cap=people), strict=True))
    replies_total = volume.comments // 5
    top_level = heavy_tailed(rng, len(shown), volume.comments - replies_total, cap=volume.comments)
    top = dict(zip(shown, top_level, strict=True))
    threads = [i for i in shown if top[i]]
    replies = dict.fromkeys(threads, 0)
    for i in rng.choices(threads, weights=[top[i] for i in threads], k=replies_total) if threads else []:
        replies[i] += 1
    plans = []
    for i in range(n):
        comments = CommentPlan()
        if top.get(i):
            split = sorted(rng.random() for _ in range(2))
            favorable, neutral = int(top[i] * split[0]), int(top[i] * (split[1] - split[0]))
            comments = CommentPlan(favorable, neutral, top[i] - favorable - neutral, replies[i])
        plans.append(
            _Plan(
                published=published[i],
                withdrawn=withdrawn[i],
                date=now - datetime.timedelta(seconds=86400 + rng.random() * volume.days * 86400),
                supports=supports.get(i, 0),
                comments=comments,
                answer=_answer_status(rng) if published[i] and not withdrawn[i] else "",
                retained=volume.threshold is not None and supports.get(i, 0) >= volume.threshold,
            )
        )
    return plans


def _proposal_row(
    ctx: VolumeContext,
    module_id: int,
    reference: int,
    plan: _Plan,
    themes: list[Any],
    territories: list[Any],
    people: list[int],
    volume: ProposalVolume,
) -> dict[str, Any]:
    rng = ctx.rng
    located = rng.random() < volume.geolocated_share
    answer = plan.answer
    status = (
        Proposal.Status.WITHDRAWN
        if plan.withdrawn
        else Proposal.Status.PUBLISHED
        if plan.published
        else Proposal.Status.DRAFT
    )
    comments = plan.comments
    return {
        "module_id": module_id,
        "reference": reference,
        "title": f"{rng.choice(IDEAS)} {rng.choice(PLACES)}",
        "body": "<p>" + " ".join(rng.sample(REASONS, 2)) + "</p>",
        "theme_id": rng.choice(themes),
        "territory_id": rng.choice(territories),
        "latitude": _coordinate(CENTRE[0] + rng.gauss(0, 0.012)) if located else None,
        "longitude": _coordinate(CENTRE[1] + rng.gauss(0, 0.018)) if located else None,
        "address": rng.choice(PLACES) if located else "",
        "author_id": rng.choice(people) if people else None,
        "status": status,
        "published_at": plan.date if plan.published else None,
        "withdrawn_at": plan.later if plan.withdrawn else None,
        "shuffle": rng.randrange(SEED_MAX),
        "retained_at": plan.later if plan.retained else None,
        "answer_status": answer,
        "answer": ANSWERS.get(answer, ""),  # type: ignore[call-overload]
        "answered_at": plan.later if answer else None,
        "supports_count": plan.supports,
        "comments_count": comments.total,
        "comments_favorable_count": comments.favorable,
        "comments_neutral_count": comments.neutral,
        "comments_unfavorable_count": comments.unfavorable,
        "moderation_status": "hidden" if plan.published and rng.random() < 0.005 else "published",
        "created_at": plan.date,
    }


def _history(pk: int, plan: _Plan) -> Iterator[dict[str, Any]]:
    yield {"proposal_id": pk, "kind": StatusChange.Kind.PUBLISHED, "answer_status": "", "created_at": plan.date}
    if plan.withdrawn:
        yield {
            "proposal_id": pk,
            "kind": StatusChange.Kind.WITHDRAWN,
            "answer_status": "",
            "created_at": plan.later,
        }
    if plan.retained:
        yield {"proposal_id": pk, "kind": StatusChange.Kind.RETAINED, "answer_status": "", "created_at": plan.later}
    if plan.answer:
        yield {
            "proposal_id": pk,
            "kind": StatusChange.Kind.ANSWERED,
            "answer_status": plan.answer,
            "created_at": plan.later,
        }


def _answer_status(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.05:
        return Proposal.AnswerStatus.ANALYSIS
    if roll < 0.08:
        return Proposal.AnswerStatus.SELECTED
    if roll < 0.11:
        return Proposal.AnswerStatus.REJECTED
    if roll < 0.12:
        return Proposal.AnswerStatus.DONE
    return ""


def _coordinate(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")
