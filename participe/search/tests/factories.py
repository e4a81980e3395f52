"""Factories of the search tests."""

from __future__ import annotations

import factory

from participe.spaces.models import NewsPost
from tests.factories import SpaceFactory


class NewsPostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsPost

    space = factory.SubFactory(SpaceFactory)
    title = factory.Sequence(lambda n: f"Actualité {n}")
    body = "<p>Les travaux commencent lundi.</p>"
