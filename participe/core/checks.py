"""System checks validating the module registry at start-up."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core import checks
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.module_loading import import_string

from participe.core.capabilities import Cap
from participe.core.registry import ModuleManifest, registry


def _check_keys(manifest: ModuleManifest, obj: str) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    if not manifest.key.isidentifier():
        errors.append(checks.Error(f"Module key {manifest.key!r} must be an identifier.", obj=obj, id="participe.E002"))
    phase_keys = [p.key for p in manifest.phase_types]
    if not phase_keys:
        errors.append(checks.Error("A module declares at least one phase type.", obj=obj, id="participe.E003"))
    if len(set(phase_keys)) != len(phase_keys):
        errors.append(checks.Error("Phase type keys must be unique.", obj=obj, id="participe.E004"))
    return errors


def _check_phases(manifest: ModuleManifest, obj: str) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    phase_keys = {p.key for p in manifest.phase_types}
    for phase in manifest.phase_types:
        unknown = {c for c in phase.capabilities if not isinstance(c, Cap)}
        if unknown:
            errors.append(
                checks.Error(
                    f"Phase type {phase.key} grants unknown capabilities {unknown}.", obj=obj, id="participe.E005"
                )
            )
    errors.extend(
        checks.Error(
            f"Blueprint {blueprint.key} uses unknown phase type {bp.phase_type}.", obj=obj, id="participe.E006"
        )
        for blueprint in manifest.blueprints
        for bp in blueprint.phases
        if bp.phase_type not in phase_keys
    )
    return errors


def _check_references(manifest: ModuleManifest, obj: str) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for template in manifest.templates:
        try:
            get_template(template)
        except TemplateDoesNotExist:
            errors.append(checks.Error(f"Template {template} does not exist.", obj=obj, id="participe.E007"))
    modules = (manifest.urls, manifest.backoffice_urls)
    objects = (manifest.api_router, manifest.detail_view, manifest.seeds)
    for path in filter(None, modules):
        try:
            import_module(path)
        except ImportError as exc:
            errors.append(checks.Error(f"{path} cannot be imported: {exc}", obj=obj, id="participe.E008"))
    for path in filter(None, objects):
        try:
            import_string(path)
        except ImportError as exc:
            errors.append(checks.Error(f"{path} cannot be imported: {exc}", obj=obj, id="participe.E008"))
    return errors


def _check_manifest(manifest: ModuleManifest) -> list[checks.CheckMessage]:
    obj = f"module {manifest.key}"
    return _check_keys(manifest, obj) + _check_phases(manifest, obj) + _check_references(manifest, obj)


@checks.register()
def check_module_registry(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = [
        checks.Error(f"Module key {key!r} is declared twice.", id="participe.E001") for key in registry.duplicates
    ]
    for manifest in registry.all():
        errors.extend(_check_manifest(manifest))
    return errors


MODULES_DIR = Path(__file__).resolve().parent.parent / "modules"  # read from disk: core never imports a module


def module_package_errors(modules_dir: Path = MODULES_DIR) -> list[checks.CheckMessage]:
    """The convention checked at start-up: every package under ``participe/modules/`` is an installed app with a
    manifest; the measurement hooks a manifest names exist (found, not imported: they belong to the tooling)."""
    errors: list[checks.CheckMessage] = []
    for package in sorted(p for p in modules_dir.iterdir() if (p / "__init__.py").exists()):
        name, obj = f"participe.modules.{package.name}", f"participe/modules/{package.name}"
        config = next((c for c in apps.get_app_configs() if c.name == name), None)
        if config is None:
            errors.append(checks.Error(f"{name} is not in INSTALLED_APPS.", obj=obj, id="participe.E020"))
        elif not any(m.app_label == config.label for m in registry.all()):
            message = f"{name} has no manifest (manifest.py: manifest = ModuleManifest(…))."
            errors.append(checks.Error(message, obj=obj, id="participe.E021"))
    for manifest in registry.all():
        hooks = (manifest.volume and manifest.volume.rpartition(".")[0], manifest.authz_expectations)
        errors.extend(
            checks.Error(f"{path} does not exist.", obj=f"module {manifest.key}", id="participe.E022")
            for path in filter(None, hooks)
            if not _module_exists(path)
        )
    return errors


def _module_exists(path: str) -> bool:
    try:
        return find_spec(path) is not None
    except ModuleNotFoundError:  # a parent package is missing
        return False


@checks.register()
def check_module_packages(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return module_package_errors()
