"""Strip the Unicode bidirectional controls from the one-line texts people wrote before they were stripped on saving
(issue #19, finding 8): every text field named like a title or a pseudonym, in every installed model.

Usage: ``manage.py strip_bidi_controls`` (``--dry-run`` counts without writing). Run it once after upgrading; it is
safe to run again (it changes only rows that still hold a control). Until it runs, the pages isolate these texts
(``dir="auto"``, ``<bdi>``) so that they cannot reorder what surrounds them.
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser
from django.db import IntegrityError, models, transaction

from participe.core.sanitize import BIDI_CONTROLS, single_line

# The fields holding one line a person wrote, by their name (a convention of the code base, not a list of apps).
LINE_FIELDS = frozenset({"title", "pseudonym", "image_alt", "attachment_title", "address"})


def line_fields() -> list[tuple[type[models.Model], str]]:
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if field.name in LINE_FIELDS and isinstance(field, models.CharField):
                found.append((model, field.name))
    return found


def strip_field(model: type[models.Model], name: str, *, dry_run: bool) -> int:
    """Clean the rows of ``model`` whose ``name`` holds a control; how many there were."""
    holds_control = reduce(or_, (models.Q(**{f"{name}__contains": char}) for char in BIDI_CONTROLS))
    rows = model._default_manager.filter(holds_control)
    count = 0
    for pk, value in rows.values_list("pk", name).iterator():
        count += 1
        if not dry_run:
            _update(model, pk, name, single_line(value))
    return count


def _update(model: type[models.Model], pk: Any, name: str, value: str) -> None:
    try:
        with transaction.atomic():
            model._default_manager.filter(pk=pk).update(**{name: value})
    except IntegrityError:  # a unique pseudonym that, cleaned, is someone else's: it keeps its row's number
        model._default_manager.filter(pk=pk).update(**{name: f"{value}-{pk}"})


class Command(BaseCommand):
    help = "Retire les caractères de contrôle bidirectionnels des titres et pseudonymes déjà enregistrés."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Compter sans rien modifier.")

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = bool(options["dry_run"])
        total = 0
        with transaction.atomic():
            for model, name in line_fields():
                count = strip_field(model, name, dry_run=dry_run)
                if count:
                    self.stdout.write(f"{model._meta.label}.{name}: {count}")
                total += count
        verb = "à nettoyer" if dry_run else "nettoyées"
        self.stdout.write(f"{total} valeur(s) {verb}.")
