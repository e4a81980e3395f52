"""Volume seeding of the debate module (``manage.py seed_volume``, docs/benchmarks.md): the questions put to
residents and the stance comments answering them, with the subjects' counters consistent with the rows."""

from __future__ import annotations

import datetime
from typing import Any

from participe.harness.volume import CommentPlan, VolumeContext, comment_plans, write_comments
from participe.modules.debate.models import Subject

QUESTIONS = [
    "Faut-il piétonniser le centre-ville le samedi ?",
    "Quelle place pour la voiture dans les quartiers résidentiels ?",
    "Comment rendre les cours d'école plus agréables en été ?",
    "Faut-il étendre les horaires de la médiathèque le dimanche ?",
    "Quels équipements sportifs manquent dans votre quartier ?",
    "Comment mieux partager l'espace entre piétons et cyclistes ?",
    "Faut-il créer une maison de santé au cœur du quartier ?",
    "Quelles priorités pour le budget de la propreté ?",
    "Comment accueillir les nouveaux habitants ?",
    "Faut-il réduire l'éclairage public la nuit ?",
    "Quel avenir pour l'ancienne friche industrielle ?",
    "Comment développer les circuits courts au marché ?",
]
SUMMARIES = [
    "La ville envisage plusieurs scénarios et souhaite connaître l'avis des habitants avant de décider.",
    "Un diagnostic a été réalisé l'an dernier : il est temps de choisir les orientations.",
    "Les avis recueillis nourriront la délibération du conseil municipal à l'automne.",
    "Chaque contribution sera lue et la synthèse publiée à la fin de la concertation.",
]
BODY = (
    "<p>Ce sujet fait partie de la concertation. Donnez votre position (favorable, neutre ou défavorable) "
    "et argumentez : les services étudieront chaque contribution.</p>"
)
DAY = datetime.timedelta(days=1)


def seed_volume(ctx: VolumeContext) -> int:
    """Every debate module gets ``--size debate_subjects=N`` subjects (6 by default), the last one a draft, and the
    comments answering them: the ``debate_comments`` share of ``--contributions`` spread over the modules with a
    heavy tail, or ``--comments-per-item`` × ``--items-per-module`` per module. Comments are dated in the debate
    phase (the module's first phase: from 45 to 15 days ago)."""
    modules = ctx.module_ids("debate")
    if not modules:
        return 0
    before = ctx.writer.rows_written
    per_module = max(ctx.size("debate_subjects", 6), 1)
    total = ctx.contributions("debate_comments")
    if total is None:
        totals = [ctx.sizes.items_per_module * ctx.sizes.comments_per_item] * len(modules)
    else:
        totals = ctx.spread(total, len(modules))
    ctx.progress.add_total(len(modules) * per_module + sum(totals))
    agents: list[int | None] = [*ctx.users.get("agent", [])] or [None]
    authors = ctx.users.get("verified", []) + ctx.users.get("participant", []) or list(ctx.user_ids)
    opened = ctx.now - 45 * DAY
    first = ctx.next_id(Subject)
    plans: list[tuple[int, int, CommentPlan]] = []  # (subject id, module id, plan)
    rows: list[dict[str, Any]] = []
    for module_id, comments in zip(modules, totals, strict=True):
        published = per_module - 1 if per_module > 1 else 1
        for position, plan in enumerate(comment_plans(ctx.rng, published, comments)):
            plans.append((first + len(rows), module_id, plan))
            rows.append(_subject_row(ctx, module_id, position, plan, opened, agents))
        if per_module > 1:
            rows.append(_subject_row(ctx, module_id, per_module - 1, None, opened, agents))
    ctx.bulk(Subject, rows, "debate subjects")
    ctx.reindex.append(Subject._meta.label)  # a few thousand: the search service indexes them after the load
    write_comments(
        ctx,
        model=Subject,
        targets=(target for target in plans if target[2].total),
        authors=authors,
        since=opened,
        until=opened + 30 * DAY,
    )
    return ctx.writer.rows_written - before


def _subject_row(
    ctx: VolumeContext,
    module_id: int,
    position: int,
    plan: CommentPlan | None,
    opened: datetime.datetime,
    agents: list[Any],
) -> dict[str, Any]:
    """A subject; ``plan`` None: a draft (no comments)."""
    rng = ctx.rng
    draft = plan is None
    plan = plan or CommentPlan()
    return {
        "module_id": module_id,
        "title": rng.choice(QUESTIONS),
        "summary": rng.choice(SUMMARIES),
        "body": BODY,
        "position": position,
        "status": Subject.Status.DRAFT if draft else Subject.Status.PUBLISHED,
        "published_at": None if draft else opened,
        "author_id": rng.choice(agents),
        "comments_count": plan.total,
        "comments_favorable_count": plan.favorable,
        "comments_neutral_count": plan.neutral,
        "comments_unfavorable_count": plan.unfavorable,
        "created_at": opened - DAY,
    }
