"""Re-extract each catalogue's strings from its own code and templates, keeping the translations already made.

``manage.py messages_update`` (``make messages-update``) is Django's ``makemessages`` with one catalogue per app:
for the project and for each installed app of the project (``participe.core.translations`` says which files
each one covers), GNU gettext's xgettext collects the strings and msgmerge merges them into the app's
``locale/<lang>/LC_MESSAGES/django.po`` (a new app's catalogue starts with the project's header). Strings no
longer in the code are dropped; new ones come untranslated, or fuzzy when gettext guessed from a close one, and
``check_translations`` lists them until someone translates them. Languages: every one of ``LANGUAGES`` but the
source language, unless ``--locale`` says otherwise.

``--into DIR`` writes the catalogues under DIR (same relative paths, from scratch) and leaves the real ones alone:
the test suite compares what it finds there with the committed catalogues.
"""

from __future__ import annotations

import os
import re
import tempfile
from contextlib import suppress
from functools import cached_property
from pathlib import Path
from typing import Any, cast

import polib  # type: ignore[import-untyped]
from django.conf import settings
from django.core.management.base import CommandParser
from django.core.management.commands import makemessages

from participe.core.translations import catalogues, project_locale_dir

POT_DATE = re.compile(r'^"POT-Creation-Date: .*\\n"\n', re.MULTILINE)


class BuildFile(makemessages.BuildFile):
    """Django's, with the preprocessed copy of a template written to a scratch directory rather than beside it
    (nothing transient appears in the source tree while other processes read it)."""

    @cached_property
    def work_path(self) -> str:
        if not self.is_templatized:
            return str(self.path)
        command, translatable = cast(Any, self.command), cast(Any, self.translatable)
        path = Path(command.work_dir) / translatable.dirpath / f"{translatable.file}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        return str(path)

    def postprocess_messages(self, msgs: str) -> str:
        if not self.is_templatized:
            return msgs
        old, new = self.work_path, str(self.path)[2:]
        return re.sub(r"^(#: .*)(" + re.escape(old) + r")", lambda m: m[0].replace(old, new), msgs, flags=re.MULTILINE)


class Command(makemessages.Command):
    help = "Re-extract every app's translatable strings into its own catalogue (GNU gettext), keeping translations."
    build_file_class = BuildFile

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--into", default="", help="write the catalogues under this directory instead")

    def handle(self, *args: Any, **options: Any) -> None:
        self.base = Path(settings.BASE_DIR).resolve()
        self.into = Path(options["into"]).resolve() if options["into"] else None
        if not options["locale"] and not options["all"]:
            options["locale"] = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
        options["no_obsolete"] = True
        previous = Path.cwd()
        os.chdir(self.base)  # makemessages works with paths relative to the current directory ("./participe/…")
        try:
            with tempfile.TemporaryDirectory(prefix="messages-") as work_dir:
                self.work_dir = work_dir
                super().handle(*args, **options)
        finally:
            os.chdir(previous)

    def target(self, locale_dir: Path) -> Path:
        return self.into / locale_dir.relative_to(self.base) if self.into else locale_dir

    def find_files(self, root: str) -> list[Any]:
        """Each catalogue's files, bound to its locale directory (not the nearest ``locale`` on disk)."""
        found = []
        self.locale_paths = []
        for catalogue in catalogues():
            if not catalogue.files:
                continue
            locale_dir = str(self.target(catalogue.locale_dir))
            self.locale_paths.append(locale_dir)
            for path in catalogue.files:
                relative = path.relative_to(self.base)
                found.append(self.translatable_file_class(f"./{relative.parent}", relative.name, locale_dir))
        return sorted(found)

    def process_locale_dir(self, locale_dir: str, files: list[Any]) -> None:
        Path(locale_dir).mkdir(parents=True, exist_ok=True)
        super().process_locale_dir(locale_dir, files)
        with suppress(OSError):
            Path(locale_dir).rmdir()  # no translatable string: no catalogue

    def write_po_file(self, potfile: str, locale: str) -> None:
        pofile = Path(potfile).parent / locale / "LC_MESSAGES" / f"{self.domain}.po"
        before = pofile.read_text(encoding="utf-8") if pofile.exists() else None
        if before is None:
            self.start_catalogue(pofile, locale)
        super().write_po_file(potfile, locale)
        after = pofile.read_text(encoding="utf-8")
        if before is not None and POT_DATE.sub("", before) == POT_DATE.sub("", after):
            pofile.write_text(before, encoding="utf-8")  # nothing changed but the date: no diff to review
        elif self.verbosity > 0:
            self.stdout.write(f"{'created' if before is None else 'updated'} {pofile}")

    def start_catalogue(self, pofile: Path, locale: str) -> None:
        """A new catalogue gets the project's header (title, language, plural forms) and no entry yet."""
        model = project_locale_dir() / locale / "LC_MESSAGES" / f"{self.domain}.po"
        if not model.exists():
            return
        source = polib.pofile(str(model))
        start = polib.POFile()
        start.header, start.metadata = source.header, dict(source.metadata)
        pofile.parent.mkdir(parents=True, exist_ok=True)
        start.save(str(pofile))
