"""Load the demo: a fictional commune with quartiers, themes, démarches, an instance and accounts."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from participe.backoffice.demo import DEMO_PASSWORD, load_demo
from participe.core.demo import require_demo_install


class Command(BaseCommand):
    help = "Charge les données de démonstration (idempotent) et affiche les comptes."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000/", help="Adresse où la démonstration sera servie (affichée)."
        )
        parser.add_argument(
            "--prepare",
            action="store_true",
            help="Compile d'abord les catalogues, applique les migrations et crée la table du cache, dans ce même "
            "processus (make demo : une installation neuve sert sa première page en moins d'une minute).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        require_demo_install("load_demo")
        if options["prepare"]:
            self.prepare()
        accounts = load_demo()
        out = self.stdout.write
        out("")
        out(self.style.SUCCESS(f"Participe — démonstration prête : {options['url']}"))
        out("")
        out(f"Comptes de démonstration (mot de passe pour tous : {DEMO_PASSWORD})")
        for email, role in accounts:
            out(f"  {email:<32} {role}")
        out("")
        out("Les comptes d'administration demandent un code de double authentification (secret propre à cette")
        out("installation) :")
        out("  make totp        (ou : DJANGO_DEBUG=1 .venv/bin/python manage.py demo_totp)")
        out("Vérification de résidence par le recensement, essayez : DURAND ; Karim ; 12/03/1990")
        out("Les courriels (confirmation d'inscription…) s'affichent dans ce terminal.")
        out("")

    def prepare(self) -> None:
        """What `make migrate` does, without starting Python three more times. On SQLite the demo's database is
        written without waiting for the disk after each of its hundreds of transactions: a demo that a crash
        interrupts is loaded again (load_demo is idempotent)."""
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous=OFF")
        call_command("compilemessages_po", stdout=self.stdout)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable")
