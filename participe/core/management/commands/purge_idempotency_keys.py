"""Forget the idempotency keys older than a day (``participe.core.idempotency``): a retry comes within minutes; past a
day a key is ignored anyway. Nightly: ``deploy/systemd/participe-idempotency-purge.timer``."""

from typing import Any

from django.core.management.base import BaseCommand

from participe.core.idempotency import purge_expired


class Command(BaseCommand):
    help = "Oublie les clés d'idempotence de plus d'un jour."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{purge_expired()} clé(s) oubliée(s).")
