"""Reads: which items one supports (one query), the allowance left, resolving a target from a URL."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType

from participe.spaces.models import Module
from participe.supports import selectors, services
from participe.supports.tests.factories import comment_on, limited_module
from tests.factories import ItemFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_supported_ids_answers_a_whole_page_in_one_query(django_assert_num_queries):
    user = UserFactory()
    items = [ItemFactory() for _ in range(5)]
    services.support_add(actor=user, target=items[1])
    services.support_add(actor=user, target=items[3])
    services.support_add(actor=UserFactory(), target=items[0])
    with django_assert_num_queries(1):
        found = selectors.supported_ids(user, items)
    assert found == {items[1].pk, items[3].pk}


def test_supported_ids_is_empty_for_an_anonymous_visitor(django_assert_num_queries):
    item = ItemFactory()
    with django_assert_num_queries(0):
        assert selectors.supported_ids(AnonymousUser(), [item]) == set()


def test_supports_left_counts_only_what_uses_the_allowance():
    module = limited_module(3)
    user = UserFactory()
    item = ItemFactory(module=module)
    assert selectors.supports_left(user, module) == 3
    services.support_add(actor=user, target=item)
    services.support_add(actor=user, target=comment_on(item))
    assert selectors.supports_used(user, module) == 1
    assert selectors.supports_left(user, module) == 2


def test_supports_left_is_none_without_a_limit():
    assert selectors.supports_left(UserFactory(), limited_module(None)) is None


def test_supportable_target_resolves_declared_models_only():
    item = ItemFactory()
    item_type = ContentType.objects.get_for_model(item)
    assert selectors.supportable_target(item_type.pk, item.pk) == item
    assert selectors.supportable_target(item_type.pk, item.pk + 1000) is None
    module_type = ContentType.objects.get_for_model(Module)
    assert selectors.supportable_target(module_type.pk, item.module.pk) is None
    assert selectors.supportable_target(999_999, 1) is None


def test_my_supports_lists_newest_first():
    module = limited_module(None)
    user = UserFactory()
    first, second = ItemFactory(module=module), ItemFactory(module=module)
    services.support_add(actor=user, target=first)
    services.support_add(actor=user, target=second)
    assert [s.target for s in selectors.my_supports(user, module)] == [second, first]


def test_the_settings_field_feeds_the_limit():
    from django import forms

    from participe.supports.forms import supports_limit_field

    class Settings(forms.Form):
        supports_limit = supports_limit_field(initial=10)

    form = Settings(data={"supports_limit": "4"})
    assert form.is_valid()
    module = limited_module(None)
    module.settings = form.cleaned_data
    module.save()
    assert selectors.supports_limit(module) == 4
    assert not Settings(data={"supports_limit": "-1"}).is_valid()
