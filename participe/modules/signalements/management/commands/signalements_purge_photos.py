"""Delete the photos kept for reporting forms that were never sent (older than a day): run daily from cron."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from participe.modules.signalements.photos import purge


class Command(BaseCommand):
    help = "Supprime les photos gardées pour des formulaires de signalement jamais envoyés (plus d'un jour)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{purge()} photo(s) deleted.")
