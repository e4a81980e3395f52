"""Journeys of a jury drawn by lot: an administrator sets the quotas, publishes the commitment, enters the seed and
draws; a visitor downloads the published files and re-runs the draw with ``manage.py jury_draw`` and gets the same
panel; a volunteer registers on a phone and sees their draw number. axe-core on every page."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from participe.modules.juries import services
from participe.modules.juries.models import Draw
from participe.modules.juries.tests.factories import JuryModuleFactory
from participe.modules.juries.tests.test_services import POOL
from tests.browser.helpers import assert_accessible, log_in
from tests.factories import SpaceFactory, UserFactory, make_org_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def jury(transactional_db: Any) -> Any:
    admin = make_org_admin(email="admin@lumerac.example")
    space = SpaceFactory(title="Jury citoyen mobilités", slug="jury-citoyen-mobilites")
    module = JuryModuleFactory(space=space, title="Jury citoyen mobilités", slug="jury")
    return module, admin


def test_an_admin_sets_quotas_commits_and_draws_then_a_visitor_redoes_the_draw(
    new_context: Any, server: str, jury: Any, tmp_path: Path
) -> None:
    module, admin = jury
    page = new_context().new_page()
    log_in(page, server, admin.email, totp=True)
    page.goto(server + f"/gestion/m/juries/{module.pk}/")
    assert_accessible(page)
    page.get_by_label("Nombre de membres").fill("9")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("Le jury est enregistré.")
    page.get_by_label("Question posée aux volontaires").fill("Genre")
    page.get_by_label("Réponses et quotas, une par ligne").fill("Femme ; 4\nHomme ; 3 ; 5")
    page.get_by_role("button", name="Ajouter la caractéristique").click()
    expect(page).to_have_title(re.compile(r"^Erreur :"))  # line 1 has no maximum: what was typed stays
    expect(page.get_by_label("Réponses et quotas, une par ligne")).to_have_value("Femme ; 4\nHomme ; 3 ; 5")
    assert_accessible(page)
    page.get_by_label("Réponses et quotas, une par ligne").fill("Femme ; 4 ; 6\nHomme ; 3 ; 5")
    page.get_by_role("button", name="Ajouter la caractéristique").click()
    expect(page.get_by_role("status")).to_contain_text("La caractéristique et ses quotas sont enregistrés.")
    page.get_by_label("Question posée aux volontaires").fill("Âge")
    page.get_by_label("Réponses et quotas, une par ligne").fill("Jeune ; 33,3 %\nAdulte ; 2 ; 4\nSenior ; 2 ; 4")
    page.get_by_role("button", name="Ajouter la caractéristique").click()
    expect(page.get_by_role("status")).to_contain_text("La caractéristique et ses quotas sont enregistrés.")
    services.pool_import(actor=admin, module=module, text=POOL, confirm=True)  # the import page has its own tests

    page.goto(server + f"/gestion/m/juries/{module.pk}/")
    page.get_by_label("Source publique de hasard").fill("Loto FDJ : les 5 numéros et le numéro chance")
    page.get_by_role("button", name="Publier l'engagement").click()
    expect(page.get_by_role("status")).to_contain_text("Engagement publié")
    assert_accessible(page)
    page.get_by_label("Graine : le résultat de la source publique").fill("4 douze")
    page.get_by_role("button", name="Tirer au sort").click()
    expect(page).to_have_title(re.compile(r"^Erreur :"))
    page.get_by_label("Graine : le résultat de la source publique").fill("4 12 23 35 47 / 8")
    page.get_by_role("button", name="Tirer au sort").click()
    expect(page.get_by_role("status")).to_contain_text("Tirage effectué : 9 personnes invitées.")
    assert_accessible(page)
    draw = Draw.objects.get()

    visitor = new_context().new_page()
    visitor.goto(server + module.get_absolute_url())
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Jury citoyen mobilités")
    expect(visitor.get_by_text(draw.commitment_sha256)).to_be_visible()
    published = visitor.locator(".jury-result").inner_text().split()
    assert published == draw.result
    assert_accessible(visitor)
    visitor.get_by_text("Refaire ce tirage soi-même").click()
    command = visitor.locator("pre code").inner_text()
    assert '--size 9 --seed "4 12 23 35 47 / 8"' in command
    for name, link in (("categories.csv", "quotas (CSV)"), ("respondents.csv", "volontaires anonymisés (CSV)")):
        with visitor.expect_download() as download:
            visitor.get_by_role("link", name=link).click()
        download.value.save_as(tmp_path / name)
    out = io.StringIO()
    call_command(
        "jury_draw",
        categories=str(tmp_path / "categories.csv"),
        respondents=str(tmp_path / "respondents.csv"),
        size=9,
        seed="4 12 23 35 47 / 8",
        stdout=out,
    )
    assert out.getvalue().splitlines()[:-1] == published


@pytest.mark.parametrize("page", ["mobile"], indirect=True)
def test_a_resident_volunteers_on_a_phone_and_sees_their_number(page: Any, server: str, jury: Any) -> None:
    module, admin = jury
    services.feature_save(actor=admin, module=module, label="Genre", values="Femme ; 4 ; 6\nHomme ; 3 ; 5")
    resident = UserFactory(email="camille@example.org")
    log_in(page, server, resident.email)
    page.goto(server + module.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("link", name="Je me porte volontaire").click()
    page.get_by_label("Femme").check()
    page.get_by_role("button", name="M'inscrire").click()
    expect(page).to_have_title(re.compile("volontaire"))  # the declaration is required; the answer stays checked
    expect(page.get_by_label("Femme")).to_be_checked()
    assert_accessible(page)
    page.get_by_label("J'habite le territoire de la collectivité et j'ai 16 ans ou plus.").check()
    page.get_by_role("button", name="M'inscrire").click()
    expect(page.get_by_role("status")).to_contain_text("Vous êtes inscrit·e parmi les volontaires")
    expect(page.get_by_text("Votre numéro de tirage : V0001.")).to_be_visible()
    assert_accessible(page)


@pytest.fixture
def members_space(jury: Any) -> Any:
    """The jury drawn, Camille among the members who accepted, the members' space open with a document and three
    sessions (two past, the first with its minutes; one to come)."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from participe.attachments.services import attachment_add
    from participe.modules.juries.models import Volunteer
    from participe.modules.meetings import services as meetings
    from participe.spaces.models import Module

    module, admin = jury
    services.panel_configure(actor=admin, module=module, size=9, registration_open=False, presentation="")
    services.feature_save(actor=admin, module=module, label="Genre", values="Femme ; 4 ; 6\nHomme ; 3 ; 5")
    services.feature_save(
        actor=admin, module=module, label="Âge", values="Jeune ; 33,3 %\nAdulte ; 2 ; 4\nSenior ; 2 ; 4"
    )
    services.pool_import(actor=admin, module=module, text=POOL, confirm=True)
    draw = services.draw_commit(actor=admin, module=module, source="Loto", source_date=timezone.localdate())
    services.draw_run(actor=admin, draw=draw, seed="4 12 23 35 47 / 8")
    member = UserFactory(email="camille@example.org")
    first = Volunteer.objects.filter(drawn_in=draw).order_by("reference").first()
    assert first is not None
    first.user = member
    first.save()
    services.invitation_answer(token=first.invitation_token, accept=True)
    room = services.members_space_open(actor=admin, module=module, welcome="Bienvenue dans l'espace du jury.")
    pdf = SimpleUploadedFile("dossier.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    attachment_add(actor=admin, target=room, uploaded_file=pdf, title="Dossier des membres")
    agenda = Module.objects.get(space=room.module.space, module_type="meetings")
    for title, days in (("Séance 1 : s'informer", -30), ("Séance 2 : auditionner", -10), ("Séance 3 : délibérer", 9)):
        start = timezone.now() + datetime.timedelta(days=days)
        data = {
            "title": title,
            "kind": "atelier",
            "format": "presentiel",
            "start": start,
            "end": start + datetime.timedelta(hours=6),
            "place_name": "Salle du conseil",
            "address": "1 place de l'Hôtel de Ville, 51100 Lumerac",
        }
        meeting = meetings.meeting_save(actor=admin, module=agenda, data=data)
        if days == -30:
            meetings.minutes_save(
                actor=admin, meeting=meeting, minutes="<p>Audition des services de la voirie.</p>", attendees_count=9
            )
    return module, room, member


@pytest.mark.parametrize("page", ["mobile"], indirect=True)
def test_a_member_reads_a_document_posts_and_sees_the_next_session_on_a_phone(
    page: Any, server: str, members_space: Any, new_context: Any
) -> None:
    module, room, member = members_space
    log_in(page, server, member.email)
    page.goto(server + module.get_absolute_url())
    sessions = page.get_by_role("region", name="Les séances du jury")
    expect(sessions).to_contain_text("Séance 3 : délibérer")
    assert_accessible(page)
    page.get_by_role("link", name="Aller à l'espace des membres").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Documents et discussion")
    next_session = page.get_by_role("region", name="Prochaine séance")
    expect(next_session).to_contain_text("Séance 3 : délibérer")
    expect(next_session).to_contain_text("Salle du conseil")
    assert_accessible(page)

    document = page.get_by_role("link", name=re.compile("^Dossier des membres"))
    response = page.request.get(server + str(document.get_attribute("href")))
    assert response.status == 200 and response.body().startswith(b"%PDF")

    discussion = page.get_by_role("region", name=re.compile(r"^Commentaires"))
    discussion.get_by_label("neutre", exact=True).check()
    discussion.get_by_label(re.compile(r"^Votre commentaire")).fill("Pourra-t-on entendre la métropole sur les bus ?")
    discussion.get_by_role("button", name="Publier mon commentaire").click()
    expect(page.get_by_role("status").filter(has_text="Votre commentaire est publié.")).to_have_count(1)
    expect(discussion).to_contain_text("Pourra-t-on entendre la métropole sur les bus ?")
    assert_accessible(page)

    # Someone who is not a member is told why, on the page and for the space's calendar feed.
    outsider = new_context().new_page()
    log_in(outsider, server, UserFactory(email="karim@example.org").email)
    outsider.goto(server + room.get_absolute_url())
    expect(outsider.get_by_role("main")).to_contain_text("Cette démarche est réservée à ses membres.")
    assert_accessible(outsider)
    feed = outsider.request.get(server + f"/agenda/demarches/{room.module.space.slug}.ics")
    assert feed.status == 403 and "membres" in feed.text()
    outsider.goto(server + module.get_absolute_url())
    expect(outsider.get_by_role("region", name="Les séances du jury")).to_contain_text("Audition des services")
    expect(outsider.get_by_role("link", name="Aller à l'espace des membres")).to_have_count(0)
