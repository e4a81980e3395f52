"""The shared services show nothing of a proposal its reader may not see: the files and the comments of a draft
or of a proposal hidden by moderation follow ``proposals.view_proposal`` (the resource's ``view_permission``)."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from participe.attachments import services as attachments
from participe.attachments.tests.factories import pdf_bytes, upload
from participe.core.models import ModerationStatus
from participe.modules.proposals.models import Proposal
from participe.modules.proposals.tests.factories import ProposalFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def attach(proposal: Proposal):
    return attachments.attachment_add(
        actor=proposal.author, target=proposal, uploaded_file=upload("plan.pdf", pdf_bytes()), title="Plan"
    )


def test_the_file_of_a_draft_is_its_authors_only(client):
    draft = ProposalFactory(status=Proposal.Status.DRAFT)
    document = attach(draft)
    response = client.get(f"/pieces-jointes/{document.pk}/")
    assert response.status_code == 302  # a visitor may be its author: the login page, then back here
    assert response["Location"] == f"{reverse('account_login')}?next=/pieces-jointes/{document.pk}/"
    client.force_login(UserFactory())
    assert client.get(f"/pieces-jointes/{document.pk}/").status_code == 404
    client.force_login(draft.author)
    assert client.get(f"/pieces-jointes/{document.pk}/").status_code == 200


def test_the_file_of_a_published_proposal_is_public(client):
    document = attach(ProposalFactory())
    response = client.get(f"/pieces-jointes/{document.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "public, max-age=3600"  # anyone may read it: shared caches may keep it


def test_the_comments_of_a_hidden_proposal_are_not_shown(client):
    proposal = ProposalFactory()
    content_type = ContentType.objects.get_for_model(Proposal)
    url = f"/commentaires/{content_type.pk}/{proposal.pk}/"
    api = f"/api/v1/comments/{content_type.pk}/{proposal.pk}"
    assert client.get(url).status_code == 200
    assert client.get(api).status_code == 200
    Proposal.objects.filter(pk=proposal.pk).update(moderation_status=ModerationStatus.HIDDEN)
    assert client.get(url).status_code == 404
    assert client.get(api).status_code == 404
    client.force_login(proposal.author)
    assert client.get(url).status_code == 200
