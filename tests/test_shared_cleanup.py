"""Deleting a module deletes what every shared app holds about its items (each registers its cleanup with the
registry; spaces, below them, calls ``registry.delete_shared``): the whole journey across the layers."""

from __future__ import annotations

import pytest

from participe.comments.models import Comment
from participe.comments.services import comment_create
from participe.notifications.models import Follow
from participe.notifications.services import follow
from participe.search.models import SearchEntry
from participe.search.services import index_object
from participe.spaces import services as spaces_services
from participe.spaces.models import Space
from participe.supports.models import Support
from participe.supports.services import support_add
from tests.factories import ItemFactory, UserFactory, make_org_admin

pytestmark = pytest.mark.django_db


def test_deleting_a_module_deletes_what_the_shared_apps_hold_about_its_items():
    admin = make_org_admin()
    item = ItemFactory(module__space__status=Space.Status.PUBLISHED, module__is_published=True)
    other = ItemFactory()  # another module: its rows stay
    resident = UserFactory()
    for target in (item, other):
        comment_create(actor=resident, target=target, body="Bonne idée.", stance="favorable")
        support_add(actor=resident, target=target)
        index_object(target)
    follow(actor=resident, target=item.module)

    spaces_services.module_delete(actor=admin, module=item.module)

    assert [c.object_id for c in Comment.objects.all()] == [other.pk]
    assert [s.object_id for s in Support.objects.filter(content_type__model="item")] == [other.pk]
    assert not Follow.objects.filter(
        object_id__in=[item.pk, item.module.pk], content_type__model__in=["item", "module"]
    ).exists()
    assert not SearchEntry.objects.filter(content_type__model="item", object_id=item.pk).exists()
