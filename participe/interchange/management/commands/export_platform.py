"""``manage.py export_platform DIR [--with-password-hashes]``: the whole platform into an interchange archive."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from participe.interchange.archive import ArchiveError, manifest_fingerprint
from participe.interchange.exporting import export_platform


class Command(BaseCommand):
    help = (
        "Écrit toute la plateforme dans DIR (dossier vide ou absent) : une archive d'échange documentée et versionnée "
        "(docs/reversibility.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--with-password-hashes",
            action="store_true",
            help="Inclut les empreintes des mots de passe et les clés de double authentification (sinon les "
            "personnes redéfinissent leur mot de passe par courriel et réenregistrent leur application).",
        )
        parser.add_argument("--chunk-size", type=int, default=2000, help="Lignes lues par lot (2000 par défaut).")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        verbose = options["verbosity"] > 1

        def progress(label: str, count: int) -> None:
            if verbose:
                self.stdout.write(f"{label} : {count}")

        try:
            manifest = export_platform(
                options["directory"],
                with_credentials=options["with_password_hashes"],
                chunk_size=options["chunk_size"],
                progress=progress,
            )
        except ArchiveError as exc:
            raise CommandError("\n".join(exc.problems)) from None
        rows = sum(item["count"] for item in manifest["entities"])
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Archive écrite dans %(dir)s : %(rows)s lignes, %(entities)s entités, %(media)s fichiers, en %(seconds).1f s."
                )
                % {
                    "dir": options["directory"],
                    "rows": rows,
                    "entities": len(manifest["entities"]),
                    "media": len(manifest["media"]),
                    "seconds": time.monotonic() - started,
                }
            )
        )
        self.stdout.write(
            _("Empreinte du manifeste (à noter à part, elle garantit chaque fichier) : %(sha)s")
            % {"sha": manifest_fingerprint(manifest)}
        )
        if manifest["media_missing"]:
            self.stdout.write(
                self.style.WARNING(
                    _("Fichiers nommés par les données mais absents du stockage : %(names)s")
                    % {"names": ", ".join(manifest["media_missing"])}
                )
            )
        if not manifest["credentials"]:
            self.stdout.write(
                _(
                    "Sans --with-password-hashes : les mots de passe et la double authentification ne sont pas dans "
                    "l'archive."
                )
            )
