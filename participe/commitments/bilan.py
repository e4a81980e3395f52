"""The « Bilan » of a space, built from what the platform knows (issue #16): its figures per module (the
``statistics`` the modules declare), the timeline of its phases, every contribution of its modules with the
collectivité's answer or the mark that it has none, and its commitments. Reads only.

Contributions are the published items of the resources the modules declare (comments apart); an item says whether
it was answered through the optional members ``has_answer`` and ``get_answer_status_display`` (the proposals'
argued answers); an item without them is listed without an answer column."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Model

from participe.commitments import selectors
from participe.commitments.models import Commitment
from participe.core import resources
from participe.core.registry import Statistic, registry, statistics_of
from participe.spaces.models import Module, Phase, Space

MAX_ITEMS = 300  # per module and kind of item: beyond, the bilan says how many more there are
SKIPPED = ("comments.", "commitments.")


@dataclass
class Contribution:
    item: Model
    answerable: bool
    answered: bool
    answer: str


@dataclass
class ModuleBilan:
    module: Module
    figures: list[Statistic]
    contributions: list[Contribution] = field(default_factory=list)
    more: int = 0

    @property
    def answered(self) -> int:
        return sum(c.answered for c in self.contributions)

    @property
    def unanswered(self) -> int:
        return sum(c.answerable and not c.answered for c in self.contributions)


@dataclass
class Bilan:
    space: Space
    modules: list[ModuleBilan]
    phases: list[Phase]
    commitments: list[Commitment]
    overview: selectors.Overview

    @property
    def contributions(self) -> int:
        return sum(len(m.contributions) + m.more for m in self.modules)

    @property
    def unanswered(self) -> int:
        return sum(m.unanswered for m in self.modules)

    @property
    def answered(self) -> int:
        return sum(m.answered for m in self.modules)


def _contribution(item: Model) -> Contribution:
    has_answer = getattr(item, "has_answer", None)
    if has_answer is None:
        return Contribution(item, False, False, "")
    answered = bool(has_answer() if callable(has_answer) else has_answer)
    label = getattr(item, "get_answer_status_display", None)
    return Contribution(item, True, answered, str(label()) if answered and callable(label) else "")


def _items(module: Module, user: Any) -> tuple[list[Contribution], int]:
    found: list[Contribution] = []
    more = 0
    for resource in registry.resources():
        if resource.model.startswith(SKIPPED):
            continue
        model = apps.get_model(resource.model)
        names = {f.name for f in model._meta.get_fields()}
        if "module" not in names:
            continue
        rows = model._default_manager.filter(module=module)
        if "status" in names:
            rows = rows.filter(status="published")
        if "moderation_status" in names:
            rows = rows.filter(moderation_status=resources.PUBLISHED)
        rows = rows.order_by("pk")
        shown = (
            [i for i in rows[:MAX_ITEMS] if user.has_perm(resource.view_permission, i)]
            if (resource.view_permission)
            else list(rows[:MAX_ITEMS])
        )
        found.extend(_contribution(item) for item in shown)
        more += max(rows.count() - MAX_ITEMS, 0)
    return found, more


def bilan_of(space: Space, user: Any) -> Bilan:
    """The bilan of ``space`` as ``user`` may see it (the modules they may see, published items)."""
    modules = [
        m
        for m in Module.objects.filter(space=space, is_published=True).order_by("position", "pk")
        if user.has_perm("spaces.view_module", m)
    ]
    parts = []
    for module in modules:
        contributions, more = _items(module, user)
        parts.append(ModuleBilan(module, statistics_of(module), contributions, more))
    phases = list(Phase.objects.filter(module__in=modules).select_related("module").order_by("start", "pk"))
    commitments = list(selectors.of_space(space, user))
    overview = selectors.overview(selectors.visible_to(user).filter(space=space))
    return Bilan(space, parts, phases, commitments, overview)
