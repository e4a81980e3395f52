"""Delete the audience counts older than the retention period (25 months at most: the CNIL's condition for audience
statistics without consent). Nightly: deploy/systemd/participe-audience-purge.timer."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from participe.audience import services


class Command(BaseCommand):
    help = "Supprime les comptes de fréquentation plus anciens que la durée de conservation (25 mois au plus)."

    def handle(self, *args: Any, **options: Any) -> None:
        start = services.retention_start()
        deleted = services.counts_purge()
        self.stdout.write(f"{deleted} compte(s) de fréquentation antérieurs au {start:%d/%m/%Y} supprimé(s).")
