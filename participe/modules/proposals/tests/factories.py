"""Factories of the proposals module's tests (imported by every test of the module)."""

from __future__ import annotations

import datetime
import random

import factory
from django.utils import timezone

from participe.assignments.tests.factories import AssignmentFactory
from participe.modules.proposals.models import Proposal, StatusChange
from tests.factories import ModuleFactory, PhaseFactory, UserFactory


class ProposalModuleFactory(ModuleFactory):
    """A proposals module with its "dépôt" phase running (submit, edit, comment, support) in a published public space.

    Settings go in ``settings={...}`` (``supports_limit``, ``support_threshold``, ``location_required``…).
    """

    class Meta:
        skip_postgeneration_save = True

    module_type = "proposals"
    title = factory.Sequence(lambda n: f"Boîte à idées {n}")
    slug = factory.Sequence(lambda n: f"boite-a-idees-{n}")
    phase = factory.RelatedFactory(
        PhaseFactory, factory_related_name="module", phase_type="depot", name="Dépôt des propositions"
    )


class ProposalFactory(factory.django.DjangoModelFactory):
    """A published proposal (``status=Proposal.Status.DRAFT`` for a draft) with its own number in the module;
    ``service=…`` gives it to a service (``service__due_at=…`` with a due date)."""

    class Meta:
        model = Proposal
        skip_postgeneration_save = True

    module = factory.SubFactory(ProposalModuleFactory)
    reference = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Des bancs à l'ombre place n° {n}")
    body = "<p>Les personnes âgées n'ont nulle part où s'asseoir en été.</p>"
    author = factory.SubFactory(UserFactory)
    status = Proposal.Status.PUBLISHED
    published_at = factory.LazyAttribute(lambda o: timezone.now() if o.status == Proposal.Status.PUBLISHED else None)
    shuffle = factory.LazyFunction(lambda: random.randrange(2**31))

    @factory.post_generation
    def service(self, create: bool, extracted: object, **kwargs: object) -> None:
        """``service=…``: the proposal is given to that service (``participe.assignments``)."""
        if create and extracted is not None:
            AssignmentFactory(item=self, service=extracted, **kwargs)


class StatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusChange

    proposal = factory.SubFactory(ProposalFactory)
    kind = StatusChange.Kind.PUBLISHED


def switch_phase(module, phase_type: str, *, days_ago: int = 1) -> None:
    """Replace the running phase of ``module`` by a running phase of ``phase_type`` ("soutiens", "analyse"…)."""
    now = timezone.now()
    module.phases.all().delete()
    PhaseFactory(
        module=module,
        phase_type=phase_type,
        name=phase_type.capitalize(),
        start=now - datetime.timedelta(days=days_ago),
        end=now + datetime.timedelta(days=30),
    )
    if hasattr(module, "_prefetched_objects_cache"):
        module._prefetched_objects_cache.pop("phases", None)
