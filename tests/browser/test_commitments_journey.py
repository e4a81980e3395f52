"""Journey of the commitments (« droit de suite »): a resident follows a commitment from its public page; the agent of
the service in charge adds a step in the back-office (a mistake pointed out and kept, then a photo, a new status and
progress); the resident finds it in their notifications and on the commitment's timeline. A visitor filters the
« Suivi des engagements » page (with and without JavaScript) and opens a démarche's list (the bilan's journey is
tests/browser/test_bilan_journey.py). axe on every page."""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from participe.commitments.models import Commitment
from participe.commitments.tests.factories import CommitmentFactory, CommitmentUpdateFactory
from tests.browser.helpers import assert_accessible, log_in
from tests.factories import ServiceFactory, SpaceFactory, TerritoryFactory, UserFactory, with_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def label(text: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(text)}( \*)?$")


def _png() -> dict[str, Any]:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, "PNG")
    return {"name": "fosses.png", "mimeType": "image/png", "buffer": buffer.getvalue()}


def test_the_agent_adds_a_step_and_the_follower_is_told(new_context: Callable[..., Any], server: str) -> None:
    service = ServiceFactory(name="Espaces verts")
    agent = with_totp(UserFactory(email="agent.verts@example.org", pseudonym="agent-verts"))
    service.members.add(agent)
    resident = UserFactory(email="habitante@example.org", pseudonym="habitante")
    space = SpaceFactory(title="Réaménagement de la place du Marché", slug="place-du-marche")
    commitment = CommitmentFactory(
        space=space,
        title="Planter vingt arbres sur la place",
        service=service,
        status="in_progress",
        progress=20,
        planned_date=timezone.localdate() + datetime.timedelta(days=90),
    )

    # The resident follows the commitment from its public page.
    page = new_context().new_page()
    log_in(page, server, resident.email)
    page.goto(server + commitment.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Planter vingt arbres sur la place")
    assert_accessible(page)
    page.get_by_role("button", name="Suivre").click()
    expect(page.get_by_role("button", name="Suivre")).to_have_attribute("aria-pressed", "true")

    # The agent of the service in charge adds a step.
    agent_page = new_context().new_page()
    log_in(agent_page, server, agent.email, totp=True)
    agent_page.goto(server + reverse("commitments_backoffice:index"))
    assert_accessible(agent_page)
    agent_page.get_by_role("link", name="Planter vingt arbres sur la place").click()
    expect(agent_page.get_by_role("heading", level=1)).to_have_text("Planter vingt arbres sur la place")
    assert_accessible(agent_page)
    form = agent_page.get_by_role("region", name="Ajouter une étape")
    form.get_by_label(label("Ce qui a avancé")).fill("Les fosses de plantation sont creusées.")
    form.get_by_label(label("Nouveau statut")).select_option(label="abandonné")
    form.get_by_role("button", name="Publier l'étape").click()
    expect(agent_page.get_by_role("alert")).to_contain_text("Motif de l'abandon")
    form = agent_page.get_by_role("region", name="Ajouter une étape")
    expect(form.get_by_label(label("Ce qui a avancé"))).to_have_value("Les fosses de plantation sont creusées.")
    assert_accessible(agent_page)
    form.get_by_label(label("Nouveau statut")).select_option(label="en travaux")
    form.get_by_label(label("Avancement (%)")).fill("45")
    form.get_by_label(label("Photo")).set_input_files(_png())
    form.get_by_label(label("Texte alternatif de la photo")).fill("Trois fosses creusées au sud de la place")
    form.get_by_role("button", name="Publier l'étape").click()
    expect(agent_page.get_by_role("status").first).to_contain_text("L'étape est ajoutée")
    expect(agent_page.get_by_role("region", name="Les étapes")).to_contain_text("Les fosses de plantation")
    assert_accessible(agent_page)
    commitment.refresh_from_db()
    assert (commitment.status, commitment.progress) == ("works", 45)

    # The follower is told, and reads the step with its photo.
    page.goto(server + reverse("notifications:list"))
    main = page.get_by_role("main")
    expect(main).to_contain_text("Planter vingt arbres sur la place")
    expect(main).to_contain_text("Les fosses de plantation sont creusées.")
    assert_accessible(page)
    page.goto(server + commitment.get_absolute_url())
    timeline = page.get_by_role("region", name="Les étapes")
    expect(timeline).to_contain_text("En travaux")
    expect(timeline.get_by_role("img", name="Trois fosses creusées au sud de la place")).to_be_visible()
    assert_accessible(page)


def check(page: Any, javascript: bool) -> None:
    """axe-core needs JavaScript: the same pages are checked by the run with JavaScript."""
    if javascript:
        assert_accessible(page)


def _follow_up_data() -> None:
    centre = TerritoryFactory(name="Centre-ville", slug="centre-ville")
    voirie = ServiceFactory(name="Voirie")
    place = SpaceFactory(title="Réaménagement de la place du Marché", slug="place-du-marche")
    velo = SpaceFactory(title="Plan vélo", slug="plan-velo")
    today = timezone.localdate()
    late = CommitmentFactory(
        space=place,
        title="Reconstruire la halle",
        service=voirie,
        territory=centre,
        planned_date=today - datetime.timedelta(days=15),
        status="works",
        progress=40,
    )
    CommitmentUpdateFactory(commitment=late, text="Le permis de construire est déposé.")
    CommitmentFactory(space=place, title="Piétonniser le samedi", status="in_progress", progress=60,
                      planned_date=today + datetime.timedelta(days=30))  # fmt: skip
    CommitmentFactory(space=velo, title="Une piste cyclable gare-collège", status="done", progress=100)
    Commitment.objects.filter(title="Une piste cyclable gare-collège").update(done_on=today)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_a_visitor_filters_the_follow_up(new_context: Callable[..., Any], server: str, javascript: bool) -> None:
    _follow_up_data()
    page = new_context(java_script_enabled=javascript).new_page()
    page.goto(server + reverse("commitments:follow_up"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Suivi des engagements")
    overview = page.get_by_role("region", name="Où en sont ces engagements")
    expect(overview).to_contain_text("3 engagements")
    expect(overview).to_contain_text("1 en retard")
    check(page, javascript)

    filters = page.get_by_role("group", name="Filtrer les engagements")
    filters.get_by_label(label("En retard seulement")).check()
    if not javascript:
        filters.get_by_role("button", name="Filtrer").click()
    results = page.get_by_role("region", name="Les engagements")
    expect(results.get_by_role("link", name="Reconstruire la halle")).to_be_visible()
    expect(results.get_by_role("link", name="Piétonniser le samedi")).to_have_count(0)
    expect(page.get_by_role("region", name="Où en sont ces engagements")).to_contain_text("1 engagement")
    expect(results).to_contain_text("en retard")
    assert "retard=on" in page.url
    check(page, javascript)

    filters = page.get_by_role("group", name="Filtrer les engagements")
    filters.get_by_label(label("En retard seulement")).uncheck()
    filters.get_by_label(label("Démarche")).select_option(label="Plan vélo")
    filters.get_by_role("button", name="Filtrer").click()
    results = page.get_by_role("region", name="Les engagements")
    expect(results.get_by_role("link", name="Une piste cyclable gare-collège")).to_be_visible()
    expect(results.get_by_role("link", name="Reconstruire la halle")).to_have_count(0)

    page.goto(server + reverse("commitments:space", args=["place-du-marche"]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Réaménagement de la place du Marché")
    check(page, javascript)
    page.get_by_role("link", name="Reconstruire la halle").click()
    expect(page.get_by_role("region", name="Les étapes")).to_contain_text("Le permis de construire est déposé.")
    check(page, javascript)
