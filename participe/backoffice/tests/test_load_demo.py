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
