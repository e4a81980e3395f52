"""The English catalogue is complete, and the interface switches to it when the visitor chooses English."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from participe.core.management.commands.check_translations import entry_problems


def test_the_catalogues_are_complete_and_keep_their_placeholders():
    call_command("check_translations")


class Entry:
    def __init__(self, msgid, msgstr="", *, msgid_plural="", msgstr_plural=None, flags=("python-format",)):
        self.msgid, self.msgstr = msgid, msgstr
        self.msgid_plural, self.msgstr_plural = msgid_plural, msgstr_plural or {}
        self.flags, self.obsolete, self.msgctxt = list(flags), False, None


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
