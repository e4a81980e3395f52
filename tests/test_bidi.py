"""Issue #19, finding 8: bidirectional controls in titles and pseudonyms are stripped where they are saved, the
rows saved before are cleaned by ``strip_bidi_controls``, and pages isolate what people wrote."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.template import Context, Template

from participe.accounts.models import User
from participe.core.sanitize import BIDI_CONTROLS, single_line, strip_bidi_controls
from tests.factories import UserFactory

RLO = "\u202e"


@pytest.mark.parametrize("control", list(BIDI_CONTROLS))
def test_every_control_is_stripped(control):
    assert strip_bidi_controls(f"a{control}b") == "ab"


def test_a_line_is_one_line_without_controls():
    assert single_line(f"  {RLO}nimda\u2066 \n du  quartier\u2069 ") == "nimda du quartier"
    assert single_line(None) == ""
    assert single_line("مرحبا بالعالم") == "مرحبا بالعالم"  # right-to-left text itself is kept


def test_the_isolate_filter_escapes_and_isolates():
    assert (
        Template("{{ name|isolate }}").render(Context({"name": f"<b>{RLO}x</b>"}))
        == f"<bdi>&lt;b&gt;{RLO}x&lt;/b&gt;</bdi>"
    )


@pytest.mark.django_db
def test_the_command_cleans_the_rows_saved_before(capsys):
    UserFactory(pseudonym="admin")
    clash = UserFactory(pseudonym=f"{RLO}admin")
    other = UserFactory(pseudonym=f"cam{RLO}ille")
    call_command("strip_bidi_controls", "--dry-run")
    assert User.objects.get(pk=other.pk).pseudonym == f"cam{RLO}ille"
    call_command("strip_bidi_controls")
    assert User.objects.get(pk=other.pk).pseudonym == "camille"
    assert User.objects.get(pk=clash.pk).pseudonym == f"admin-{clash.pk}"  # no impersonation, no crash
    assert "2 valeur(s) nettoyées." in capsys.readouterr().out
