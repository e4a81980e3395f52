"""The tier rule (core <- platform <- modules), the platform's layers, and modules never importing each other.

The order itself is the import-linter contract ``layers`` in pyproject.toml (docs/decisions/0012-platform-layers.md);
these tests read it, check that it places every package, and check what import-linter cannot see: relations between
models, and model labels named in code ("comments.Comment").
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "participe"

# Model relations that point up the layers, the data model needing them: a resident lives in a territory (while the
# organisation's services have users as members), an eligibility rule belongs to a module. The code on both sides
# still imports one way only.
UPWARD_RELATIONS = {("accounts", "organisation"), ("verifications", "spaces")}


def layers_contract() -> dict:
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    return next(c for c in contracts if c.get("id") == "layers")


def layer_of() -> dict[str, int]:
    """Each package of participe/ → the height of its layer in the contract (0: core, the lowest)."""
    layers = layers_contract()["layers"]
    return {
        name.strip(): len(layers) - 1 - height
        for height, layer in enumerate(layers)
        for name in re.split(r"[|:]", layer)
    }


def packages() -> set[str]:
    return {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}


def platform_apps() -> set[str]:
    return packages() - {"core", "modules"}


def test_it_keeps_the_import_linter_contracts():
    script = Path(sys.executable).parent / "lint-imports"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "importlinter.cli"]
    result = subprocess.run(
        [*command, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif _is_dynamic_import(node):
            names.add(node.args[0].value)
    return names


def _is_dynamic_import(node: ast.AST) -> bool:
    """``import_module("participe.…")`` or ``import_string("participe.…")`` with a literal path."""
    if not isinstance(node, ast.Call) or not node.args:
        return False
    name = getattr(node.func, "id", getattr(node.func, "attr", ""))
    first = node.args[0]
    return (
        name in {"import_module", "import_string"} and isinstance(first, ast.Constant) and isinstance(first.value, str)
    )


def platform_files() -> list[Path]:
    return [
        p
        for p in PACKAGE.rglob("*.py")
        if "modules" not in p.relative_to(PACKAGE).parts[:1] and "migrations" not in p.parts
    ]


def test_it_walks_the_platform_and_finds_its_files():
    files = platform_files()
    assert PACKAGE / "spaces" / "views.py" in files
    assert PACKAGE / "core" / "registry.py" in files
    assert not [p for p in files if p.is_relative_to(PACKAGE / "modules")]


def test_it_never_imports_a_module_from_the_platform():
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            n for n in imported_modules(path) if n == "participe.modules" or n.startswith("participe.modules.")
        )
        for path in platform_files()
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_it_never_imports_the_platform_from_core():
    platform = platform_apps()
    assert {"accounts", "spaces", "comments", "search", "backoffice", "api"} <= platform
    offenders = {}
    for path in (PACKAGE / "core").rglob("*.py"):
        names = sorted(n for n in imported_modules(path) if n.split(".")[:2] in ([["participe", p] for p in platform]))
        if names:
            offenders[str(path.relative_to(ROOT))] = names
    assert offenders == {}


def test_every_package_of_participe_is_placed_in_the_layers_contract():
    """A new platform app cannot skip the order: it fails here (and import-linter's ``exhaustive``) until placed."""
    contract = layers_contract()
    placed = set(layer_of())
    missing = packages() - placed
    assert not missing, f"Place {sorted(missing)} in the layers contract of pyproject.toml (see decision 0012)."
    assert placed <= packages()
    modules = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__"}
    assert set(contract["exhaustive_ignores"]) == modules  # the project's wiring only (settings, urls, wsgi…)
    assert contract["exhaustive"] is True
    heights = layer_of()
    assert heights["core"] == 0 and heights["modules"] == max(heights.values())
    assert all(0 < heights[app] < heights["modules"] for app in platform_apps())


def test_model_relations_point_down_the_layers():
    """A foreign key or many-to-many from a platform app's model to another app's model follows the imports'
    direction, except the few the data model needs (``UPWARD_RELATIONS``). Any app may point to the user model
    (``settings.AUTH_USER_MODEL``, Django's indirection for it: the audit log's actor, a service's members)."""
    from django.apps import apps
    from django.contrib.auth import get_user_model

    heights = layer_of()
    found = set()
    for model in apps.get_models(include_auto_created=True):
        source = model._meta.app_config.name.removeprefix("participe.")
        if source not in heights or source == "modules":
            continue
        for field in model._meta.get_fields(include_hidden=True):
            if not field.is_relation or field.auto_created or field.related_model in (None, get_user_model()):
                continue
            target = field.related_model._meta.app_config.name.removeprefix("participe.")
            if target in heights and target != source and heights[target] >= heights[source]:
                found.add((source, target))
    assert found == UPWARD_RELATIONS


def test_platform_code_names_no_model_of_a_layer_above():
    """``"comments.Comment"`` written in moderation is an import import-linter cannot see: what a lower app must
    know of an upper one comes through a registration (the registry's resources, an app's hooks)."""
    heights = layer_of()
    label = re.compile(r"^([a-z_]+)\.[A-Z][A-Za-z]+$")
    found = set()
    for path in platform_files():
        source = path.relative_to(PACKAGE).parts[0]
        if source not in heights or "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            match = label.match(node.value) if isinstance(node, ast.Constant) and isinstance(node.value, str) else None
            target = match.group(1) if match else None
            if target in heights and target not in (source, "modules") and heights[target] >= heights[source]:
                found.add((source, target))
    assert found == UPWARD_RELATIONS  # the relations' own declarations (ForeignKey("organisation.Territory"), …)


def test_it_detects_a_forbidden_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from participe.modules.page.models import PageContent\n"
        "import participe.modules.page\n"
        "from importlib import import_module\n"
        "import_module('participe.modules.page.views')\n"
    )
    names = imported_modules(sample)
    assert {"participe.modules.page.models", "participe.modules.page", "participe.modules.page.views"} <= names


def test_it_declares_every_module_once_in_its_manifest():
    from django.apps import apps

    from participe.core.registry import registry

    module_packages = {p.name for p in (PACKAGE / "modules").iterdir() if (p / "manifest.py").exists()}
    # Module types installed only by the test settings (tests/testapp) live outside the package.
    shipped = {
        m.app_label for m in registry.all() if apps.get_app_config(m.app_label).name.startswith("participe.modules.")
    }
    assert module_packages == shipped
    assert {m.key for m in registry.all()} >= {"page"}


def import_linter_contract(name: str) -> dict:
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    (contract,) = [c for c in contracts if c["name"] == name]
    return contract


def covers(expression: str, module: str) -> bool:
    """An import-linter module expression: ``*`` stands for one name, ``**`` for one or more."""
    pattern = re.escape(expression).replace(r"\*\*", r"[\w.]+").replace(r"\*", r"\w+")
    return re.fullmatch(pattern, module) is not None


def test_it_reads_import_linter_expressions():
    assert covers("participe.modules.*", "participe.modules.ideas")
    assert not covers("participe.modules.*", "participe.modules.ideas.views")
    assert covers("participe.modules.page", "participe.modules.page")
    assert covers("participe.**.tests.**", "participe.modules.page.tests.test_views")


def test_every_module_package_is_in_the_independence_contract():
    expressions = import_linter_contract("Modules never import each other")["modules"]
    packages = sorted(p.name for p in (PACKAGE / "modules").iterdir() if (p / "__init__.py").exists())
    missing = [name for name in packages if not any(covers(e, f"participe.modules.{name}") for e in expressions)]
    assert missing == [], f"pyproject.toml, contract 'Modules never import each other': add {missing}"


def test_the_product_is_forbidden_to_import_the_harness():
    contract = import_linter_contract("The product never imports the measurement harness")
    assert contract["type"] == "forbidden"
    assert contract["source_modules"] == ["participe.*"]
    assert contract["forbidden_modules"] == ["participe.harness"]


def test_the_product_never_imports_the_measurement_hooks_the_manifests_declare():
    """A module's volume hook and authorization expectations are tooling: only the harness and the audit import them
    (the forbidden contract lets a volume hook import the harness on that ground)."""
    from participe.core.registry import registry

    hooks = {m.volume.rpartition(".")[0] for m in registry.all() if m.volume}
    hooks |= {m.authz_expectations for m in registry.all() if m.authz_expectations}
    assert hooks >= {"participe.modules.page.volume", "participe.modules.proposals.authz_expectations"}
    offenders = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if {"tests", "migrations", "harness"} & set(parts) or ".".join(parts) in hooks:
            continue
        names = sorted(n for n in imported_modules(path) if any(n == h or n.startswith(f"{h}.") for h in hooks))
        if names:
            offenders[str(path.relative_to(ROOT))] = names
    assert offenders == {}
