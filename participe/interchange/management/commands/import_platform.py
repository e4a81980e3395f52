"""``manage.py import_platform DIR``: load an interchange archive into an empty, migrated instance."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils.translation import gettext as _

from participe.interchange.archive import ArchiveError, manifest_fingerprint
from participe.interchange.importing import import_platform


class Command(BaseCommand):
    help = (
        "Charge l'archive d'échange DIR dans cette installation, qui doit être vide (migrée, sans données) ; tout est "
        "vérifié avant la moindre écriture, et rien n'est écrit à moitié."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)
        parser.add_argument("--no-reindex", action="store_true", help="Ne reconstruit pas l'index de recherche.")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        verbose = options["verbosity"] > 1

        def progress(label: str, count: int) -> None:
            if verbose:
                self.stdout.write(f"{label} : {count}")

        try:
            manifest = import_platform(options["directory"], progress=progress)
        except ArchiveError as exc:
            raise CommandError(_("Import refusé, rien n'a été écrit :") + "\n- " + "\n- ".join(exc.problems)) from None
        try:
            cache.clear()  # pages and figures cached before the import
        except DatabaseError:
            self.stdout.write(
                self.style.WARNING(_("Le cache n'a pas pu être vidé : lancez « manage.py createcachetable »."))
            )
        rows = sum(item["count"] for item in manifest["entities"])
        self.stdout.write(
            self.style.SUCCESS(
                _("Archive importée : %(rows)s lignes, %(entities)s entités, %(media)s fichiers, en %(seconds).1f s.")
                % {
                    "rows": rows,
                    "entities": len(manifest["entities"]),
                    "media": len(manifest["media"]),
                    "seconds": time.monotonic() - started,
                }
            )
        )
        self.stdout.write(_("Empreinte du manifeste : %(sha)s") % {"sha": manifest_fingerprint(manifest)})
        if not manifest.get("credentials"):
            self.stdout.write(
                _("L'archive ne contenait pas les mots de passe : chacun choisit le sien par « Mot de passe oublié ».")
            )
        if not options["no_reindex"]:
            call_command("search_reindex", stdout=self.stdout)
