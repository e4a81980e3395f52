"""Check the project's translation catalogues: every entry translated, none fuzzy, placeholders kept.

Exits non-zero (``CommandError``) and lists the faulty entries when a catalogue has:

- an untranslated entry (empty ``msgstr``, or an empty plural form);
- a fuzzy entry (or a fuzzy header), i.e. one that gettext guessed and nobody checked;
- a translation whose ``%(name)s`` / ``%s`` / ``%d`` placeholders differ from the source's
  (a missing or misspelt one raises ``KeyError`` at runtime, an extra one shows up as is);
- in a python-format entry, a lone ``%`` that is not a placeholder (it must be written ``%%``).

Usage: ``manage.py check_translations`` (every catalogue under LOCALE_PATHS) or ``--locale en``.
"""

import re
from collections import Counter
from pathlib import Path
from typing import Any

import polib  # type: ignore[import-untyped]
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

# %(name)s, %s, %d, %5.2f… The space flag is left out on purpose: "50 % des" is French, not a placeholder.
PLACEHOLDER = re.compile(r"%(?:\((?P<name>[^)]+)\))?[-#0+]*\d*(?:\.\d+)?[sdifrxXeEgGc]")


def placeholders(text: str) -> tuple[Counter[str], list[str]]:
    """The named placeholders (counted) and the positional ones (in order) of ``text``."""
    text = text.replace("%%", "")
    named: Counter[str] = Counter()
    positional: list[str] = []
    for match in PLACEHOLDER.finditer(text):
        if match.group("name"):
            named[match.group(0)] += 1
        else:
            positional.append(match.group(0)[-1])
    return named, positional


def has_lone_percent(text: str) -> bool:
    return "%" in PLACEHOLDER.sub("", text.replace("%%", ""))


def entry_problems(entry: Any) -> list[str]:
    if entry.obsolete:
        return []
    problems = []
    if "fuzzy" in entry.flags:
        problems.append("fuzzy")
    if entry.msgid_plural:
        forms = [(entry.msgid if i == 0 else entry.msgid_plural, s) for i, s in sorted(entry.msgstr_plural.items())]
    else:
        forms = [(entry.msgid, entry.msgstr)]
    if not forms or any(not translation for _source, translation in forms):
        problems.append("untranslated")
        return problems
    formatted = "python-format" in entry.flags or "%%" in entry.msgid
    for source, translation in forms:
        src_named, src_positional = placeholders(source)
        dst_named, dst_positional = placeholders(translation)
        if src_named != dst_named or src_positional != dst_positional:
            expected = sorted(src_named) + src_positional
            found = sorted(dst_named) + dst_positional
            problems.append(f"placeholders differ: expected {expected}, found {found}")
        elif formatted and has_lone_percent(translation):
            problems.append("lone % in a formatted string (write %%)")
    return problems


class Command(BaseCommand):
    help = "Check the translation catalogues: untranslated or fuzzy entries, placeholders that differ."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--locale", "-l", action="append", help="Only this locale (repeatable).")

    def handle(self, *args: Any, **options: Any) -> None:
        locales = options.get("locale")
        paths = sorted(
            po_path
            for locale_dir in settings.LOCALE_PATHS
            for po_path in Path(locale_dir).glob("*/LC_MESSAGES/*.po")
            if not locales or po_path.parent.parent.name in locales
        )
        if not paths:
            raise CommandError("No translation catalogue found.")
        failures = []
        for po_path in paths:
            catalogue = polib.pofile(str(po_path))
            name = "/".join(po_path.parts[-3:])
            if catalogue.metadata_is_fuzzy:
                failures.append(f"{name}: header is marked fuzzy")
            count = 0
            for entry in catalogue:
                if entry.obsolete:
                    continue
                count += 1
                for problem in entry_problems(entry):
                    where = f"{entry.linenum}"
                    context = f" [{entry.msgctxt}]" if entry.msgctxt else ""
                    failures.append(f"{name}:{where}: {problem}{context}: {entry.msgid!r}")
            self.stdout.write(f"{name}: {count} entries checked.")
        if failures:
            for failure in failures:
                self.stderr.write(failure)
            raise CommandError(f"{len(failures)} translation problem(s).")
        self.stdout.write(self.style.SUCCESS("All translations are complete and consistent."))
