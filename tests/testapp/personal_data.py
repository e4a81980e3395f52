"""The test module's items a person wrote (« Mes données »: the module contract every module follows)."""

from typing import Any

from participe.core.personal_data import Tables, rows
from tests.testapp.models import Item


def personal_data(user: Any) -> Tables:
    return {"elements": rows(Item.objects.filter(author=user).order_by("pk"), ("title", "body"))}
