"""Factories of moderation's own rows (the reportable content itself is ``tests.factories.ItemFactory``)."""

import factory
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from participe.moderation.models import ModerationCase, Report
from tests.factories import ItemFactory, UserFactory


class ModerationCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ModerationCase

    target = factory.SubFactory(ItemFactory)
    content_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.target))
    object_id = factory.LazyAttribute(lambda o: o.target.pk)
    module = factory.LazyAttribute(lambda o: o.target.module)
    space = factory.LazyAttribute(lambda o: o.target.module.space)
    author = factory.LazyAttribute(lambda o: o.target.author)
    title = factory.LazyAttribute(lambda o: str(o.target))
    updated_at = factory.LazyFunction(timezone.now)


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    case = factory.SubFactory(ModerationCaseFactory)
    reporter = factory.SubFactory(UserFactory)
    content_type = factory.LazyAttribute(lambda o: o.case.content_type)
    object_id = factory.LazyAttribute(lambda o: o.case.object_id)
    module = factory.LazyAttribute(lambda o: o.case.module)
    reason = "spam"
