"""« Adresse électronique » for the address, « courriel » for the message: never allauth's « E-mail » labels (issue #18).
allauth's own sentences on its rarer pages (password reset, email confirmation) still say « e-mail »."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["account_login", "account_signup", "account_reset_password"])
def test_the_address_field_is_labelled_adresse_electronique(client, name):
    page = html.unescape(client.get(reverse(name)).content.decode())
    assert re.search(r"<label[^>]*>\s*Adresse électronique", page), name
    assert 'placeholder="Adresse e-mail"' not in page


@pytest.mark.parametrize("name", ["account_login", "account_signup"])
def test_the_login_and_signup_pages_never_say_e_mail(client, name):
    page = html.unescape(client.get(reverse(name)).content.decode())
    assert not re.search(r"\b[Ee]-mail\b", re.sub(r"<[^>]+>", " ", page)), name
