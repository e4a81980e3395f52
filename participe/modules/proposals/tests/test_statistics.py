"""The manifest's ``statistics``: labelled figures, shown in the back-office module page and the API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from participe.core.registry import statistics_of
from participe.modules.proposals.models import Proposal
from participe.modules.proposals.tests.factories import ProposalFactory, ProposalModuleFactory
from tests.factories import UserFactory, make_org_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def module():
    module = ProposalModuleFactory()
    author = UserFactory()
    ProposalFactory(module=module, author=author, supports_count=3)
    ProposalFactory(module=module, author=author, comments_count=2)
    ProposalFactory(module=module, author=UserFactory())
    ProposalFactory(module=module, status=Proposal.Status.DRAFT)
    return module


def test_contributions_are_the_published_proposals_and_participants_their_authors(module):
    figures = {figure.key: figure.value for figure in statistics_of(module)}
    assert figures["contributions"] == 3 and figures["participants"] == 2
    assert figures["supports"] == 3 and figures["comments"] == 2
    assert [figure.key for figure in statistics_of(module)][:2] == ["contributions", "participants"]


def test_the_api_gives_the_figures_of_a_module_a_visitor_sees(client, module):
    figures = client.get(f"/api/v1/modules/{module.pk}/statistics").json()
    assert figures[0] == {"key": "contributions", "label": "Propositions publiées", "value": 3}
    module.is_published = False
    module.save()
    assert client.get(f"/api/v1/modules/{module.pk}/statistics").status_code == 404


def test_the_backoffice_module_page_shows_them(client, module):
    client.force_login(make_org_admin())
    page = client.get(reverse("backoffice:module_edit", args=[module.pk])).content.decode()
    assert "Chiffres" in page and '<th scope="row">Propositions publiées</th><td>3</td>' in page
