"""Compile the project's .po catalogues to .mo with polib (no GNU gettext needed on the machine): LOCALE_PATHS and
the ``locale/`` of each installed app of the project (``participe.core.translations.catalogue_dirs``)."""

from pathlib import Path
from typing import Any

import polib  # type: ignore[import-untyped]
from django.core.management.base import BaseCommand

from participe.core.translations import catalogue_dirs


class Command(BaseCommand):
    help = "Compile the project's translation catalogues (.po → .mo), the project's and every app's."

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        for locale_dir in catalogue_dirs():
            for po_path in Path(locale_dir).glob("*/LC_MESSAGES/*.po"):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
                count += 1
        self.stdout.write(f"{count} catalogue(s) compiled.")
