"""A bilan written and published by several administrators at the same moment (PostgreSQL: real row locks, one
connection per thread): one row, one publication, its followers told once."""

from __future__ import annotations

import pytest

from participe.notifications.models import Notification
from participe.notifications.services import follow
from participe.restitution import services
from participe.restitution.models import Bilan
from tests.concurrency import race
from tests.factories import SpaceFactory, UserFactory, make_org_admin

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_five_publications_at_once_publish_once_and_tell_once():
    space = SpaceFactory()
    follower = UserFactory()
    follow(actor=follower, target=space)
    admins = [make_org_admin() for _ in range(5)]
    race([lambda a=a: services.bilan_publish(actor=a, space=space) for a in admins])
    bilan = Bilan.objects.get(space=space)
    assert bilan.is_published
    assert Notification.objects.filter(event="restitution.bilan_published", recipient=follower).count() == 1


def test_first_saves_at_once_make_one_bilan_whole():
    space = SpaceFactory()
    admins = [make_org_admin() for _ in range(4)]
    race(
        [
            lambda a=a, n=n: services.bilan_save(
                actor=a, space=space, introduction=f"<p>Version {n}</p>", decisions=f"<p>Décision {n}</p>",
                sections=["figures"],
            )
            for n, a in enumerate(admins)
        ]
    )  # fmt: skip
    bilan = Bilan.objects.get(space=space)
    version = bilan.introduction.removeprefix("<p>Version ").removesuffix("</p>")
    assert bilan.decisions == f"<p>Décision {version}</p>"  # one writer's texts, never half of each
