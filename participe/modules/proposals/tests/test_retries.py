"""Issue #19, finding 9: the proposal form sent twice (a retry after an error) files one proposal."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from participe.modules.proposals.models import Proposal
from participe.modules.proposals.tests.factories import ProposalModuleFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_proposal_form_sent_twice_files_one_proposal(client):
    module = ProposalModuleFactory()
    client.force_login(UserFactory())
    url = reverse("spaces:proposals:create", kwargs={"slug": module.space.slug, "module_slug": module.slug})
    token = re.search(r'name="jeton" value="([^"]+)"', client.get(url).content.decode())
    assert token, "the form carries a one-time token"
    data = {
        "title": "Des bancs à l'ombre place du Marché",
        "body": "<p>Les personnes âgées n'ont nulle part où s'asseoir l'été.</p>",
        "action": "publish",
        "jeton": token.group(1),
    }
    first = client.post(url, data)
    again = client.post(url, data)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == Proposal.objects.get().get_absolute_url()
    assert client.post(url, {**data, "jeton": "un-autre-jeton-0123456789"}).status_code == 302
    assert Proposal.objects.count() == 2
