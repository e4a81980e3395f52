"""Factories of comments, on the test-only resource ``testapp.Item`` (see tests/testapp)."""

from __future__ import annotations

import factory
from django.contrib.contenttypes.models import ContentType

from participe.comments.models import Comment, Stance
from tests.factories import ItemFactory, UserFactory


class CommentFactory(factory.django.DjangoModelFactory):
    """A published top-level comment, written directly (counters are not updated: use the services for that)."""

    class Meta:
        model = Comment

    class Params:
        item = factory.SubFactory(ItemFactory)

    content_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.item))
    object_id = factory.LazyAttribute(lambda o: o.item.pk)
    module = factory.LazyAttribute(lambda o: o.item.module)
    author = factory.SubFactory(UserFactory)
    stance = Stance.FAVORABLE
    body = factory.Sequence(lambda n: f"Commentaire numéro {n}.")
