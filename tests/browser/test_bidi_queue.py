"""Issue #19, finding 8, in a browser: a title written with U+202E (RIGHT-TO-LEFT OVERRIDE) no longer reverses a
line of the moderation queue, and a pseudonym saved with one before the fix is isolated from its neighbours."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from participe.accounts.models import User
from participe.moderation.services import report_create
from participe.modules.proposals.models import Proposal
from participe.modules.proposals.tests.factories import ProposalFactory, ProposalModuleFactory
from tests.browser.helpers import assert_accessible, log_in
from tests.factories import UserFactory, make_org_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RLO = "\u202e"


def test_a_reversed_title_reads_right_in_the_moderation_queue(page: Any, server: str) -> None:
    module = ProposalModuleFactory(title="Boîte à idées")
    author = UserFactory(pseudonym="auteur-du-quartier")
    resident = UserFactory(email="lea.martin@example.org", pseudonym="lea-martin")
    log_in(page, server, resident.email)
    page.goto(
        server + reverse("spaces:proposals:create", kwargs={"slug": module.space.slug, "module_slug": module.slug})
    )
    page.get_by_label(re.compile(r"^Titre de votre proposition( \*)?$")).fill(
        f"{RLO}ertnec-ertnec ud senilliT sed erèinirpéP"
    )
    page.get_by_label(re.compile(r"^Description( \*)?$")).fill("Une pépinière pour les habitants du centre.")
    page.get_by_role("button", name="Déposer la proposition").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ertnec-ertnec ud senilliT sed erèinirpéP")
    proposal = Proposal.objects.get(author=resident)
    assert proposal.title == "ertnec-ertnec ud senilliT sed erèinirpéP"  # the control is gone, the text is kept

    older = ProposalFactory(module=module, author=author, title="Ancienne", reference=99)
    Proposal.objects.filter(pk=older.pk).update(title=f"{RLO}enneicnA")  # saved before the fix
    User.objects.filter(pk=author.pk).update(pseudonym=f"{RLO}nimda")
    for target in (proposal, Proposal.objects.get(pk=older.pk)):
        report_create(actor=UserFactory(), target=target, reason="spam")

    admin = make_org_admin(email="admin@example.org", pseudonym="administratrice")
    staff = page.context.browser.new_context(locale="fr-FR").new_page()
    log_in(staff, server, admin.email, totp=True)
    staff.goto(server + "/gestion/moderation/")
    expect(staff.get_by_role("heading", level=1)).to_have_text("Modération")
    row = staff.get_by_role("row").filter(has_text="enneicnA")
    link = row.get_by_role("link").first
    expect(link).to_have_text("enneicnA")  # the copy of the title was cleaned when it was reported
    expect(link).to_have_attribute("dir", "auto")
    expect(row.locator("td bdi")).to_have_text(f"{RLO}nimda")  # isolated until strip_bidi_controls runs
    # Isolated, the override stays inside its own element: the columns that follow read left to right.
    assert staff.evaluate("getComputedStyle(document.querySelector('table.moderation-queue bdi')).unicodeBidi") in (
        "isolate",
        "-webkit-isolate",
    )
    assert_accessible(staff)
    staff.context.close()
