"""docs/adding-a-module.md is true: its files, written into a copy of the project with its one INSTALLED_APPS line,
make a module the platform serves (page, back-office entry, API route), whose rules apply, that the import
contracts and the authorization sweep cover — and nothing else outside the package is touched."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "adding-a-module.md"
FILE_BLOCK = re.compile(r"^```\w+ file=(?P<path>\S+)\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)
COPIED = ("participe", "tests", "audit", "conftest.py", "manage.py", "pyproject.toml")
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", "test-results", "browser")

# What the module's own test checks inside the copy, with the platform's test settings.
CHECKS = """
import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import get_resolver

from audit.authz import check, outcome, walk
from participe.core.registry import registry
from participe.modules.ideas.models import Idea
from participe.spaces.models import Space
from tests.factories import ModuleFactory, PhaseFactory, UserFactory, make_org_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def module():
    module = ModuleFactory(module_type="ideas", title="Nos idées", slug="nos-idees")
    PhaseFactory(module=module, phase_type="collect")
    Idea.objects.create(module=module, title="Des bancs au square")
    return module


def test_the_platform_serves_its_page_and_its_own_pages(client, module):
    assert registry.get("ideas") is not None
    page = client.get(module.get_absolute_url())
    assert page.status_code == 200 and "Des bancs au square" in page.content.decode()
    idea = Idea.objects.get()
    assert client.get(idea.get_absolute_url()).status_code == 200


def test_its_backoffice_entry_is_in_the_menu_and_served(client):
    client.force_login(make_org_admin())
    dashboard = client.get("/gestion/").content.decode()
    assert "Idées à traiter" in dashboard and 'href="/gestion/m/ideas/"' in dashboard
    index = client.get("/gestion/m/ideas/")
    assert index.status_code == 200 and "Idées à traiter : 0" in index.content.decode()


def test_its_api_router_is_mounted_and_documented(client, module):
    answer = client.get(f"/api/v1/ideas/modules/{module.pk}/ideas")
    assert answer.status_code == 200 and answer.json() == [{"id": Idea.objects.get().pk, "title": "Des bancs au square"}]
    assert "/api/v1/ideas/modules/{module_id}/ideas" in client.get("/api/v1/openapi.json").json()["paths"]


def test_its_rules_apply(client, module):
    assert AnonymousUser().has_perm("ideas.view_idea", module)
    assert not UserFactory().has_perm("ideas.manage_ideas", module)
    assert make_org_admin().has_perm("ideas.manage_ideas", module)
    module.space.visibility = Space.Visibility.PRIVATE
    module.space.save()
    assert not AnonymousUser().has_perm("ideas.view_idea", module)
    assert client.get(f"/api/v1/ideas/modules/{module.pk}/ideas").status_code == 404


def test_the_authorization_sweep_requests_its_urls_and_holds_them_to_the_invariants(client, module):
    names = {name for _route, name in walk(get_resolver().url_patterns)}
    assert {"spaces:ideas:idea", "backoffice:ideas:index"} <= names
    response = client.get("/gestion/m/ideas/")
    assert check("/gestion/m/ideas/", "backoffice:ideas:index", "anonymous", outcome(response)) is None
    client.force_login(UserFactory())
    response = client.get("/gestion/m/ideas/")
    assert check("/gestion/m/ideas/", "backoffice:ideas:index", "participant", outcome(response)) is None
"""


def guide_files() -> dict[str, str]:
    return {m.group("path"): m.group("body") for m in FILE_BLOCK.finditer(GUIDE.read_text())}


def run(command: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PYTEST_XDIST_WORKER")}
    environment |= {"PARTICIPE_TESTING": "1", "DJANGO_SETTINGS_MODULE": "participe.settings_test", **env}
    return subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True, timeout=600, check=False)


def test_the_guide_holds_the_files_of_a_whole_module():
    files = guide_files()
    assert {"participe/modules/ideas/manifest.py", "participe/modules/ideas/rules.py"} <= set(files)
    assert all(path.startswith("participe/modules/ideas/") for path in files)  # nothing outside the package


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project with the guide's module written into it and its INSTALLED_APPS line added."""
    root = tmp_path_factory.mktemp("project")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=IGNORED)
        else:
            shutil.copy2(source, root / name)
    for path, body in guide_files().items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body)
    if (ROOT / "node_modules").exists():  # the static files the settings name
        (root / "node_modules").symlink_to(ROOT / "node_modules")
    settings = root / "participe" / "settings.py"
    text = settings.read_text()
    anchor = '    "participe.modules.proposals",\n'
    assert anchor in text
    settings.write_text(text.replace(anchor, anchor + '    "participe.modules.ideas",\n'))
    made = run([sys.executable, "manage.py", "makemigrations", "ideas"], root)
    assert made.returncode == 0, made.stdout + made.stderr
    return root


def test_the_start_up_checks_accept_it(copy):
    result = run([sys.executable, "manage.py", "check", "--fail-level", "WARNING"], copy)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_platform_serves_it_applies_its_rules_and_the_sweep_covers_it(copy):
    (copy / "tests" / "test_ideas_module.py").write_text(CHECKS)
    result = run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "tests/test_ideas_module.py"],
        copy,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]


def test_the_import_contracts_cover_it(copy):
    lint = Path(sys.executable).parent / "lint-imports"
    command = [str(lint)] if lint.exists() else [sys.executable, "-m", "importlinter.cli"]
    kept = run([*command, "--no-cache"], copy)
    assert kept.returncode == 0, kept.stdout + kept.stderr
    views = copy / "participe" / "modules" / "ideas" / "views.py"
    views.write_text("from participe.modules.page import models as page_models  # noqa\n" + views.read_text())
    broken = run([*command, "--no-cache"], copy)
    views.write_text(views.read_text().split("\n", 1)[1])
    assert broken.returncode != 0 and "participe.modules.ideas" in broken.stdout, broken.stdout
