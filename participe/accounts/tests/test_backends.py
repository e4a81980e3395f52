"""Model permissions read in one query (participe/accounts/backends.py), with Django's answers."""

from __future__ import annotations

import pytest
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from participe.accounts.backends import ModelBackend
from participe.accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def test_it_reads_a_permission_given_directly_or_through_a_group_as_django_does() -> None:
    elected = Permission.objects.get(codename="post_as_elected")
    other = Permission.objects.exclude(pk=elected.pk).first()
    direct, grouped, both, inactive, nobody = (UserFactory() for _ in range(5))
    group = Group.objects.create(name="Élus")
    group.permissions.add(elected, other)
    direct.user_permissions.add(elected)
    grouped.groups.add(group)
    both.user_permissions.add(elected)
    both.groups.add(group)
    inactive.groups.add(group)
    User.objects.filter(pk=inactive.pk).update(is_active=False)
    for user in (direct, grouped, both, inactive, nobody):
        ours, django = (
            ModelBackend().get_all_permissions(fresh(user)),
            DjangoModelBackend().get_all_permissions(fresh(user)),
        )
        assert ours == django
    assert ModelBackend().get_all_permissions(fresh(both)) == {
        "comments.post_as_elected",
        f"{other.content_type.app_label}.{other.codename}",
    }
    reader = fresh(grouped)
    with CaptureQueriesContext(connection) as queries:
        assert reader.has_perm("comments.post_as_elected")
        assert not reader.has_perm("backoffice.access")
        assert not reader.has_perm("comments.other")
    # the rules say no (the back-office's rule reads the reader's roles), the database's permissions are read once
    assert len([q for q in queries.captured_queries if '"auth_permission"' in q["sql"]]) == 1


def test_a_superuser_and_an_object_are_answered_as_django_answers() -> None:
    superuser = UserFactory(is_superuser=True)
    assert ModelBackend().get_all_permissions(superuser) == DjangoModelBackend().get_all_permissions(fresh(superuser))
    assert ModelBackend().get_all_permissions(UserFactory(), obj=object()) == set()
