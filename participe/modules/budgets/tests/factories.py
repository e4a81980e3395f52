"""A budget module in its vote phase, with envelopes and feasible projects written through the services."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.utils import timezone

from participe.modules.budgets import services
from participe.modules.budgets.models import Envelope, Project
from tests.factories import ModuleFactory, PhaseFactory, make_org_admin


class BudgetModuleFactory(ModuleFactory):
    class Meta:
        skip_postgeneration_save = True

    module_type = "budgets"
    title = factory.Sequence(lambda n: f"Budget participatif {n}")
    phase = factory.RelatedFactory(
        PhaseFactory,
        factory_related_name="module",
        phase_type="vote",
        name="Vote",
        start=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1)),
        end=factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7)),
    )


def make_envelope(*, module: Any = None, admin: Any = None, **data: Any) -> Envelope:
    admin = admin or make_org_admin()
    module = module or BudgetModuleFactory()
    values = {"title": "Toute la ville", "amount": 100_000, "ballot_kind": Envelope.BallotKind.BUDGET, **data}
    return services.envelope_save(actor=admin, module=module, envelope=None, data=values)


def make_projects(
    envelope: Envelope, costs: tuple[int, ...], *, admin: Any = None, publish: bool = True
) -> list[Project]:
    """Projects of ``envelope`` with these costs, found feasible and published (on the ballot) when ``publish``."""
    admin = admin or make_org_admin()
    made = [
        services.project_save(
            actor=admin,
            module=envelope.module,
            project=None,
            data={"envelope": envelope, "title": f"Projet {n}", "estimated_cost": cost},
        )
        for n, cost in enumerate(costs, start=1)
    ]
    if publish:
        services.answers_prepare(actor=admin, projects=made, feasibility="feasible", answer="<p>Faisable.</p>")
        services.answers_publish(actor=admin, projects=made)
    return [Project.objects.get(pk=p.pk) for p in made]


def make_vote(costs: tuple[int, ...] = (60_000, 50_000, 30_000, 10_000), **data: Any) -> tuple[Envelope, list[Project]]:
    """An envelope with projects on the ballot and its vote open (online and paper)."""
    admin = data.pop("admin", None) or make_org_admin()
    envelope = make_envelope(admin=admin, **data)
    projects = make_projects(envelope, costs, admin=admin)
    envelope = services.vote_open(actor=admin, envelope=envelope, channels="both")
    envelope.election.min_group = 1
    envelope.election.batch_size = 1
    envelope.election.save(update_fields=["min_group", "batch_size"])
    return envelope, projects
