"""Issue #19, finding 8: a U+202E (or any bidirectional control) in a title or a pseudonym is stripped where it is
saved, and pages isolate what people wrote (``dir="auto"``, ``<bdi>``) so that it cannot reorder the moderation
queue, the lists and the cards."""

from __future__ import annotations

import pytest
from django.urls import reverse

from participe.accounts.forms import ProfileForm
from participe.moderation.services import report_create
from participe.modules.proposals.models import Proposal
from participe.modules.proposals.services import proposals as services
from participe.modules.proposals.tests.factories import ProposalFactory, ProposalModuleFactory
from tests.factories import UserFactory, make_org_admin

pytestmark = pytest.mark.django_db

RLO, LRI, PDI = "\u202e", "\u2066", "\u2069"


def test_a_proposal_title_is_saved_without_bidi_controls():
    module = ProposalModuleFactory()
    proposal = services.proposal_create(
        actor=UserFactory(),
        module=module,
        data={"title": f"{RLO}seuqnab sed{LRI} place du Marché{PDI}", "body": "<p>Des bancs à l'ombre, l'été.</p>"},
        publish=True,
    )
    assert proposal.title == "seuqnab sed place du Marché"


def test_a_pseudonym_is_saved_without_bidi_controls_and_cannot_imitate_another():
    UserFactory(pseudonym="admin")
    user = UserFactory()
    form = ProfileForm(data={"pseudonym": f"{RLO}nimda", "email_frequency": "never"}, instance=user)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["pseudonym"] == "nimda"
    clash = ProfileForm(data={"pseudonym": f"ad{RLO}min", "email_frequency": "never"}, instance=user)
    assert not clash.is_valid()
    assert "pseudonyme est déjà pris" in str(clash.errors["pseudonym"])


def test_the_moderation_queue_shows_a_title_saved_before_without_its_controls_and_isolated(client):
    proposal = ProposalFactory()
    Proposal.objects.filter(pk=proposal.pk).update(title=f"{RLO}erèinrad al ed noisrev")  # saved before the fix
    author = proposal.author
    type(author).objects.filter(pk=author.pk).update(pseudonym=f"{RLO}nimda")
    report_create(actor=UserFactory(), target=Proposal.objects.get(pk=proposal.pk), reason="spam")
    client.force_login(make_org_admin())
    page = client.get(reverse("moderation_backoffice:queue")).content.decode()
    assert "erèinrad al ed noisrev" in page
    assert RLO not in page.split("<bdi>")[0]  # the case's title was cleaned when it was copied
    assert 'dir="auto">erèinrad al ed noisrev' in page
    assert f"<bdi>{RLO}nimda</bdi>" in page  # a pseudonym saved before is isolated until the command cleans it


def test_the_cards_isolate_the_titles(client):
    proposal = ProposalFactory(title="Un titre")
    page = client.get(proposal.module.get_absolute_url()).content.decode()
    assert f'href="{proposal.get_absolute_url()}" dir="auto">Un titre' in page
