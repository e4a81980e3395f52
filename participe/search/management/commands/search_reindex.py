"""Rebuild the search index: ``manage.py search_reindex [--model app_label.Model] [--batch-size N]``."""

from __future__ import annotations

import time
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser

from participe.search.services import indexed_models, reindex


class Command(BaseCommand):
    help = "Reconstruit l'index de recherche (espaces, actualités et ressources « searchable » des modules), par lots."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--model",
            action="append",
            dest="models",
            metavar="app_label.Model",
            help="Seulement ce modèle (répétable).",
        )
        parser.add_argument("--batch-size", type=int, default=1000, help="Objets par lot (1000 par défaut).")

    def handle(self, *args: Any, **options: Any) -> None:
        models = indexed_models()
        if options["models"]:
            chosen = []
            for label in options["models"]:
                try:
                    model = apps.get_model(label)
                except (LookupError, ValueError):
                    raise CommandError(f"Modèle inconnu : {label}") from None
                if model not in models:
                    raise CommandError(f"{label} n'est pas indexé par la recherche.")
                chosen.append(model)
            models = chosen
        if options["batch_size"] < 1:
            raise CommandError("--batch-size doit être positif.")
        started = time.monotonic()
        last_shown: dict[str, float] = {}

        def progress(label: str, done: int, total: int) -> None:
            now = time.monotonic()
            if done >= total or now - last_shown.get(label, 0) >= 1:
                last_shown[label] = now
                self.stdout.write(f"{label} : {done}/{total}")

        count = reindex(models=models, batch_size=options["batch_size"], progress=progress)
        self.stdout.write(self.style.SUCCESS(f"{count} objets indexés en {time.monotonic() - started:.1f} s."))
