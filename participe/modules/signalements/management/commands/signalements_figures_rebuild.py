"""Count the signalements' statistics again from the reports (decision 0028): after a bulk load, a restore or an
import that wrote reports without the services. Safe to run at any time; a report changed while it runs may need
another run."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from participe.modules.signalements import figures
from participe.spaces.models import Module


class Command(BaseCommand):
    help = "Recompte les statistiques des signalements (par jour) à partir des signalements."

    def handle(self, *args: Any, **options: Any) -> None:
        for module in Module.objects.filter(module_type="signalements"):
            counted = figures.rebuild(module)
            self.stdout.write(f"{module}: {counted} signalements comptés")
