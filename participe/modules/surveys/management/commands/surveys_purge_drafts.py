"""Delete the questionnaire drafts nobody touched for a while (and the files they hold). Run it daily (cron)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from participe.modules.surveys.services import answering


class Command(BaseCommand):
    help = "Efface les réponses en cours (brouillons) de questionnaires laissées sans modification depuis N jours."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--jours", type=int, default=60, help="Âge minimum d'un brouillon effacé (60 par défaut).")

    def handle(self, *args: Any, **options: Any) -> None:
        days = max(1, int(options["jours"]))
        count = answering.drafts_purge(older_than=datetime.timedelta(days=days))
        self.stdout.write(f"{count} brouillon(s) effacé(s).")
