"""Routing to services in any back-office page: ``{% load assignments %}``.

- ``{% assignment_mark item %}``: the service an item is given to, its due date, « en retard » when it is overdue,
  « traité » when it is handled. On a list, annotate the queryset with ``selectors.with_assignment`` (or call
  ``selectors.prefetch_assignments`` on the page): the tag then makes no query per row.
- ``{% routing_history item %}``: who gave the item to which service, when, why.
- ``{% item_notes item %}``: the internal notes of the item, each with « Supprimer » for its author.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.utils import timezone

from participe.assignments import selectors

register = template.Library()


def _mark_values(item: Any) -> dict[str, Any]:
    if "assignment_service_name" in item.__dict__:  # annotated by selectors.with_assignment
        return {
            "service": item.assignment_service_name,
            "due_at": item.assignment_due_at,
            "done_at": item.assignment_done_at,
        }
    assignment = selectors.assignment_of(item)
    if assignment is None:
        return {"service": None, "due_at": None, "done_at": None}
    return {"service": assignment.service.name, "due_at": assignment.due_at, "done_at": assignment.done_at}


def is_overdue(due_at: datetime.datetime | None, done_at: datetime.datetime | None) -> bool:
    return done_at is None and due_at is not None and due_at < timezone.now()


@register.inclusion_tag("assignments/partials/_mark.html")
def assignment_mark(item: Any, empty: str = "—") -> dict[str, Any]:
    """The service, the due date and « en retard » of an item (``empty`` when it is given to no service)."""
    values = _mark_values(item)
    return values | {"overdue": is_overdue(values["due_at"], values["done_at"]), "empty": empty}


@register.inclusion_tag("assignments/partials/_history.html")
def routing_history(item: Any) -> dict[str, Any]:
    return {"events": selectors.history_of(item)}


@register.inclusion_tag("assignments/partials/_notes.html", takes_context=True)
def item_notes(context: dict[str, Any], item: Any) -> dict[str, Any]:
    request = context.get("request")
    return {
        "notes": selectors.notes_of(item),
        "user": getattr(request, "user", None),
        "csrf_token": context.get("csrf_token"),
    }
