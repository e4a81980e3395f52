"""The resource protocol (decision 0006, ``participe.core.resources``): every declared resource offers it, and the
optional members are read with their defaults in one place."""

from __future__ import annotations

import pytest
from django.apps import apps

from participe.core import resources
from participe.core.registry import registry
from tests.factories import ItemFactory

COUNTERS = ("comments_count", "supports_count", "followers_count", "reports_count", "moderation_status")


@pytest.mark.parametrize("resource", registry.resources(), ids=lambda r: r.model)
def test_every_declared_resource_offers_the_protocol(resource):
    model = apps.get_model(resource.model)
    assert callable(getattr(model, "get_absolute_url", None)), resource.model
    fields = {f.name for f in model._meta.get_fields()}
    if resource.commentable or resource.supportable or resource.reportable:
        assert set(COUNTERS) <= fields, resource.model
    if resource.author_field:
        assert resource.author_field in fields, resource.model


class Bare:
    """An object that says nothing of the optional members."""


@pytest.mark.django_db
def test_optional_members_have_their_defaults():
    bare = Bare()
    assert resources.accepts_participation(bare) and resources.is_searchable(bare)
    assert resources.moderation_status(bare) == "published" and resources.is_published(bare)
    assert resources.module_of(bare) is None and resources.count(bare, "supports_count") == 0
    item = ItemFactory(moderation_status="hidden", supports_count=3)
    assert not resources.is_published(item) and resources.count(item, "supports_count") == 3
    assert resources.item(item).module == item.module
    assert resources.interactive(item).reports_count == 0
