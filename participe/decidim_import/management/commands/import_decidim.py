"""``python manage.py import_decidim ARCHIVE.zip --as EMAIL [--confirm]``: a Decidim open-data archive as spaces,
proposals, comments, meetings and commitments (docs/decidim-import.md, decision 0040).

Without ``--confirm``, nothing is written: the command prints what the import would do (counts per entity, the
columns it ignores, the rows it leaves out and why). With ``--confirm``, it imports the good rows in one transaction
and prints the same report. The permission is that of the account named by ``--as`` (an organisation
administrator), exactly as in the back-office; ``--organisation`` names the organisation the archive is for (there is
one per deployment: a different name is refused, so that an archive does not land on the wrong platform).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from participe.decidim_import.reader import ArchiveError
from participe.decidim_import.services import Report, archive_check, archive_import
from participe.organisation.models import Organisation
from participe.permissions.refusals import Refused


class Command(BaseCommand):
    help = "Importe une archive de données ouvertes Decidim (essai sans --confirm)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="archive ZIP téléchargée depuis /open-data/download d'une instance Decidim")
        parser.add_argument("--as", dest="email", required=True, help="adresse de l'administrateur qui importe")
        parser.add_argument("--organisation", default="", help="nom de l'organisation qui reçoit l'archive (contrôle)")
        parser.add_argument(
            "--confirm", action="store_true", help="importer (sans cette option : essai, rien n'est écrit)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["archive"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path} : {error}") from error
        wanted = options["organisation"].strip()
        if wanted:
            organisation = Organisation.objects.filter(pk=1).first()
            if organisation is None or organisation.name.casefold() != wanted.casefold():
                raise CommandError(f"Cette plateforme n'est pas celle de l'organisation « {wanted} ».")
        actor = get_user_model().objects.filter(email__iexact=options["email"], is_active=True).first()
        if actor is None:
            raise CommandError(f"Aucun compte actif n'a l'adresse {options['email']}.")
        service = archive_import if options["confirm"] else archive_check
        try:
            report = service(actor=actor, data=data, filename=path.name)
        except ArchiveError as error:
            raise CommandError(f"{path.name} : {error} Rien n'est importé.") from None
        except Refused as refused:
            raise CommandError(str(refused)) from None
        self._print(report)

    def _print(self, report: Report) -> None:
        write = self.stdout.write
        write(f"Archive {report.filename} (instance {report.source}) :")
        for label, new, already in report.rows():
            write(f"  {label} : {new}" + (f" (déjà importés : {already})" if already else ""))
        if not report.rows():
            write("  rien de nouveau à importer")
        for filename, columns in report.ignored_columns.items():
            write(f"Colonnes ignorées de {filename} : {', '.join(columns)}")
        for line in report.not_taken:
            write(f"Non repris : {line}")
        for bad in report.bad_rows:
            self.stderr.write(f"{bad.filename} : ligne {bad.line} (id {bad.decidim_id or '?'}) : {bad.reason}")
        if report.bad_rows:
            write(f"{len(report.bad_rows)} ligne(s) en erreur, laissée(s) de côté.")
        if report.confirmed:
            for pk, title in report.spaces:
                write(f"Espace « {title} » : {settings.SITE_URL}{reverse('backoffice:space_detail', args=[pk])}")
            write("Import terminé.")
        else:
            write("Essai : rien n'est importé. Relancez avec --confirm pour importer.")
