"""A GET writes nothing: no page, fragment or API answer sends an INSERT, an UPDATE or a DELETE to the database.

The visitor's session is the one exception (the proposals list keeps the seed of its random order there): it is the
visitor's state, not the platform's data. What used to write on display (the proposals list and page marking the
proposals that reached the support threshold) now happens where supports or the threshold change.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse

from audit.authz import Filler, walk
from audit.expectations import SKIP_NAMES
from audit.fixtures import prepare
from participe.accounts.models import User
from participe.backoffice.demo import load_demo
from participe.modules.proposals.tests.factories import ProposalFactory, ProposalModuleFactory
from tests.writes import no_writes, writes

pytestmark = pytest.mark.django_db

SESSION = ("django_session",)


def test_the_proposals_list_page_and_api_write_nothing_even_past_the_threshold(client):
    module = ProposalModuleFactory(settings={"support_threshold": 1})
    # Reached the threshold without being marked (supports written directly): the pages used to mark it.
    proposal = ProposalFactory(module=module, supports_count=3)
    addresses = [
        module.get_absolute_url(),
        proposal.get_absolute_url(),
        reverse("api:proposal_list", kwargs={"module_id": module.pk}),
        reverse("api:proposal_detail", kwargs={"proposal_id": proposal.pk}),
    ]
    for address in addresses:
        with no_writes(ignore=SESSION):
            assert client.get(address).status_code == 200, address
    proposal.refresh_from_db()
    assert proposal.retained_at is None


@pytest.fixture
def demo(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = str(tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        load_demo()
        prepare()
    return Filler()


@pytest.mark.parametrize("who", ["anonymous", "karim@example.org", "camille@example.org"])
def test_no_public_get_of_the_demo_writes(client, demo, who):
    if who != "anonymous":
        client.force_login(User.objects.get(email=who))
    written = {}
    for route, name in walk(get_resolver().url_patterns):
        path = demo.fill(route, name) if name not in SKIP_NAMES else None
        if path is None or path.startswith("/gestion/"):
            continue
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        found = writes(captured.captured_queries, ignore=SESSION)
        if found:
            written[path] = found
    assert written == {}
