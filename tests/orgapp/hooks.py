"""Hooks that record their calls, for the lifecycle tests."""

from typing import Any

calls: list[tuple[Any, ...]] = []


def before_delete(module: Any) -> None:
    calls.append(("before_delete", module.pk))


def phase_changed(module: Any, previous: str | None, current: str | None) -> None:
    calls.append(("phase_changed", module.pk, previous, current))
