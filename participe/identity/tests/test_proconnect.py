"""Agents sign in with ProConnect (the local provider playing it): matched by email to their existing staff
account, anyone else refused; the TOTP code is not asked again when the ``amr`` claim says the identity provider did
a second factor, and still is otherwise."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from participe.activity.models import AuditEntry
from participe.identity.tests import flows
from participe.permissions.second_factor import session_passed
from tests.factories import TEST_TOTP_SECRET, UserFactory, make_agent
from tests.oidc_provider.server import AGENT_MFA, AGENT_PWD, STRANGER

pytestmark = pytest.mark.django_db

EMAIL = AGENT_MFA["claims"]["email"]


def current_code() -> str:
    return format_hotp_value(hotp_value(TEST_TOTP_SECRET, int(timezone.now().timestamp()) // mfa_settings.TOTP_PERIOD))


def messages_of(response: Any) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_the_authorization_request_asks_amr_and_nothing_proconnect_refuses(client: Any, identity_settings: Any) -> None:
    params = flows.query(flows.start(client, "proconnect"))
    assert params["claims"] == '{"id_token":{"amr":{"essential":true}}}'
    assert "acr_values" not in params and "prompt" not in params
    assert set(params) == {"response_type", "client_id", "redirect_uri", "scope", "state", "nonce", "claims"}


def test_an_agent_whose_provider_did_mfa_is_not_asked_the_code_again(client: Any, identity_settings: Any) -> None:
    agent = make_agent(email=EMAIL)
    response = flows.sign_in(client, AGENT_MFA, "proconnect")
    assert response.status_code == 302 and response["Location"] == reverse("backoffice:dashboard")
    assert client.session["_auth_user_id"] == str(agent.pk)
    assert client.get(reverse("backoffice:dashboard")).status_code == 200  # the roles count: no code asked
    assert session_passed(client.get(reverse("backoffice:dashboard")).wsgi_request)
    entry = AuditEntry.objects.get(action="identity.proconnect_login")
    assert entry.after["second_factor"] is True and "mfa" in entry.after["amr"]


def test_an_agent_whose_provider_did_not_do_mfa_still_types_the_code(client: Any, identity_settings: Any) -> None:
    agent = make_agent(email=EMAIL)
    response = flows.sign_in(client, AGENT_PWD, "proconnect")
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": current_code()})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(agent.pk)
    assert client.get(reverse("backoffice:dashboard")).status_code == 200


def test_an_agent_without_authenticator_and_without_mfa_is_sent_to_activate_one(
    client: Any, identity_settings: Any
) -> None:
    agent = make_agent(email=EMAIL)
    agent.authenticator_set.all().delete()
    flows.sign_in(client, AGENT_PWD, "proconnect")
    assert client.session["_auth_user_id"] == str(agent.pk)
    response = client.get(reverse("backoffice:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_activate_totp"))


def test_an_email_without_a_staff_account_is_refused_clearly(client: Any, identity_settings: Any, caplog: Any) -> None:
    response = flows.sign_in(client, STRANGER, "proconnect")
    assert response["Location"] == reverse("account_login")
    assert "Aucun compte d'agent ne correspond à l'adresse inconnu@ailleurs.example" in messages_of(response)
    assert "_auth_user_id" not in client.session
    assert any("proconnect sign-in refused" in r.getMessage() for r in caplog.records)


def test_a_resident_account_with_that_email_is_not_opened_through_proconnect(
    client: Any, identity_settings: Any
) -> None:
    UserFactory(email=EMAIL)
    response = flows.sign_in(client, AGENT_MFA, "proconnect")
    assert response["Location"] == reverse("account_login")
    assert "Aucun compte d'agent" in messages_of(response)
    assert "_auth_user_id" not in client.session
