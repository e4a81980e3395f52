"""The « Bilan » of a space (issue #16, decision 0026), built from what the platform knows and what its agents wrote:
the introduction, the figures (participants, contributions by kind, by territory against the population, by
channel), the timeline of its phases, the published syntheses, every contribution with its answer or the mark that
it has none, the decisions taken, and its commitments. Reads only."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from participe.commitments import selectors as commitments
from participe.commitments.models import Commitment
from participe.core.registry import Statistic, statistics_of
from participe.restitution.models import Bilan
from participe.restitution.selectors.contributions import ModuleContributions, contributions_of
from participe.restitution.selectors.figures import Figures, figures_of
from participe.spaces.models import Module, Phase, Space
from participe.synthesis import selectors as synthesis


@dataclass
class ModuleFigures:
    module: Module
    figures: list[Statistic]


@dataclass
class Report:
    """Everything a bilan shows, for one reader."""

    space: Space
    edition: Bilan
    figures: Figures
    modules: list[ModuleFigures]
    contributions: list[ModuleContributions]
    phases: list[Phase]
    commitments: list[Commitment]
    syntheses: list[synthesis.PublishedSynthesis] = field(default_factory=list)

    @property
    def answered(self) -> int:
        return sum(m.answered for m in self.contributions)

    @property
    def unanswered(self) -> int:
        return sum(m.unanswered for m in self.contributions)

    def shows(self, section: str) -> bool:
        return self.edition.shown.get(section, False)


def edition_of(space: Space) -> Bilan:
    """The space's bilan as its agents left it, or a new draft showing every section (not saved: a GET writes
    nothing)."""
    return Bilan.objects.filter(space=space).first() or Bilan(space=space)


def published_syntheses(space: Space) -> list[synthesis.PublishedSynthesis]:
    """The published syntheses of ``space``'s contributions (participe.synthesis), newest first, each with its themes
    and quotes: the bilan's « Synthèses » section (``restitution/partials/_syntheses.html``, the PDF and the DOCX).
    The bilan's reader may see the space (its views check it)."""
    return synthesis.published_syntheses(space)


def visible_modules(space: Space, user: Any) -> list[Module]:
    return [
        m
        for m in Module.objects.filter(space=space, is_published=True)
        .select_related("space")
        .order_by("position", "pk")
        if user.has_perm("spaces.view_module", m)
    ]


def bilan_of(space: Space, user: Any, *, edition: Bilan | None = None) -> Report:
    """The bilan of ``space`` as ``user`` may see it (the modules they may see, published contributions)."""
    modules = visible_modules(space, user)
    phases = list(Phase.objects.filter(module__in=modules).select_related("module").order_by("start", "pk"))
    statistics = {m.pk: statistics_of(m) for m in modules}
    return Report(
        space=space,
        edition=edition or edition_of(space),
        figures=figures_of(modules, statistics),
        modules=[ModuleFigures(m, statistics[m.pk]) for m in modules],
        contributions=[part for part in (contributions_of(m, user) for m in modules) if part.groups],
        phases=phases,
        commitments=list(commitments.of_space(space, user)),
        syntheses=published_syntheses(space),
    )
