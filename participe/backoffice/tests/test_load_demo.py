"""The demo command prints the address the demo is served at and the accounts; it and ``demo_totp`` run only on a
demo or development install, and each install draws its own TOTP secret for the demo's staff."""

from io import StringIO
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.core.management import call_command
from django.core.management.base import CommandError

from participe.accounts.models import User
from participe.backoffice import demo
from participe.backoffice.demo import demo_totp_secret, load_demo

pytestmark = pytest.mark.django_db


def test_load_demo_prints_the_given_address_and_the_accounts() -> None:
    out = StringIO()
    call_command("load_demo", "--url", "http://127.0.0.1:8123/", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8123/" in text
    assert "camille@example.org" in text


@pytest.mark.django_db
def test_the_demo_holds_what_it_shows(django_capture_on_commit_callbacks) -> None:
    """The seeds run as the staff of each space: a refused write would leave a silently poorer demo."""
    from django.apps import apps
    from django.utils import timezone

    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=StringIO())
    Proposal = apps.get_model("proposals", "Proposal")
    assert Proposal.objects.filter(status="published").count() >= 10
    assert Proposal.objects.exclude(answer_status="").count() >= 3
    routed = apps.get_model("assignments", "Assignment").objects.filter(module__module_type="proposals")
    assert routed.count() == 2 and routed.filter(due_at__lt=timezone.now(), done_at__isnull=True).count() == 1
    assert apps.get_model("comments", "Comment").objects.count() >= 10
    assert apps.get_model("surveys", "Response").objects.filter(submitted_at__isnull=False).count() >= 30
    # The signalements (an organisation-wide module): 60 reports in every status, routed to four services.
    reports = apps.get_model("signalements", "Report").objects.all()
    assert reports.count() == 60
    statuses = {value for value, _label in reports.model._meta.get_field("status").choices}
    assert set(reports.values_list("status", flat=True)) == statuses
    signalements = apps.get_model("assignments", "Assignment").objects.filter(module__module_type="signalements")
    assert signalements.values("service").distinct().count() == 4
    # Pictures (decision 0037): each démarche's and four modules', with their card size and their text.
    spaces = apps.get_model("spaces", "Space").objects.exclude(hero_image="")
    assert spaces.count() == 4 and all(s.hero_image_sizes["renditions"] for s in spaces)
    modules = apps.get_model("spaces", "Module").objects.exclude(picture="")
    assert modules.count() == 4 and all(m.picture_alt and m.picture_sizes["renditions"] for m in modules)


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.PARTICIPE_DEMO = False


def test_load_demo_refuses_a_production_install_and_creates_nothing(production) -> None:
    with pytest.raises(CommandError) as refused:
        call_command("load_demo", stdout=StringIO())
    assert "DJANGO_DEBUG=1" in str(refused.value)
    assert "PARTICIPE_DEMO=1" in str(refused.value)
    with pytest.raises(CommandError):
        load_demo()  # the function itself, whoever calls it
    assert not User.objects.exists()
    assert not Authenticator.objects.exists()


def test_demo_totp_refuses_a_production_install(production) -> None:
    with pytest.raises(CommandError, match="PARTICIPE_DEMO=1"):
        call_command("demo_totp", stdout=StringIO())


def test_seed_volume_refuses_a_production_install(production) -> None:
    with pytest.raises(CommandError, match="PARTICIPE_DEMO=1"):
        call_command("seed_volume", accounts=20, spaces=0, no_progress=True, stdout=StringIO())
    assert not User.objects.exists()


def test_each_install_draws_its_own_totp_secret_for_the_staff() -> None:
    load_demo()
    first = demo_totp_secret()
    assert first is not None
    secrets_of_staff = {
        demo.decrypt(a.data["secret"]) for a in Authenticator.objects.filter(type=Authenticator.Type.TOTP)
    }
    assert secrets_of_staff == {first}  # one code for the administrator, the agent and the moderator
    load_demo()
    assert demo_totp_secret() == first  # loading again keeps it
    Authenticator.objects.all().delete()  # as a new install would start
    load_demo()
    assert demo_totp_secret() not in (None, first)
    assert first not in Path(demo.__file__).read_text()


def test_demo_totp_prints_the_current_code_of_the_staff() -> None:
    load_demo()
    out = StringIO()
    call_command("demo_totp", stdout=out)
    secret = demo_totp_secret()
    assert secret is not None
    codes = {format_hotp_value(hotp_value(secret, counter)) for counter in yield_hotp_counters_from_time()}
    assert out.getvalue().strip() in codes


def test_demo_totp_says_to_load_the_demo_first() -> None:
    with pytest.raises(CommandError, match="load_demo"):
        call_command("demo_totp", stdout=StringIO())
