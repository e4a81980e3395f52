"""Factories of supports, on the test-only resource ``testapp.Item`` (see tests/testapp)."""

from __future__ import annotations

from typing import Any

import factory
from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from participe.supports.models import Support
from tests.factories import ItemFactory, ParticipationModuleFactory, UserFactory


class SupportFactory(factory.django.DjangoModelFactory):
    """A support row written directly (the counter is not updated: use the services for that)."""

    class Meta:
        model = Support

    class Params:
        item = factory.SubFactory(ItemFactory)

    user = factory.SubFactory(UserFactory)
    content_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.item))
    object_id = factory.LazyAttribute(lambda o: o.item.pk)
    module = factory.LazyAttribute(lambda o: o.item.module)


def limited_module(limit: int | None, **kwargs: Any) -> Any:
    """A module of the test module type, its participation phase running, allowing ``limit`` supports each."""
    return ParticipationModuleFactory(settings={"supports_limit": limit} if limit is not None else {}, **kwargs)


def comment_on(item: Any, **kwargs: Any) -> Any:
    """A published comment on ``item`` (the comments app declares comments supportable)."""
    comment_model = apps.get_model("comments", "Comment")
    values = {
        "content_type": ContentType.objects.get_for_model(item),
        "object_id": item.pk,
        "module": item.module,
        "author": UserFactory(),
        "stance": "favorable",
        "body": "Bonne idée.",
    }
    values.update(kwargs)
    return comment_model.objects.create(**values)
