"""Where a bilan finds a démarche's contributions without knowing its modules: the resources the manifests declare
whose items have an author (a proposal, a budget project: what a participant gave), and the comments on them (a
debate's contributions). Items of the collectivité (a debate's subject, a commitment) are not contributions.

What an item may offer, read when its model has it (decision 0026):
- ``status``: only ``published`` items count when it exists; ``moderation_status``: only published ones; unless the
  resource names its contributions itself (``Resource.contribution_items`` returning a QuerySet of its items: a
  signalements module's public reports, whose ``status`` is never « published », decision 0042);
- ``origin``, ``channel`` or ``source`` (``online``/``web``/``api``/``open311``, ``paper``, ``meeting``,
  ``counter``/``agent``, ``phone``) and ``entered_by`` (an agent entered it for a resident): its channel;
- ``territory``: where it is about (else its author's territory);
- ``has_answer`` and ``get_answer_status_display``: the collectivité's answer (a proposal's argued answer, a
  report's public status); ``answered_at`` (or the field its model names in ``answered_at_field``) lets the
  database count the answered ones."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Model, QuerySet
from django.utils.module_loading import import_string

from participe.comments.models import Comment
from participe.core import resources
from participe.core.registry import Resource, registry

# Platform items that are the collectivité's, not contributions (and the bilan itself).
NOT_CONTRIBUTIONS = ("comments.", "commitments.", "restitution.")


@dataclass(frozen=True)
class Source:
    """One kind of contribution: its model, its author's field, and the fields it offers."""

    resource: Resource | None
    model: type[Model]
    author: str
    fields: frozenset[str]

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    def has(self, name: str) -> bool:
        return name in self.fields


def _fields(model: type[Model]) -> frozenset[str]:
    return frozenset(f.name for f in model._meta.get_fields())


def item_sources() -> Iterator[Source]:
    """The declared resources whose items are participants' contributions to a module."""
    for resource in registry.resources():
        if resource.model.startswith(NOT_CONTRIBUTIONS) or not resource.author_field:
            continue
        model = apps.get_model(resource.model)
        fields = _fields(model)
        if "module" in fields and resource.author_field in fields:
            yield Source(resource, model, resource.author_field, fields)


def comment_source() -> Source:
    return Source(None, Comment, "author", _fields(Comment))


def _declared(source: Source, modules: Any) -> QuerySet[Any] | None:
    """The items ``source``'s resource names itself as contributions in ``modules`` (``contribution_items``), when
    it names rows of its own type (None: it does not, or names records that are not rows)."""
    resource = source.resource
    if resource is None or not resource.contribution_items:
        return None
    items = import_string(str(resource.contribution_items))
    keys = {m.key for m in registry.all() if resource in m.resources}
    found: list[QuerySet[Any]] = []
    for module in modules:
        if module.module_type not in keys:
            continue
        rows = items(module)
        if not isinstance(rows, QuerySet) or rows.model is not source.model:
            return None
        found.append(rows)
    if not found:
        return source.model._default_manager.none()
    union = found[0]
    for rows in found[1:]:
        union = union | rows
    return union


def published(source: Source, modules: Any) -> QuerySet[Any]:
    """The published contributions of ``source`` in ``modules`` (comments: neither deleted nor official)."""
    declared = _declared(source, modules)
    if declared is not None:
        return declared
    rows = source.model._default_manager.filter(module__in=modules)
    if source.model is Comment:
        return rows.filter(deleted_at__isnull=True, official_role="", moderation_status=resources.PUBLISHED)
    if source.has("status"):
        rows = rows.filter(status="published")
    if source.has("moderation_status"):
        rows = rows.filter(moderation_status=resources.PUBLISHED)
    return rows
