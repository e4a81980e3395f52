"""System checks validating the module registry at start-up."""

from __future__ import annotations

import re
import sys
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core import checks
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import Resolver404, resolve
from django.utils.module_loading import import_string
from django.utils.text import slugify

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
    # The measurement hooks (volume, authz_expectations) are found, not imported: module_package_errors.
    modules = (manifest.urls, manifest.backoffice_urls, manifest.rules)
    objects = (
        manifest.api_router,
        manifest.detail_view,
        manifest.seeds,
        manifest.statistics,
        manifest.hooks.before_delete,
        manifest.hooks.phase_changed,
        manifest.hooks.settings_changed,
        manifest.hooks.account_deleted,
        manifest.hooks.purge_drafts,
        manifest.personal_data,
        *(path for export in manifest.exports for path in (export.stream, export.is_open)),
        *(offer.items for offer in manifest.offers),
    )
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


def _check_rules_declared(manifest: ModuleManifest, obj: str) -> list[checks.CheckMessage]:
    """A module's ``rules.py`` is loaded because its manifest names it: one that is not named would be ignored."""
    config = next((c for c in apps.get_app_configs() if c.label == manifest.app_label), None)
    if config is None:
        return [checks.Error(f"App {manifest.app_label!r} is not installed.", obj=obj, id="participe.E009")]
    if (Path(config.path) / "rules.py").exists() and manifest.rules != f"{config.name}.rules":
        return [
            checks.Error(
                f"{config.name}.rules exists but the manifest does not name it (rules={config.name + '.rules'!r}).",
                obj=obj,
                id="participe.E010",
            )
        ]
    return []


def _check_personal_data(manifest: ModuleManifest, obj: str) -> list[checks.CheckMessage]:
    """A module whose models point to accounts holds personal data: « Mes données » asks its manifest for it."""
    if manifest.personal_data:
        return []
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    try:
        models = apps.get_app_config(manifest.app_label).get_models()
    except LookupError:
        return []  # reported by _check_rules_declared
    pointing = sorted(
        f"{model._meta.label}.{f.name}"
        for model in models
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is user_model
    )
    if not pointing:
        return []
    return [
        checks.Error(
            f"The module's models point to accounts ({', '.join(pointing)}) but its manifest declares no "
            "personal_data (docs/adding-a-module.md, « Personal data »).",
            obj=obj,
            id="participe.E023",
        )
    ]


def _check_organisation_wide(manifest: ModuleManifest, obj: str) -> list[checks.CheckMessage]:
    if manifest.scope not in ("space", "organisation"):
        return [checks.Error(f"Unknown scope {manifest.scope!r}.", obj=obj, id="participe.E011")]
    if not manifest.is_organisation_wide:
        return []
    path = manifest.organisation_path or ""
    if not path or slugify(path) != path:
        return [
            checks.Error("An organisation-wide module needs a slug organisation_path.", obj=obj, id="participe.E012")
        ]
    errors: list[checks.CheckMessage] = []
    if manifest.phase_type(manifest.permanent_phase or "") is None:
        errors.append(
            checks.Error("An organisation-wide module names its permanent_phase type.", obj=obj, id="participe.E013")
        )
    try:
        match = resolve(f"/{path}/")
    except Resolver404:
        match = None
    if match is None or match.url_name != f"organisation_module_{manifest.key}":
        errors.append(checks.Error(f"/{path}/ is already an address of the platform.", obj=obj, id="participe.E014"))
    return errors


def _check_manifest(manifest: ModuleManifest) -> list[checks.CheckMessage]:
    obj = f"module {manifest.key}"
    return (
        _check_keys(manifest, obj)
        + _check_phases(manifest, obj)
        + _check_references(manifest, obj)
        + _check_rules_declared(manifest, obj)
        + _check_organisation_wide(manifest, obj)
        + _check_personal_data(manifest, obj)
    )


def check_offers(manifests: list[ModuleManifest]) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for manifest in manifests:
        declared = {r.model for r in manifest.resources}
        errors.extend(
            checks.Error(
                f"Offer {offer.kind!r} names {offer.resource}, not a resource of the module.",
                obj=f"module {manifest.key}",
                id="participe.E015",
            )
            for offer in manifest.offers
            if offer.resource not in declared
        )
    paths = [m.organisation_path or "" for m in manifests if m.is_organisation_wide]
    errors.extend(
        checks.Error(f"Two organisation-wide modules are served at /{p}/.", id="participe.E016")
        for p in sorted({p for p in paths if paths.count(p) > 1})
    )
    return errors


CONVERTER = re.compile(r"<(?:(\w+):)?\w+>")


def _routes(urlconf: str) -> set[str]:
    """The module's own URL routes, converters reduced to their type (``propositions/<int>/``)."""
    from django.urls import URLPattern, URLResolver

    found: set[str] = set()

    def walk(patterns: list[Any], prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                found.add(CONVERTER.sub(lambda m: f"<{m.group(1) or 'str'}>", route))

    walk(getattr(import_module(urlconf), "urlpatterns", []), "")
    return found


@checks.register()
def check_module_routes(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Every module's pages are mounted under the same ``/demarches/<space>/<module>/`` prefix and the first route
    that matches wins: two module types with the same route would send one's visitors to the other's view."""
    seen: dict[str, str] = {}
    errors: list[checks.CheckMessage] = []
    for manifest in registry.all():
        if not manifest.urls or manifest.is_organisation_wide:
            continue
        try:
            routes = _routes(manifest.urls)
        except ImportError:
            continue  # reported by check_module_registry
        for route in sorted(routes):
            if route in seen:
                errors.append(
                    checks.Error(
                        f"The route {route!r} of module {manifest.key} is already a route of module {seen[route]}.",
                        hint="Give the module's pages their own words (e.g. « resultats-du-vote/ »).",
                        obj=f"module {manifest.key}",
                        id="participe.E018",
                    )
                )
            seen.setdefault(route, manifest.key)
    return errors


@checks.register()
def check_platform_rules(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """A platform app's ``rules.py`` is imported by its ``AppConfig.ready()`` (the convention; modules name theirs in
    their manifest): one that is not imported would leave its permissions undefined."""
    return [
        checks.Error(
            f"{config.name}.rules is not imported: import it in {type(config).__name__}.ready().",
            obj=config.name,
            id="participe.E017",
        )
        for config in apps.get_app_configs()
        if config.name.startswith("participe.")
        and not config.name.startswith("participe.modules.")
        and (Path(config.path) / "rules.py").exists()
        and f"{config.name}.rules" not in sys.modules
    ]


@checks.register()
def check_module_registry(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = [
        checks.Error(f"Module key {key!r} is declared twice.", id="participe.E001") for key in registry.duplicates
    ]
    for manifest in registry.all():
        errors.extend(_check_manifest(manifest))
    return errors + check_offers(registry.all())


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
