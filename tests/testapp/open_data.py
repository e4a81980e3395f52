"""The test module type's open-data export and offer (platform tests of the catalogue and of links)."""

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from tests.testapp.models import Item


def is_open(module: Any) -> bool:
    return bool(module.settings.get("open_data"))


def stream(module: Any, fmt: str) -> Iterator[str]:
    titles = Item.objects.filter(module=module).order_by("pk").values_list("title", flat=True)
    if fmt == "csv":
        return iter(["titre\n", *(f"{title}\n" for title in titles)])
    return iter(['{"titres": [', ", ".join(f'"{t}"' for t in titles), "]}"])


def offered(module: Any) -> QuerySet[Any]:
    """Items whose title starts with « Retenue »: the candidates of kind ``idea``."""
    return Item.objects.filter(module=module, title__startswith="Retenue").order_by("pk")
