"""Factories of the debate module's tests."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from participe.modules.debate.models import Subject
from tests.factories import ModuleFactory, PhaseFactory


class DebateModuleFactory(ModuleFactory):
    """A debate module with its "débat" phase running (comments open) in a published public space."""

    class Meta:
        skip_postgeneration_save = True

    module_type = "debate"
    title = factory.Sequence(lambda n: f"Débat {n}")
    slug = factory.Sequence(lambda n: f"debat-{n}")
    phase = factory.RelatedFactory(PhaseFactory, factory_related_name="module", phase_type="debat", name="Débat")


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subject

    module = factory.SubFactory(DebateModuleFactory)
    title = factory.Sequence(lambda n: f"Faut-il piétonniser la rue n° {n} ?")
    summary = "Une question posée aux habitants."
    body = "<p>La rue est encombrée le samedi.</p>"
    status = Subject.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    position = factory.Sequence(lambda n: n)


def synthesis_phase(module, *, days_ago: int = 1) -> None:
    """Replace the running phase of ``module`` by a running "synthèse" phase (comments closed)."""
    now = timezone.now()
    module.phases.all().delete()
    PhaseFactory(
        module=module,
        phase_type="synthese",
        name="Synthèse",
        start=now - datetime.timedelta(days=days_ago),
        end=now + datetime.timedelta(days=30),
    )
