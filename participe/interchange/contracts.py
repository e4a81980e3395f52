"""Which models the interchange archive carries, in which order (docs/reversibility.md, decision 0039).

Each module declares its contract in its manifest (``ModuleManifest.interchange``); the platform's apps and the
libraries' apps declare theirs here, in ``PLATFORM``. An app declared nowhere is carried whole, with the default
contract (``Interchange()``): a new app or a new model is in the archive until someone decides otherwise, with a
reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.db import models

from participe.core.interchange import Interchange
from participe.core.registry import registry

# Models rebuilt by ``migrate`` on every instance, that rows point to: written by their natural key, never by id
# (a content type's id differs from one database to another).
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "contenttypes.ContentType": ("app_label", "model"),
    "auth.Permission": ("codename", "content_type__app_label", "content_type__model"),
}

REBUILT_BY_MIGRATE = "rebuilt by migrate on every instance; rows point to it by natural key"

PLATFORM: dict[str, Interchange] = {
    # Django and the libraries.
    "contenttypes": Interchange(excluded={"contenttypes.ContentType": REBUILT_BY_MIGRATE}),
    "auth": Interchange(excluded={"auth.Permission": REBUILT_BY_MIGRATE}),
    "sessions": Interchange(
        excluded={"sessions.Session": "signed-in sessions: ephemeral, and bound to the source's secret key"}
    ),
    "sites": Interchange(
        excluded={"sites.Site": "rebuilt by migrate and kept in step with SITE_URL and the organisation's name"}
    ),
    "account": Interchange(
        excluded={"account.EmailConfirmation": "a pending email confirmation token: ephemeral, sent again on request"}
    ),
    "mfa": Interchange(credentials=("mfa.Authenticator",)),
    "django_tasks_database": Interchange(
        excluded={"django_tasks_database.DBTaskResult": "the task queue: ephemeral work, re-enqueued by its triggers"}
    ),
    # The platform.
    "core": Interchange(
        excluded={"core.IdempotentWrite": "idempotency keys of recent API writes: a replay guard that expires"}
    ),
    "accounts": Interchange(credentials=("accounts.User.password",)),
    "search": Interchange(
        excluded={
            "search.SearchEntry": "the search index, rebuilt from the rest after an import (search_reindex)",
            "search.SearchEntryTerritory": "the search index's filters, rebuilt with it",
            "search.SearchEntryTheme": "the search index's filters, rebuilt with it",
        }
    ),
    "dataright": Interchange(
        excluded={"dataright.DataExport": "a person's « Mes données » archive: a generated file whose link expires"}
    ),
}


@dataclass(frozen=True)
class Entity:
    """One model carried in the archive: one JSON Lines file."""

    label: str
    model: type[models.Model]
    credential_fields: tuple[str, ...]  # fields written only with the credentials
    credential_model: bool  # the whole model is carried only with the credentials

    @property
    def file(self) -> str:
        return f"entities/{self.label}.jsonl"


def label_of(model: type[models.Model]) -> str:
    return model._meta.label


def app_models(app_label: str) -> list[type[models.Model]]:
    """The app's tables: its concrete models and the many-to-many tables they own."""
    return [
        m
        for m in apps.get_app_config(app_label).get_models(include_auto_created=True)
        if not m._meta.proxy and m._meta.managed
    ]


def contract_for(app_label: str) -> Interchange:
    """The app's contract: its module's manifest's, else the one its AppConfig declares (``interchange``: an app
    above this one names its own models), else the platform's, else the default (everything)."""
    for manifest in registry.all():
        if manifest.app_label == app_label:
            return manifest.interchange
    declared = getattr(apps.get_app_config(app_label), "interchange", None)
    if isinstance(declared, Interchange):
        return declared
    return PLATFORM.get(app_label, Interchange())


def dependencies(model: type[models.Model]) -> set[type[models.Model]]:
    """The models this one's rows point to (self-references aside)."""
    return {
        f.related_model
        for f in model._meta.concrete_fields
        if f.is_relation and isinstance(f.related_model, type) and f.related_model is not model
    }


def _ordered(chosen: list[type[models.Model]]) -> list[type[models.Model]]:
    """Dependencies first, the given order otherwise (stable: the same code gives the same order)."""
    remaining = list(chosen)
    placed: list[type[models.Model]] = []
    inside = set(chosen)
    while remaining:
        for model in remaining:
            if all(dep in placed or dep not in inside for dep in dependencies(model)):
                break
        else:  # a cycle: the first one left goes first (foreign keys are checked at the end of the transaction)
            model = remaining[0]
        remaining.remove(model)
        placed.append(model)
    return placed


@cache
def entities() -> tuple[Entity, ...]:
    """Every model the archive carries, in load order (dependencies first)."""
    chosen: list[type[models.Model]] = []
    credentials: dict[str, list[str]] = {}
    credential_models: set[str] = set()
    for config in apps.get_app_configs():
        contract = contract_for(config.label)
        found = {label_of(m): m for m in app_models(config.label)}
        if contract.models is not None:
            labels = [label for label in contract.models if label in found]
        else:
            labels = [label for label in found if label not in contract.excluded]
        chosen.extend(found[label] for label in labels if label not in contract.excluded)
        for item in contract.credentials:
            if item in found:
                credential_models.add(item)
            else:
                label, _, name = item.rpartition(".")
                credentials.setdefault(label, []).append(name)
    return tuple(
        Entity(
            label=label_of(m),
            model=m,
            credential_fields=tuple(credentials.get(label_of(m), ())),
            credential_model=label_of(m) in credential_models,
        )
        for m in _ordered(chosen)
    )


def entity(label: str) -> Entity | None:
    return next((e for e in entities() if e.label == label), None)


def excluded() -> dict[str, str]:
    """Every model left out of the archive, with the reason."""
    found: dict[str, str] = {}
    for config in apps.get_app_configs():
        found.update(contract_for(config.label).excluded)
    return dict(sorted(found.items()))
