"""The module registry: one manifest per participation module.

Each module package has a ``manifest.py`` defining ``manifest = ModuleManifest(...)``.
Manifests are discovered at start-up (``autodiscover_modules("manifest")``) and validated by
system checks (see ``participe.core.checks``). Nothing about a module is listed anywhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.functional import Promise

from participe.core.capabilities import Cap

if TYPE_CHECKING:
    from django.db.models import Model

Text = str | Promise


@dataclass(frozen=True)
class PhaseType:
    """A kind of phase a module offers, and the capabilities it grants while it runs."""

    key: str
    name: Text
    capabilities: frozenset[Cap]
    description: Text = ""


@dataclass(frozen=True)
class BlueprintPhase:
    phase_type: str
    name: Text
    days: int = 30


@dataclass(frozen=True)
class Blueprint:
    """A preset sequence of phases an agent can start a module from."""

    key: str
    name: Text
    phases: tuple[BlueprintPhase, ...]
    description: Text = ""


@dataclass(frozen=True)
class Resource:
    """An item type of a module and the shared interactions it takes part in."""

    model: str  # "app_label.ModelName"
    commentable: bool = False
    supportable: bool = False
    followable: bool = False
    reportable: bool = False
    searchable: bool = False
    geolocated: bool = False
    attachments: bool = False


@dataclass(frozen=True)
class Export:
    key: str
    name: Text
    formats: tuple[str, ...]
    open_data: bool = False


@dataclass(frozen=True)
class ModuleManifest:
    """Everything a module adds to the platform, in one declarative object."""

    key: str
    name: Text
    description: Text
    icon: str
    app_label: str
    phase_types: tuple[PhaseType, ...]
    settings_form: type[forms.Form] | None = None
    blueprints: tuple[Blueprint, ...] = ()
    urls: str | None = None  # dotted path of the module's public urlconf (mounted under the module URL)
    backoffice_urls: str | None = None  # dotted path of its back-office urlconf
    api_router: str | None = None  # dotted path of a django-ninja Router
    detail_view: str | None = None  # dotted path of the view rendering the module page
    resources: tuple[Resource, ...] = ()
    exports: tuple[Export, ...] = ()
    notification_events: tuple[str, ...] = ()
    statistics: Callable[[Any], dict[str, int]] | None = None
    seeds: str | None = None  # dotted path of a callable(module) creating demo items
    templates: tuple[str, ...] = ()  # templates the module needs; checked at start-up
    actions: tuple[Cap, ...] = field(default=())  # actions eligibility rules may restrict

    def phase_type(self, key: str) -> PhaseType | None:
        return next((p for p in self.phase_types if p.key == key), None)

    def blueprint(self, key: str) -> Blueprint | None:
        return next((b for b in self.blueprints if b.key == key), None)

    def default_settings(self) -> dict[str, Any]:
        if self.settings_form is None:
            return {}
        return {name: f.initial for name, f in self.settings_form.base_fields.items()}


class Registry:
    """Holds the manifests found at start-up, keyed by module type."""

    def __init__(self) -> None:
        self._manifests: dict[str, ModuleManifest] = {}
        self.duplicates: list[str] = []

    def register(self, manifest: ModuleManifest) -> ModuleManifest:
        if manifest.key in self._manifests and self._manifests[manifest.key] is not manifest:
            self.duplicates.append(manifest.key)
        self._manifests[manifest.key] = manifest
        return manifest

    def unregister(self, key: str) -> None:
        """Forget the manifest registered under ``key`` (tests register throwaway modules)."""
        self._manifests.pop(key, None)
        self.duplicates = [k for k in self.duplicates if k != key]

    def get(self, key: str) -> ModuleManifest | None:
        return self._manifests.get(key)

    def __getitem__(self, key: str) -> ModuleManifest:
        return self._manifests[key]

    def __contains__(self, key: object) -> bool:
        return key in self._manifests

    def __iter__(self) -> Iterable[ModuleManifest]:  # type: ignore[override]
        return iter(sorted(self._manifests.values(), key=lambda m: m.key))

    def all(self) -> list[ModuleManifest]:
        return list(self)  # type: ignore[call-overload]

    def choices(self) -> list[tuple[str, Text]]:
        return [(m.key, m.name) for m in self.all()]


registry = Registry()


def autodiscover() -> None:
    """Import every installed app's ``manifest`` submodule and register what it defines."""
    from importlib import import_module

    from django.apps import apps

    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.manifest")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.manifest":
                raise
            continue
        manifest = getattr(module, "manifest", None)
        if isinstance(manifest, ModuleManifest):
            registry.register(manifest)


def resource_flags(model: type[Model] | Model) -> Resource | None:
    """The flags a module declared for a model (or None if no module declares it)."""
    label = model._meta.label
    for manifest in registry.all():
        for resource in manifest.resources:
            if resource.model == label:
                return resource
    return None
