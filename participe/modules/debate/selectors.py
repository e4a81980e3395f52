"""Reads of the debate module: the subjects a visitor may see, a subject's page, the module's figures."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from participe.core.models import ModerationStatus
from participe.modules.debate.models import Subject
from participe.spaces.models import Module

STANCES = ("favorable", "neutral", "unfavorable")


def can_manage(user: Any, module: Module) -> bool:
    """Space staff write and publish the subjects (and see the drafts)."""
    return bool(user.has_perm("debate.manage_subject", module))


def subjects_for_page(module: Module, *, include_drafts: bool = False) -> QuerySet[Subject]:
    """The subjects of a module in their order, ready for a list (no query per subject).

    A debate holds a handful of questions, so the list is not paginated; their comments are.
    """
    qs = Subject.objects.filter(module=module).select_related("module__space")
    if not include_drafts:
        qs = qs.filter(status=Subject.Status.PUBLISHED, moderation_status=ModerationStatus.PUBLISHED)
    return qs.order_by("position", "pk")


def subjects_visible_to(user: Any, module: Module) -> QuerySet[Subject]:
    return subjects_for_page(module, include_drafts=can_manage(user, module))


def subject_for_page(*, space_slug: str, module_slug: str, pk: int) -> Subject | None:
    """A subject found from its public address (the space, the module and its number must agree)."""
    return (
        Subject.objects.select_related("module__space", "author")
        .prefetch_related("module__phases")
        .filter(pk=pk, module__slug=module_slug, module__space__slug=space_slug, module__module_type="debate")
        .first()
    )


def stance_shares(subject: Subject) -> list[dict[str, Any]]:
    """Each stance with its count and its share of the comments that took a stance (percentages sum to ~100)."""
    counts = {
        "favorable": subject.comments_favorable_count,
        "neutral": subject.comments_neutral_count,
        "unfavorable": subject.comments_unfavorable_count,
    }
    total = sum(counts.values())
    return [{"key": key, "count": n, "percent": round(100 * n / total) if total else 0} for key, n in counts.items()]


def next_position(module: Module) -> int:
    last = Subject.objects.filter(module=module).order_by("-position").values_list("position", flat=True).first()
    return 0 if last is None else last + 1


def module_statistics(module: Module) -> dict[str, int]:
    """The figures of a debate module (published subjects), for the dashboards and the reports."""
    published = Subject.objects.filter(module=module, status=Subject.Status.PUBLISHED)
    figures = published.aggregate(
        subjects=Count("pk"),
        comments=Sum("comments_count"),
        favorable=Sum("comments_favorable_count"),
        neutral=Sum("comments_neutral_count"),
        unfavorable=Sum("comments_unfavorable_count"),
        followers=Sum("followers_count"),
        syntheses=Count("pk", filter=Q(synthesis_published_at__isnull=False)),
    )
    return {key: int(value or 0) for key, value in figures.items()}
