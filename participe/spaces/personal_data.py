"""The person's roles in spaces, for « Mes données » (decision 0035)."""

from __future__ import annotations

from typing import Any

from participe.core.personal_data import Tables, rows
from participe.spaces.models import SpaceMembership


def personal_data(user: Any) -> Tables:
    memberships = SpaceMembership.objects.filter(user=user).select_related("space").order_by("created_at", "pk")
    return {"roles_dans_les_espaces": rows(memberships, ("created_at", "space", "get_role_display"))}
