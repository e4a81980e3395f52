"""Apply the retention periods (docs/data-rights.md): run every night by participe-retention.timer."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from participe.dataright.retention import run


class Command(BaseCommand):
    help = "Anonymise inactive accounts (after a warning), purge old logs, links, drafts and archives; audited."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = run()
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in counts.items()))
