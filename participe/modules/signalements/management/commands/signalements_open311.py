"""Forwarded reports: retry the posts that are due and pull the Open311 endpoints' answers back. Run every five
minutes (deploy/systemd/participe-signalements-open311.timer)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from participe.modules.signalements.forwarding import sweep
from participe.modules.signalements.tasks import open311_sweep_task


class Command(BaseCommand):
    help = "Retransmet les signalements en attente vers les services Open311 externes et relève leurs réponses."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enqueue", action="store_true", help="Confier le travail à un worker.")

    def handle(self, *args: Any, enqueue: bool, **options: Any) -> None:
        if enqueue:
            result = open311_sweep_task.enqueue()
            self.stdout.write(f"Task {result.id} enqueued.")
            return
        done = sweep()
        self.stdout.write(f"{done['sent']} sent, {done['failed']} failed, {done['updated']} updated.")
