"""The demo command prints the address the demo is served at and the accounts."""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
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
    routed = apps.get_model("assignments", "Assignment").objects.all()
    assert routed.count() == 2 and routed.filter(due_at__lt=timezone.now(), done_at__isnull=True).count() == 1
    assert apps.get_model("comments", "Comment").objects.count() >= 10
    assert apps.get_model("surveys", "Response").objects.filter(submitted_at__isnull=False).count() >= 30
