"""Run the modules' ``phase_changed`` hooks for the phases that started or ended since the last run (every minute
from the scheduler: docs/deployment.md)."""

from typing import Any

from django.core.management.base import BaseCommand

from participe.spaces.lifecycle import advance_phases


class Command(BaseCommand):
    help = "Observe the current phase of every module and run the hooks of those that changed."

    def handle(self, *args: Any, **options: Any) -> None:
        changed = advance_phases()
        self.stdout.write(f"{changed} module(s) changed phase.")
