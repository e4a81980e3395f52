"""The start-up check of the module convention: every package under participe/modules/ is an installed app with a
manifest, and the measurement hooks its manifest names exist (found without being imported)."""

from __future__ import annotations

import dataclasses
import sys
from unittest import mock

from django.core import checks

from participe.core.checks import MODULES_DIR, check_module_packages, module_package_errors
from participe.core.registry import Registry, registry


def ids(messages):
    return sorted(m.id for m in messages)


def test_the_shipped_modules_follow_the_convention():
    assert module_package_errors() == []
    assert {p.name for p in MODULES_DIR.iterdir() if (p / "__init__.py").exists()} >= {"page", "proposals"}


def test_it_runs_with_the_system_checks():
    assert check_module_packages in checks.registry.registry.get_checks()


def test_it_reports_a_module_package_left_out_of_installed_apps(tmp_path):
    (tmp_path / "ideas").mkdir()
    (tmp_path / "ideas" / "__init__.py").write_text("")
    (tmp_path / "notes").mkdir()  # not a package: ignored
    (errors,) = [module_package_errors(tmp_path)]
    assert ids(errors) == ["participe.E020"]
    assert "participe.modules.ideas is not in INSTALLED_APPS" in errors[0].msg


def test_it_reports_an_installed_module_without_a_manifest():
    without_page = Registry()
    for manifest in registry.all():
        if manifest.key != "page":
            without_page.register(manifest)
    with mock.patch("participe.core.checks.registry", without_page):
        errors = module_package_errors()
    assert ids(errors) == ["participe.E021"]
    assert errors[0].obj == "participe/modules/page"


def test_it_reports_measurement_hooks_that_do_not_exist_without_importing_them():
    page = registry["page"]
    broken = dataclasses.replace(
        page,
        key="ghost",
        volume="participe.modules.page.nothing_here.seed_volume",
        authz_expectations="participe.modules.nothing.authz_expectations",
    )
    isolated = Registry()
    for manifest in [*registry.all(), broken]:
        isolated.register(manifest)
    imported = sys.modules.pop("participe.modules.page.volume", None)
    try:
        with mock.patch("participe.core.checks.registry", isolated):
            errors = module_package_errors()
        assert "participe.modules.page.volume" not in sys.modules  # found on disk, not imported
    finally:
        if imported is not None:
            sys.modules["participe.modules.page.volume"] = imported
    assert ids(errors) == ["participe.E022", "participe.E022"]
    assert {e.msg for e in errors} == {
        "participe.modules.page.nothing_here does not exist.",
        "participe.modules.nothing.authz_expectations does not exist.",
    }
