"""Reads of the organisation's territories, themes and services."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from participe.organisation.models import Service, Territory


def territory_tree(exclude: Territory | None = None) -> list[tuple[Territory, int]]:
    """Every territory with its depth, parents before their children, in one query.

    ``exclude`` leaves out a territory and everything under it (the choices for its own parent).
    """
    territories = list(Territory.objects.order_by("name"))
    children: dict[int | None, list[Territory]] = {}
    for territory in territories:
        children.setdefault(territory.parent_id, []).append(territory)
    known = {t.pk for t in territories}
    roots = [t for t in territories if t.parent_id is None or t.parent_id not in known]
    result: list[tuple[Territory, int]] = []
    stack = [(t, 0) for t in reversed(roots)]
    seen: set[int] = set()
    while stack:
        territory, depth = stack.pop()
        if territory.pk in seen or (exclude is not None and territory.pk == exclude.pk):
            continue
        seen.add(territory.pk)
        result.append((territory, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(territory.pk, [])))
    return result


def services_with_counts() -> QuerySet[Service]:
    return Service.objects.annotate(member_count=Count("members"))
