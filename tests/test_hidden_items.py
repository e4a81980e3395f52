"""Issue #19, finding 5: every shared service answers 404 for what the reader may not see — a draft, a deleted
user's draft, an item hidden by moderation — exactly as it answers for an id that matches nothing, pages and API
alike (one check: ``spaces.view_item``, ``participe.spaces.predicates.can_see_item``)."""

from __future__ import annotations

import json

import pytest
from django.contrib.contenttypes.models import ContentType

from participe.accounts.models import User
from participe.core.models import ModerationStatus
from participe.modules.proposals.models import Proposal
from participe.modules.proposals.tests.factories import ProposalFactory
from participe.notifications.models import Follow
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MISSING = 987654


def _draft() -> Proposal:
    return ProposalFactory(status=Proposal.Status.DRAFT)


def _deleted_users_draft() -> Proposal:
    """The probe's case: the draft of an account deleted since (whether deletion keeps drafts or not, the row of a
    deleted account must show nothing)."""
    draft = ProposalFactory(status=Proposal.Status.DRAFT)
    User.objects.filter(pk=draft.author_id).update(is_deleted=True, is_active=False, pseudonym=f"supprime-{draft.pk}")
    return draft


def _hidden() -> Proposal:
    proposal = ProposalFactory()
    Proposal.objects.filter(pk=proposal.pk).update(moderation_status=ModerationStatus.HIDDEN)
    return Proposal.objects.get(pk=proposal.pk)


INVISIBLE = [_draft, _deleted_users_draft, _hidden]


def _ct() -> int:
    return ContentType.objects.get_for_model(Proposal).pk


def _follow(client, object_id: int):
    body = json.dumps({"content_type_id": _ct(), "object_id": object_id})
    return client.post("/api/v1/notifications/follows", body, content_type="application/json")


@pytest.mark.parametrize("make", INVISIBLE)
def test_following_what_one_may_not_see_answers_as_a_missing_id(client, make):
    item = make()
    client.force_login(UserFactory())
    missing = _follow(client, MISSING)
    response = _follow(client, item.pk)
    assert missing.status_code == 404
    assert (response.status_code, response.json()) == (404, missing.json())
    assert not Follow.objects.filter(object_id=item.pk, content_type_id=_ct()).exists()
    page = client.post(f"/notifications/suivre/{_ct()}/{item.pk}/", {"action": "follow"})
    assert page.status_code == client.post(f"/notifications/suivre/{_ct()}/{MISSING}/").status_code == 404
    body = json.dumps({"content_type_id": _ct(), "object_id": item.pk})
    assert client.post("/api/v1/notifications/follows/delete", body, content_type="application/json").status_code == 404


@pytest.mark.parametrize("make", INVISIBLE)
def test_the_supports_of_what_one_may_not_see_answer_as_a_missing_id(client, make):
    item = make()
    for who in (None, UserFactory()):
        if who is not None:
            client.force_login(who)
        missing = client.get(f"/api/v1/supports/{_ct()}/{MISSING}")
        response = client.get(f"/api/v1/supports/{_ct()}/{item.pk}")
        assert (response.status_code, response.json()) == (missing.status_code, missing.json()) == (404, missing.json())
    assert client.post(f"/soutiens/{_ct()}/{item.pk}/soutenir/").status_code == 404


@pytest.mark.parametrize("make", INVISIBLE)
def test_reporting_what_one_may_not_see_answers_as_a_missing_id(client, make):
    item = make()
    assert client.get(f"/moderation/signaler/{_ct()}/{item.pk}/").status_code == 404  # a visitor: not the login
    client.force_login(UserFactory())
    assert client.get(f"/moderation/signaler/{_ct()}/{item.pk}/").status_code == 404
    body = {"content_type": _ct(), "object_id": item.pk, "reason": "spam", "details": ""}
    missing = client.post("/api/v1/moderation/reports", {**body, "object_id": MISSING}, content_type="application/json")
    response = client.post("/api/v1/moderation/reports", body, content_type="application/json")
    assert (response.status_code, response.json()) == (404, missing.json())


@pytest.mark.parametrize("make", INVISIBLE)
def test_files_and_comments_of_what_one_may_not_see_answer_as_a_missing_id(client, make):
    item = make()
    client.force_login(UserFactory())
    for api in ("/api/v1/attachments", "/api/v1/comments"):
        assert client.get(f"{api}/{_ct()}/{item.pk}").status_code == 404
        assert client.get(f"{api}/{_ct()}/{MISSING}").status_code == 404


def test_the_author_and_the_moderators_still_see_what_is_theirs(client):
    hidden = _hidden()
    client.force_login(hidden.author)
    assert client.get(f"/api/v1/supports/{_ct()}/{hidden.pk}").status_code == 200
    assert _follow(client, hidden.pk).status_code == 200
    draft = _draft()
    client.force_login(draft.author)
    assert client.get(f"/api/v1/supports/{_ct()}/{draft.pk}").status_code == 200


def test_a_follower_may_still_stop_following_an_item_hidden_since(client):
    proposal = ProposalFactory()
    user = UserFactory()
    client.force_login(user)
    assert _follow(client, proposal.pk).status_code == 200
    Proposal.objects.filter(pk=proposal.pk).update(moderation_status=ModerationStatus.HIDDEN)
    body = json.dumps({"content_type_id": _ct(), "object_id": proposal.pk})
    response = client.post("/api/v1/notifications/follows/delete", body, content_type="application/json")
    assert response.status_code == 200
    assert not Follow.objects.filter(user=user).exists()
