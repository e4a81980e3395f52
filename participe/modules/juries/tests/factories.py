"""Factories of the juries' tests."""

from __future__ import annotations

import factory

from tests.factories import ModuleFactory, PhaseFactory


class JuryModuleFactory(ModuleFactory):
    """A jury module in its call for volunteers, in a published public space."""

    class Meta:
        skip_postgeneration_save = True

    module_type = "juries"
    title = factory.Sequence(lambda n: f"Jury citoyen {n}")
    slug = factory.Sequence(lambda n: f"jury-{n}")
    phase = factory.RelatedFactory(PhaseFactory, factory_related_name="module", phase_type="volontariat")
