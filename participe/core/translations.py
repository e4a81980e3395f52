"""Where the translation catalogues are, and which source files each one covers.

Every installed app of the project (``participe.*``: platform apps and modules) carries its own catalogue in
``<app>/locale/<lang>/LC_MESSAGES/django.po``, with the strings of its code and of its templates; the project
catalogue (``LOCALE_PATHS``) keeps the strings that belong to no app. A file belongs to:

- the app whose package holds it (its code and its own ``templates/``);
- for a project template (``participe/templates/``), the app named by its first directory
  (``backoffice/space_list.html``), or by its second under ``emails/`` (``emails/notifications/digest.html``);
- else the project (``base.html``, the error pages, ``settings.py``).

A string several apps use is in each of their catalogues. Django merges every catalogue into one: LOCALE_PATHS
first, then the apps in INSTALLED_APPS order, so the same string must read the same everywhere
(``check_translations`` says where it does not). See docs/translations.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings

PROJECT = "participe"  # the package whose apps carry their catalogues (third-party apps ship compiled ones)
EXTENSIONS = (".py", ".html", ".txt")
SKIPPED_DIRS = frozenset({"tests", "migrations", "locale", "static", "__pycache__"})


@dataclass
class Catalogue:
    """One catalogue: an app's (``label``) or the project's (``label`` None), and the files it covers."""

    label: str | None
    locale_dir: Path
    files: list[Path] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.label or "project"


def project_dir() -> Path:
    return Path(settings.BASE_DIR).resolve() / PROJECT


def project_locale_dir() -> Path:
    return Path(settings.LOCALE_PATHS[0])


def project_apps() -> list[tuple[str, Path]]:
    """(label, package directory) of every installed app of the project."""
    return [
        (config.label, Path(config.path).resolve())
        for config in apps.get_app_configs()
        if config.name == PROJECT or config.name.startswith(f"{PROJECT}.")
    ]


def catalogues() -> list[Catalogue]:
    """The project's catalogue, then each installed app's, each with the source files it covers."""
    project = Catalogue(None, project_locale_dir())
    by_label = {label: Catalogue(label, path / "locale") for label, path in project_apps()}
    app_dirs = sorted(((path, label) for label, path in project_apps()), key=lambda pair: -len(pair[0].parts))
    templates = project_dir() / "templates"
    # An app of the project the settings leave out (the harness in production) keeps its strings to itself.
    left_out = {p.parent for p in project_dir().glob("**/apps.py")} - {path for path, _label in app_dirs}
    for path in _source_files(project_dir()):
        if any(path.is_relative_to(directory) for directory in left_out):
            continue
        label = _owner(path, app_dirs, templates, by_label)
        (by_label[label] if label else project).files.append(path)
    return [project, *by_label.values()]


def catalogue_dirs() -> list[Path]:
    """Every locale directory to compile and check: LOCALE_PATHS, then each installed app's of the project."""
    found = [Path(p) for p in settings.LOCALE_PATHS]
    found += [path / "locale" for _label, path in project_apps() if (path / "locale").is_dir()]
    return list(dict.fromkeys(found))


def _source_files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if path.suffix in EXTENSIONS and path.is_file() and not SKIPPED_DIRS & set(path.relative_to(root).parts):
            yield path


def _owner(path: Path, app_dirs: list[tuple[Path, str]], templates: Path, labels: dict[str, Catalogue]) -> str | None:
    """The label of the app a file belongs to (innermost package first), or None for the project."""
    for app_dir, label in app_dirs:
        if path.is_relative_to(app_dir):
            return label
    if path.is_relative_to(templates):
        parts = path.relative_to(templates).parts[:-1]
        named = parts[1:2] if parts[:1] == ("emails",) else parts[:1]
        if named and named[0] in labels:
            return named[0]
    return None
