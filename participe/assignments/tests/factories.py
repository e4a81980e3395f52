"""Factories of routing to services: an assignment or a note on any item (``item=…``)."""

from __future__ import annotations

import factory
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from participe.assignments.models import Assignment, Note
from tests.factories import ServiceFactory, UserFactory


class _OnItem(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    class Params:
        item = None  # the item it is about (required)

    content_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.item))
    object_id = factory.LazyAttribute(lambda o: o.item.pk)
    module = factory.LazyAttribute(lambda o: o.item.module)


class AssignmentFactory(_OnItem):
    """An item given to a service (``due_at`` in the past: an overdue item)."""

    class Meta:
        model = Assignment

    service = factory.SubFactory(ServiceFactory)
    assigned_at = factory.LazyFunction(timezone.now)


class NoteFactory(_OnItem):
    class Meta:
        model = Note

    author = factory.SubFactory(UserFactory)
    body = "Voir avec le service des espaces verts."
