"""Registrations the back-office offers the apps above it (decision 0012): they fill them in ``AppConfig.ready()``.

``register_demo_seed(dotted_path)``: a callable ``seed(admin)`` that the demo (``load_demo``) runs once its spaces,
modules and accounts exist, inside its transaction — a platform app above the back-office adds its own demo data
(the commitments of the place du Marché). Idempotent, like the demo itself."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.module_loading import import_string

_demo_seeds: dict[str, str] = {}


def register_demo_seed(dotted_path: str) -> None:
    _demo_seeds[dotted_path] = dotted_path


def demo_seeds() -> Iterator[Any]:
    """The registered seeds, in the order the apps registered them (``INSTALLED_APPS``)."""
    for path in _demo_seeds.values():
        yield import_string(path)
