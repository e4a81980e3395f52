"""Every contribution of a bilan with the collectivité's answer, or the mark that it has none: the items of the
modules (a proposal with its argued answer) and the contributions to a discussion (a comment, answered when the
collectivité replied to it officially). Up to ``MAX_ITEMS`` are listed per module and kind, then how many more;
the counts of answered and unanswered contributions are over all of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, Model, OuterRef, QuerySet

from participe.comments.models import Comment
from participe.restitution.selectors.sources import Source, comment_source, item_sources, published
from participe.spaces.models import Module
from participe.spaces.predicates import item_is_visible

MAX_ITEMS = 300  # per module and kind: beyond, the bilan says how many more there are


@dataclass
class Contribution:
    item: Model
    answerable: bool
    answered: bool
    answer: str  # the answer's status (« retenue ») or who answered (« service »)
    answer_text: str = ""
    about: Model | None = None  # what a comment is about (a debate's subject)


@dataclass
class Group:
    """The contributions of one kind in one module."""

    label: str
    contributions: list[Contribution] = field(default_factory=list)
    more: int = 0
    answered: int = 0
    unanswered: int = 0
    answerable: bool = False


@dataclass
class ModuleContributions:
    module: Module
    groups: list[Group] = field(default_factory=list)

    @property
    def answered(self) -> int:
        return sum(g.answered for g in self.groups)

    @property
    def unanswered(self) -> int:
        return sum(g.unanswered for g in self.groups)


def _in_module(rows: list[Any], module: Module) -> list[Any]:
    """``rows`` of ``module`` given the module already loaded (with its space): their links, permissions and
    visibility read it without a query each."""
    for row in rows:
        if getattr(row, "module_id", None) == module.pk:
            row.module = module
    return rows


def _answered_filter(source: Source) -> dict[str, Any] | None:
    """How the database tells an answered item of ``source``, when it can (else the items say it themselves): its
    ``answered_at``, or the field its model names in ``answered_at_field`` (a signalement's ``acknowledged_at``)."""
    name = getattr(source.model, "answered_at_field", "answered_at")
    if source.has(name):
        return {f"{name}__isnull": False}
    return None


def _item(item: Any) -> Contribution:
    has_answer = getattr(item, "has_answer", None)
    if has_answer is None:
        return Contribution(item, False, False, "")
    answered = bool(has_answer() if callable(has_answer) else has_answer)
    label = getattr(item, "get_answer_status_display", None)
    return Contribution(
        item,
        True,
        answered,
        str(label()) if answered and callable(label) else "",
        str(getattr(item, "answer", "") or "") if answered else "",
    )


def _total(rows: QuerySet[Any], fetched: list[Any]) -> int:
    """How many ``rows`` there are, given the first ``MAX_ITEMS`` of them fetched: counted only when there may be
    more."""
    return len(fetched) if len(fetched) < MAX_ITEMS else rows.count()


def _items(source: Source, module: Module, user: Any) -> Group:
    rows = published(source, [module]).order_by("pk")
    permission = source.resource.view_permission if source.resource else None
    fetched = _in_module(list(rows[:MAX_ITEMS]), module)
    listed = [i for i in fetched if not permission or user.has_perm(permission, i)]
    group = Group(source.label, [_item(i) for i in listed])
    total = _total(rows, fetched)
    group.more = max(total - MAX_ITEMS, 0)
    group.answerable = any(c.answerable for c in group.contributions)
    answered = _answered_filter(source)
    if answered is not None:
        group.answered = rows.filter(**answered).count()
        group.unanswered = total - group.answered
    else:
        group.answered = sum(c.answered for c in group.contributions)
        group.unanswered = sum(c.answerable and not c.answered for c in group.contributions)
    return group


def _comments(module: Module, user: Any) -> Group:
    """The contributions to the module's discussions (comments that start a thread), each answered when an official
    reply of the collectivité follows it."""
    official = Comment.objects.filter(parent=OuterRef("pk"), deleted_at__isnull=True).exclude(official_role="")
    rows: QuerySet[Comment] = (
        published(comment_source(), [module])
        .filter(parent__isnull=True)
        .annotate(answered=Exists(official))
        .order_by("pk")
    )
    fetched = _in_module(list(rows.select_related("author").prefetch_related("target")[:MAX_ITEMS]), module)
    _in_module([c.target for c in fetched if c.target is not None], module)
    listed = [c for c in fetched if item_is_visible(user, c)]
    replies = {
        c.parent_id: c
        for c in Comment.objects.filter(parent__in=[c.pk for c in listed if c.answered], deleted_at__isnull=True)
        .exclude(official_role="")
        .order_by("-pk")
    }
    group = Group(str(Comment._meta.verbose_name_plural), answerable=True)
    for comment in listed:
        reply = replies.get(comment.pk)
        group.contributions.append(
            Contribution(
                comment,
                True,
                bool(comment.answered),  # type: ignore[attr-defined]
                reply.official_label or reply.get_official_role_display() if reply else "",
                reply.body if reply else "",
                about=comment.target,  # type: ignore[arg-type]
            )
        )
    total = _total(rows, fetched)
    group.more = max(total - MAX_ITEMS, 0)
    if total == len(fetched):
        group.answered = sum(bool(c.answered) for c in fetched)  # type: ignore[attr-defined]
    else:
        group.answered = rows.filter(answered=True).count()  # type: ignore[misc]  # an annotation
    group.unanswered = total - group.answered
    return group


def contributions_of(module: Module, user: Any) -> ModuleContributions:
    """The contributions of ``module`` that ``user`` may see, with their answers, kind by kind."""
    part = ModuleContributions(module)
    for source in item_sources():
        group = _items(source, module, user)
        if group.contributions or group.more:
            part.groups.append(group)
    discussion = _comments(module, user)
    if discussion.contributions or discussion.more:
        part.groups.append(discussion)
    return part
