"""Check the project's translation catalogues: every entry translated, none fuzzy, placeholders kept.

Exits non-zero (``CommandError``) and lists the faulty entries when a catalogue has:

- an untranslated entry (empty ``msgstr``, or an empty plural form);
- a fuzzy entry (or a fuzzy header), i.e. one that gettext guessed and nobody checked;
- a translation whose ``%(name)s`` / ``%s`` / ``%d`` placeholders differ from the source's
  (a missing or misspelt one raises ``KeyError`` at runtime, an extra one shows up as is);
- in a python-format entry, a lone ``%`` that is not a placeholder (it must be written ``%%``);
- a string translated one way in a catalogue and another way in another: Django merges the catalogues into one
  (LOCALE_PATHS first, then the apps in INSTALLED_APPS order), so only one of them would ever show.

Usage: ``manage.py check_translations`` (the catalogues of LOCALE_PATHS and of every installed app of the project,
``participe.core.translations.catalogue_dirs``) or ``--locale en``.
"""

import re
from collections import Counter
from pathlib import Path
from typing import Any

import polib  # type: ignore[import-untyped]
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from participe.core.translations import catalogue_dirs

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
        paths = [
            po_path
            for locale_dir in catalogue_dirs()
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po"))
            if not locales or po_path.parent.parent.name in locales
        ]
        if not paths:
            raise CommandError("No translation catalogue found.")
        failures: list[str] = []
        seen: dict[tuple[str, str | None, str], tuple[str, Any]] = {}
        for po_path in paths:
            name = _name(po_path)
            catalogue = polib.pofile(str(po_path))
            if catalogue.metadata_is_fuzzy:
                failures.append(f"{name}: header is marked fuzzy")
            entries = [entry for entry in catalogue if not entry.obsolete]
            for entry in entries:
                where = f"{name}:{entry.linenum}"
                failures += [
                    f"{where}: {problem}{_context(entry)}: {entry.msgid!r}" for problem in entry_problems(entry)
                ]
                failures += _disagreement(seen, po_path.parent.parent.name, name, entry)
            self.stdout.write(f"{name}: {len(entries)} entries checked.")
        if failures:
            for failure in failures:
                self.stderr.write(failure)
            raise CommandError(f"{len(failures)} translation problem(s).")
        self.stdout.write(self.style.SUCCESS("All translations are complete and consistent."))


def _name(po_path: Path) -> str:
    try:
        return str(po_path.relative_to(settings.BASE_DIR))
    except ValueError:
        return str(po_path)


def _context(entry: Any) -> str:
    return f" [{entry.msgctxt}]" if entry.msgctxt else ""


def _disagreement(
    seen: dict[tuple[str, str | None, str], tuple[str, Any]], locale: str, name: str, entry: Any
) -> list[str]:
    """A failure when an earlier catalogue of the same language translates the same string differently."""
    key = (locale, entry.msgctxt, entry.msgid)
    translation: Any = dict(entry.msgstr_plural) if entry.msgstr_plural else entry.msgstr
    first = seen.setdefault(key, (name, translation))
    if first[1] == translation:
        return []
    return [f"{name}:{entry.linenum}: translated differently in {first[0]}{_context(entry)}: {entry.msgid!r}"]
