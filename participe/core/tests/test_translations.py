"""The catalogues (the project's and each app's) are complete, agree with the code and with each other, and the
interface switches to English when the visitor chooses it."""

import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from participe.core.management.commands.check_translations import _disagreement, entry_problems
from participe.core.translations import catalogue_dirs, catalogues, project_dir


def test_the_catalogues_are_complete_and_keep_their_placeholders():
    call_command("check_translations")


class Entry:
    def __init__(self, msgid, msgstr="", *, msgid_plural="", msgstr_plural=None, flags=("python-format",)):
        self.msgid, self.msgstr = msgid, msgstr
        self.msgid_plural, self.msgstr_plural = msgid_plural, msgstr_plural or {}
        self.flags, self.obsolete, self.msgctxt, self.linenum = list(flags), False, None, 1


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        (Entry("Bonjour"), "untranslated"),
        (Entry("Bonjour", "Hello", flags=["fuzzy"]), "fuzzy"),
        (Entry("Le thème « %(name)s »", "The topic “%(nom)s”"), "placeholders differ"),
        (Entry("%(n)s sur %(total)s", "%(n)s"), "placeholders differ"),
        (Entry("Page %d", "Page"), "placeholders differ"),
        (Entry("%(rate)s %% des critères", "%(rate)s% of the criteria"), "lone %"),
        (Entry("%(n)s espace", msgid_plural="%(n)s espaces", msgstr_plural={0: "%(n)s space", 1: ""}), "untranslated"),
        (
            Entry("%(n)s espace", msgid_plural="%(n)s espaces", msgstr_plural={0: "%(n)s space", 1: "spaces"}),
            "placeholders differ",
        ),
    ],
)
def test_it_catches_faulty_entries(entry, problem):
    assert any(p.startswith(problem) for p in entry_problems(entry))


def test_it_accepts_good_entries():
    assert entry_problems(Entry("%(rate)s %% des critères", "%(rate)s%% of the criteria")) == []
    assert entry_problems(Entry("Un taux entre 0 et 100 %.", "A rate between 0 and 100%.", flags=[])) == []
    plural = Entry("%(n)s espace", msgid_plural="%(n)s espaces", msgstr_plural={0: "%(n)s space", 1: "%(n)s spaces"})
    assert entry_problems(plural) == []


def test_it_fails_for_an_unknown_locale():
    with pytest.raises(CommandError):
        call_command("check_translations", locale=["xx"])


@pytest.mark.django_db
def test_the_home_page_is_in_english_when_the_visitor_chose_english(client, settings):
    call_command("compilemessages_po")
    # Reassigning LOCALE_PATHS fires setting_changed, which drops the catalogues already loaded in
    # this process: the freshly compiled .mo is read, whatever ran before.
    settings.LOCALE_PATHS = list(settings.LOCALE_PATHS)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Skip to content" in html
    assert "Aller au contenu" not in html


@pytest.mark.django_db
def test_the_home_page_stays_in_french_by_default(client):
    html = client.get("/").content.decode()
    assert '<html lang="fr">' in html
    assert "Aller au contenu" in html


def test_each_app_and_the_project_have_their_catalogue():
    owned = {c.name: c for c in catalogues()}
    assert {"project", "core", "backoffice", "comments", "proposals", "surveys", "debate", "page"} <= set(owned)
    assert owned["proposals"].locale_dir == project_dir() / "modules" / "proposals" / "locale"
    assert owned["project"].locale_dir == Path(django_settings.LOCALE_PATHS[0])
    assert set(catalogue_dirs()) >= {owned[name].locale_dir for name in ("project", "backoffice", "proposals")}


@pytest.mark.parametrize(
    ("relative", "owner"),
    [
        ("templates/base.html", "project"),
        ("settings.py", "project"),
        ("templates/backoffice/space_list.html", "backoffice"),
        ("templates/emails/notifications/digest.html", "notifications"),
        ("backoffice/forms/audit.py", "backoffice"),
        ("modules/proposals/templates/proposals/proposal_detail.html", "proposals"),
        ("core/templates/core/partials/_field.html", "core"),
    ],
)
def test_a_file_belongs_to_its_app_or_else_to_the_project(relative, owner):
    path = project_dir() / relative
    assert path.exists()
    assert [c.name for c in catalogues() if path in c.files] == [owner]


def test_tests_and_migrations_are_not_extracted():
    files = [path for c in catalogues() for path in c.files]
    assert not [p for p in files if {"tests", "migrations"} & set(p.parts)]


def _msgids(po_path):
    if not po_path.exists():
        return set()
    return {(e.msgctxt, e.msgid) for e in polib.pofile(str(po_path)) if not e.obsolete}


def test_every_catalogue_holds_exactly_the_strings_of_its_code_and_templates(tmp_path):
    if not shutil.which("xgettext"):
        pytest.skip("GNU gettext (xgettext) is not installed: apt-get install gettext (make test installs it)")
    call_command("messages_update", into=str(tmp_path), verbosity=0)
    base = Path(django_settings.BASE_DIR)
    languages = [code for code, _name in django_settings.LANGUAGES if code != django_settings.LANGUAGE_CODE]
    problems = []
    for catalogue in catalogues():
        for locale in languages:
            relative = catalogue.locale_dir.relative_to(base) / locale / "LC_MESSAGES" / "django.po"
            extracted, committed = _msgids(tmp_path / relative), _msgids(base / relative)
            problems += [f"{relative}: missing {msgid!r}" for _ctx, msgid in sorted(extracted - committed)]
            problems += [f"{relative}: no longer used {msgid!r}" for _ctx, msgid in sorted(committed - extracted)]
    assert problems == [], "run manage.py messages_update (make messages-update), then translate:\n" + "\n".join(
        problems
    )


@pytest.mark.django_db
def test_every_entry_of_every_catalogue_reads_as_translated(settings):
    """Django merges the catalogues into one: no other catalogue (Django's, a library's, another app's) shadows
    an entry of ours."""
    call_command("compilemessages_po")
    settings.LOCALE_PATHS = list(settings.LOCALE_PATHS)  # drops the catalogues loaded before the compilation
    wrong = []
    with translation.override("en"):
        for locale_dir in catalogue_dirs():
            po_path = locale_dir / "en" / "LC_MESSAGES" / "django.po"
            for entry in polib.pofile(str(po_path)) if po_path.exists() else ():
                if entry.msgid_plural:
                    got = [translation.ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 2)]
                    wanted = [entry.msgstr_plural[0], entry.msgstr_plural[1]]
                else:
                    got, wanted = translation.gettext(entry.msgid), entry.msgstr
                if got != wanted:
                    wrong.append((str(po_path), entry.msgid, got))
    assert wrong == []


@pytest.mark.django_db
def test_strings_of_apps_and_modules_show_in_english(settings):
    call_command("compilemessages_po")
    settings.LOCALE_PATHS = list(settings.LOCALE_PATHS)
    with translation.override("en"):
        assert translation.gettext("Comptes") == "Accounts"  # accounts
        assert translation.gettext("Aller au contenu") == "Skip to content"  # the project's base template
        assert translation.gettext("Page d'information") == "Information page"  # the page module


def test_it_catches_a_string_translated_two_ways():
    seen = {}
    assert _disagreement(seen, "en", "a/django.po", Entry("Espace", "Space")) == []
    assert _disagreement(seen, "en", "b/django.po", Entry("Espace", "Space")) == []
    (failure,) = _disagreement(seen, "en", "c/django.po", Entry("Espace", "Area"))
    assert "translated differently in a/django.po" in failure
    assert _disagreement(seen, "fr", "d/django.po", Entry("Espace", "Zone")) == []
