"""A votation module in its vote phase, with its question and options written through the services."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.utils import timezone

from participe.modules.votation import services
from participe.modules.votation.models import Question
from tests.factories import ModuleFactory, PhaseFactory, make_org_admin


class VotationModuleFactory(ModuleFactory):
    class Meta:
        skip_postgeneration_save = True

    module_type = "votation"
    title = factory.Sequence(lambda n: f"Votation {n}")
    phase = factory.RelatedFactory(
        PhaseFactory,
        factory_related_name="module",
        phase_type="vote",
        name="Vote",
        start=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1)),
        end=factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7)),
    )


def make_votation(
    *,
    kind: str = Question.Kind.SINGLE,
    options: tuple[str, ...] = ("Tilleuls", "Simone-Veil", "Fontaine"),
    module: Any = None,
    admin: Any = None,
    election: dict[str, Any] | None = None,
    **data: Any,
) -> Question:
    admin = admin or make_org_admin()
    module = module or VotationModuleFactory()
    question = services.question_save(
        actor=admin,
        module=module,
        data={"text": "Quel nom pour la place ?", "kind": kind, **data},
        election={"channels": "both", "batch_size": 3, "min_group": 1, **(election or {})},
    )
    if kind != Question.Kind.YESNO:
        for position, title in enumerate(options, start=1):
            services.option_save(
                actor=admin, question=question, option=None, data={"title": title, "position": position}
            )
    question.refresh_from_db()
    return question


def option_ids(question: Question) -> list[int]:
    return list(question.options.order_by("position", "pk").values_list("pk", flat=True))
