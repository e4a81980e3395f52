"""Send the notification digests: run daily (``--frequency daily``) and weekly (``--frequency weekly``) from cron."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from participe.notifications.tasks import send_digests, send_digests_task


class Command(BaseCommand):
    help = "Envoie les résumés de notifications (un courriel par personne) au rythme demandé."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--frequency", choices=["daily", "weekly"], default="daily")
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Confier l'envoi à un worker (tâche en arrière-plan) au lieu de l'envoyer ici.",
        )

    def handle(self, *args: Any, frequency: str, enqueue: bool, **options: Any) -> None:
        if enqueue:
            result = send_digests_task.enqueue(frequency)
            self.stdout.write(f"Task {result.id} enqueued.")
            return
        sent = send_digests(frequency)
        self.stdout.write(f"{sent} digest(s) sent.")
