"""Put in the moderation queue every pending or hidden content that is not in it yet."""

from typing import Any

from django.core.management.base import BaseCommand

from participe.moderation.services import cases_sync


class Command(BaseCommand):
    help = "Ouvre un dossier de modération pour chaque contenu en attente ou masqué qui n'en a pas."

    def handle(self, *args: Any, **options: Any) -> None:
        opened = cases_sync()
        self.stdout.write(f"Dossiers de modération ouverts : {opened}")
