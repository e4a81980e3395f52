"""Factories of the page module's tests (a module's tests build its objects here, on the platform's factories)."""

from __future__ import annotations

import factory

from participe.modules.page.models import PageContent
from tests.factories import ModuleFactory, PhaseFactory


class PageModuleFactory(ModuleFactory):
    """A page module with its "information" phase running, in a published public space."""

    class Meta:
        skip_postgeneration_save = True

    module_type = "page"
    title = factory.Sequence(lambda n: f"Présentation {n}")
    slug = factory.Sequence(lambda n: f"presentation-{n}")
    phase = factory.RelatedFactory(PhaseFactory, factory_related_name="module", phase_type="information")


class PageContentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PageContent

    module = factory.SubFactory(PageModuleFactory)
    body = "<h2>Le projet</h2><p>La place du Marché sera réaménagée en 2026.</p>"
