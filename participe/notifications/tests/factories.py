"""Factories of the notifications app."""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from participe.accounts.models import User
from participe.notifications import services
from participe.notifications.models import Follow
from tests.factories import UserFactory


def following(target: Model, **user_fields: Any) -> User:
    """A new user who follows ``target``."""
    user = UserFactory(**user_fields)
    services.follow(actor=user, target=target)
    return user


def follow_of(user: User, target: Model) -> Follow:
    return services.follow(actor=user, target=target)
