"""Template filters of the budgets module: ``{% load budgets %}``."""

from __future__ import annotations

from typing import Any

from django import template

from participe.modules.budgets.schema import money

register = template.Library()


@register.filter
def euros(value: Any) -> str:
    """12500 → « 12 500 € »."""
    try:
        return money(int(value))
    except (TypeError, ValueError):
        return ""


@register.filter
def abs_euros(value: Any) -> str:
    try:
        return money(abs(int(value)))
    except (TypeError, ValueError):
        return ""
