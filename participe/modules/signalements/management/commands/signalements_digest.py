"""Tell each service its open and overdue reports: run daily from cron."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from participe.modules.signalements.digest import send_digest
from participe.modules.signalements.tasks import send_digest_task


class Command(BaseCommand):
    help = "Envoie à chaque service le récapitulatif de ses signalements ouverts et en retard."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enqueue", action="store_true", help="Confier l'envoi à un worker.")

    def handle(self, *args: Any, enqueue: bool, **options: Any) -> None:
        if enqueue:
            result = send_digest_task.enqueue()
            self.stdout.write(f"Task {result.id} enqueued.")
            return
        self.stdout.write(f"{send_digest()} service(s) told.")
