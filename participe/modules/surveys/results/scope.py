"""Which respondents the results count: everyone, those of a territory (and of the territories under it), or those
without a territory (no account, or an account without one)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from participe.modules.surveys.models import Questionnaire, Response, StagedResponse
from participe.organisation.models import Territory


@dataclass(frozen=True)
class Scope:
    """Which respondents are counted: everyone, those of a territory and its sub-territories, or those without one."""

    territory: Territory | None = None
    territory_ids: frozenset[int] = frozenset()
    without_territory: bool = False

    @classmethod
    def of_territory(cls, territory: Territory) -> Scope:
        return cls(territory=territory, territory_ids=frozenset(territory.descendant_ids()))

    @property
    def is_everyone(self) -> bool:
        return self.territory is None and not self.without_territory

    def answers(self, questionnaire_id: int) -> Q:
        """The filter on ``Answer``: a subquery of the scope's responses, so that the results' indexes on answers,
        which hold the response, are read without the table (a join would fetch each answer's response)."""
        if self.is_everyone:
            return Q()
        responses = Response.objects.filter(self.condition(), questionnaire_id=questionnaire_id)
        return Q(response_id__in=responses.values("pk"))

    @property
    def key(self) -> str:
        if self.without_territory:
            return "none"
        return f"t{self.territory.pk}" if self.territory is not None else "all"

    def condition(self) -> Q:
        """The filter on a model with a ``territory`` (a response, a tally)."""
        if self.without_territory:
            return Q(territory__isnull=True)
        if self.territory is not None:
            return Q(territory_id__in=sorted(self.territory_ids))
        return Q()


EVERYONE = Scope()
# Below this many respondents, the results of a territory are not published: one could guess who answered what.
# For an anonymous questionnaire they are not shown to the staff either.
MIN_GROUP = 10


def is_anonymous(questionnaire: Questionnaire) -> bool:
    """Whether the questionnaire's answers are anonymous now (its module's settings in the current phase)."""
    module = questionnaire.module
    return bool(module.effective_settings(module.current_phase()).get("anonymous"))


def protected_scope(questionnaire: Questionnaire, scope: Scope) -> tuple[Scope, bool]:
    """The scope the staff may read: for an anonymous questionnaire, a territory with fewer than ``MIN_GROUP``
    respondents is not detailed, and everyone is counted instead (the flag says it happened)."""
    if scope.is_everyone or not is_anonymous(questionnaire):
        return scope, False
    if respondents_count(questionnaire, scope) >= MIN_GROUP:
        return scope, False
    return EVERYONE, True


def submitted_responses(questionnaire: Questionnaire) -> QuerySet[Response]:
    return Response.objects.filter(questionnaire=questionnaire, submitted_at__isnull=False, is_test=False)


def respondents_count(questionnaire: Questionnaire, scope: Scope = EVERYONE) -> int:
    """Submitted responses (test ones never count) of the scope; anonymous responses once mixed (the counters and
    answers they add are written then)."""
    if scope.is_everyone:
        waiting = StagedResponse.objects.filter(questionnaire=questionnaire).count()
        return max(0, questionnaire.responses_count - waiting)
    return submitted_responses(questionnaire).filter(scope.condition()).count()


def territory_options() -> list[tuple[Territory, int]]:
    """Every territory with its depth in the tree, parents before their children (for a filter list)."""
    territories = list(Territory.objects.order_by("name"))
    children: dict[int | None, list[Territory]] = defaultdict(list)
    for territory in territories:
        children[territory.parent_id].append(territory)
    ordered: list[tuple[Territory, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for territory in children.get(parent, []):
            ordered.append((territory, depth))
            walk(territory.pk, depth + 1)

    walk(None, 0)
    return ordered
