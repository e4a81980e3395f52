"""``python manage.py budget_import FILE.pb --module ID --as EMAIL``: a Pabulib file as a new envelope of a budget
module, with its projects and its grouped ballots (simulation, audit; decision 0027).

The file is read whole first; every bad line is printed with its number and nothing is written, unless every bad
line is a ballot and ``--skip-bad-lines`` says to import without them. The permission is that of the account named
by ``--as`` (the module's managers), exactly as in the back-office. Prints the new envelope's address; its tally
(``--tally``, or the back-office's) is what ``manage.py budget_tally FILE.pb`` prints for the same file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from participe.modules.budgets import services
from participe.modules.budgets.management.commands.budget_tally import natural
from participe.permissions.refusals import Refused
from participe.spaces.models import Module


class Command(BaseCommand):
    help = "Importe un fichier Pabulib (.pb) comme une enveloppe d'un budget participatif, avec ses bulletins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="fichier .pb (format Pabulib)")
        parser.add_argument("--module", type=int, required=True, help="numéro du module « budget participatif »")
        parser.add_argument("--as", dest="email", required=True, help="adresse du compte qui importe (ses droits)")
        parser.add_argument("--title", default="", help="intitulé de l'enveloppe (défaut : la description du META)")
        parser.add_argument(
            "--skip-bad-lines", action="store_true", help="importer sans les bulletins faux (listés) plutôt que rien"
        )
        parser.add_argument("--tally", action="store_true", help="dépouiller l'enveloppe avec la règle du fichier")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{path} : {error}") from error
        module = Module.objects.filter(pk=options["module"], module_type="budgets").first()
        if module is None:
            raise CommandError(f"Aucun module « budget participatif » n'a le numéro {options['module']}.")
        actor = get_user_model().objects.filter(email__iexact=options["email"], is_active=True).first()
        if actor is None:
            raise CommandError(f"Aucun compte actif n'a l'adresse {options['email']}.")
        try:
            envelope = services.envelope_import_pabulib(
                actor=actor,
                module=module,
                text=text,
                filename=path.name,
                title=options["title"],
                skip_bad_lines=options["skip_bad_lines"],
            )
        except services.PabulibRefused as refused:
            for line, reason in refused.check.lines:
                self.stderr.write(f"{path.name} : ligne {line} : {reason}" if line else f"{path.name} : {reason}")
            advice = "" if refused.check.fatal else " (--skip-bad-lines importe sans ces bulletins)"
            raise CommandError(f"{len(refused.check.lines)} erreur(s) : rien n'est importé{advice}.") from None
        except Refused as refused:
            raise CommandError(str(refused)) from None
        url = settings.SITE_URL + reverse("backoffice:budgets:envelope_results", args=[envelope.pk])
        self.stdout.write(f"Enveloppe « {envelope.title} » importée : {envelope.projects.count()} projets. {url}")
        if options["tally"]:  # the selected ids as budget_tally prints them, then the total cost
            envelope = services.envelope_tally(actor=actor, envelope=envelope)
            ids = dict(envelope.projects.values_list("pk", "source_id"))
            for source_id in sorted((ids[int(pk)] for pk in envelope.outcome["selected"]), key=natural):
                self.stdout.write(source_id)
            self.stdout.write(str(envelope.outcome["total_cost"]))
