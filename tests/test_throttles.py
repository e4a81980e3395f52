"""Throttles on writes and the size of bodies (issue #19, finding 7; participe/core/throttle.py).

On the code before the fix, one account created 888 proposals and three accounts 1,055 comments in two minutes, and
1 MB bodies were accepted: here a fourth comment in a minute is refused with the page « Trop de demandes » or the
API's 429 with ``Retry-After``, per account and per address (behind a trusted proxy, the client's), an agent gets
more, and a body over 1 MB is refused with 413 before anything reads it.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.test import Client

from participe.comments.models import Comment
from participe.comments.services import comment_create
from participe.core import throttle as throttle_module
from participe.core.throttle import Throttled, throttle
from participe.env import parse_rates
from participe.modules.proposals.models import Proposal
from participe.modules.proposals.services.proposals import proposal_create
from participe.modules.proposals.tests.factories import ProposalModuleFactory
from tests.factories import ItemFactory, UserFactory, make_agent

pytestmark = pytest.mark.django_db

LIMITS = {
    "content": {"account": "3/m,10/h", "address": "5/m"},
    "write": {"account": "20/m", "address": "40/m"},
}


NOW = 20833 * 86400 + 5  # five seconds into a minute, an hour and a day: no window ends during a test


@pytest.fixture(autouse=True)
def limits(settings, monkeypatch):
    monkeypatch.setattr(throttle_module, "_clock", lambda: NOW)
    settings.PARTICIPE_THROTTLES = LIMITS
    settings.PARTICIPE_THROTTLE_STAFF_FACTOR = 10
    cache.clear()
    yield
    cache.clear()


def comment_page(item) -> str:
    return f"/commentaires/{ContentType.objects.get_for_model(item).pk}/{item.pk}/ajouter/"


def comment_api(item) -> str:
    return f"/api/v1/comments/{ContentType.objects.get_for_model(item).pk}/{item.pk}"


def test_a_fourth_comment_in_a_minute_gets_the_page_that_says_when_to_retry(client):
    item = ItemFactory()
    client.force_login(UserFactory())
    for n in range(3):
        assert client.post(comment_page(item), {"body": f"Avis n° {n}", "stance": "neutral"}).status_code == 302

    response = client.post(comment_page(item), {"body": "Encore un avis", "stance": "neutral"})

    assert response.status_code == 429
    assert response["Retry-After"] == "55"
    assert "Content-Security-Policy" in response  # answered inside the middlewares that set the headers
    page = response.content.decode()
    assert "<h1>Trop de demandes</h1>" in page and "réessayez dans" in page
    assert "votre texte y est encore" in page
    assert Comment.objects.count() == 3


def test_the_api_answers_429_with_retry_after_and_json():
    item = ItemFactory()
    client = Client()
    client.force_login(UserFactory())
    for n in range(3):
        response = client.post(comment_api(item), {"body": f"Avis {n}", "stance": "neutral"}, "application/json")
        assert response.status_code == 201
    response = client.post(comment_api(item), {"body": "Encore", "stance": "neutral"}, "application/json")
    assert response.status_code == 429
    body = response.json()
    assert body["retry_after"] == int(response["Retry-After"]) == 55
    assert "réessayez dans" in body["detail"]


def test_the_limit_is_per_account_and_per_address_behind_a_trusted_proxy(settings):
    settings.PARTICIPE_TRUSTED_PROXIES = ["10.0.0.1"]
    item = ItemFactory()
    shared = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    statuses = []
    for _n in range(7):  # seven people behind one address (a library): five pass, per address
        client = Client(**shared)
        client.force_login(UserFactory())
        statuses.append(client.post(comment_page(item), {"body": "Mon avis", "stance": "neutral"}).status_code)
    assert statuses == [302] * 5 + [429] * 2
    neighbour = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2")  # another client of the proxy
    neighbour.force_login(UserFactory())
    assert neighbour.post(comment_page(item), {"body": "Le mien", "stance": "neutral"}).status_code == 302


def test_the_service_is_limited_whatever_calls_it():
    user = UserFactory()
    item = ItemFactory()
    for n in range(3):
        comment_create(actor=user, target=item, body=f"Avis {n}", stance="neutral")
    with pytest.raises(Throttled) as refused:
        comment_create(actor=user, target=item, body="Encore", stance="neutral")
    assert (refused.value.action, refused.value.retry_after) == ("content", 55)
    module = ProposalModuleFactory(settings={"location_required": False})
    with pytest.raises(Throttled):
        proposal_create(actor=user, module=module, data={"title": "Une idée de plus", "body": "<p>Encore une.</p>"})
    assert not Proposal.objects.exists()


def test_an_agent_typing_paper_contributions_gets_more():
    agent = make_agent()
    for _n in range(30):  # 3/m × 10
        throttle(agent, "content")
    with pytest.raises(Throttled):
        throttle(agent, "content")


def test_every_write_counts_against_the_write_limit(client):
    client.force_login(UserFactory())
    statuses = [client.post("/notifications/tout-marquer-comme-lu/").status_code for _n in range(21)]
    assert 429 not in statuses[:20] and statuses[20] == 429


def test_a_body_over_one_megabyte_is_refused_with_413(client):
    item = ItemFactory()
    client.force_login(UserFactory())
    form = urlencode({"body": "x" * (1024 * 1024 + 10), "stance": "neutral"})
    response = client.post(comment_page(item), form, "application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert "trop volumineux" in response.content.decode()
    response = client.post(
        comment_api(item), {"body": "x" * (1024 * 1024 + 10), "stance": "neutral"}, "application/json"
    )
    assert response.status_code == 413 and "trop volumineux" in response.json()["detail"]
    assert not Comment.objects.exists()


def test_rates_are_parsed_strictly():
    assert parse_rates("30/m, 600/h,5/10m") == ((30, 60), (600, 3600), (5, 600))
    assert parse_rates("off") == ()
    for bad in ("30", "30/x", "-1/m", "a/m", "0/m"):
        with pytest.raises(ValueError):
            parse_rates(bad)


def test_the_demo_s_residents_are_not_throttled_while_it_loads():
    """``load_demo`` writes dozens of contributions per account in a second, on purpose: it runs with the throttles
    suspended (with production rates, it stopped at a resident's fourth comment)."""
    user = UserFactory()
    item = ItemFactory()
    with throttle_module.suspended():
        for n in range(12):
            comment_create(actor=user, target=item, body=f"Avis {n}", stance="neutral")
    for n in range(3):  # nothing was counted meanwhile; afterwards, the rates again
        comment_create(actor=user, target=item, body=f"Après {n}", stance="neutral")
    with pytest.raises(Throttled):
        comment_create(actor=user, target=item, body="Encore", stance="neutral")
