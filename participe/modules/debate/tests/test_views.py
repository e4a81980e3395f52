"""Public pages (module page, subject page) and back-office pages of a debate."""

from __future__ import annotations

import datetime
import html
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from participe.activity.models import AuditEntry
from participe.modules.debate.models import Subject
from participe.modules.debate.tests.factories import DebateModuleFactory, SubjectFactory
from participe.spaces.models import Space, SpaceMembership
from tests.factories import PhaseFactory, UserFactory, make_agent, make_org_admin, make_space_role

DAY = datetime.timedelta(days=1)

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def admin_client(client):
    client.force_login(make_org_admin(pseudonym="admin-mairie"))
    return client


# --- public pages ---------------------------------------------------------------------------------------------
def test_the_module_page_lists_the_published_questions_with_their_stances(client):
    module = DebateModuleFactory(title="Débat sur la place")
    SubjectFactory(
        module=module,
        title="Piétonniser la place ?",
        comments_count=4,
        comments_favorable_count=2,
        comments_neutral_count=1,
        comments_unfavorable_count=1,
    )
    SubjectFactory(module=module, title="Question en préparation", status=Subject.Status.DRAFT)
    response = client.get(module.get_absolute_url())
    assert response.status_code == 200
    page = text(response)
    assert "<h1>Débat sur la place</h1>" in page
    assert "Piétonniser la place ?" in page
    assert "2 avis favorables" in page and "(50 %)" in page and "1 avis neutre" in page and "1 avis défavorable" in page
    assert "4 commentaires" in page
    assert "Question en préparation" not in page
    assert "Le débat est ouvert" in page  # the running phase grants comments


def test_the_module_page_shows_drafts_and_the_manage_link_to_the_space_staff(admin_client):
    module = DebateModuleFactory()
    SubjectFactory(module=module, title="Question en préparation", status=Subject.Status.DRAFT)
    page = text(admin_client.get(module.get_absolute_url()))
    assert "Question en préparation" in page and "Brouillon" in page
    assert reverse("backoffice:debate:subjects", args=[module.pk]) in page


def test_the_module_page_costs_the_same_with_more_questions(client):
    module = DebateModuleFactory()
    SubjectFactory.create_batch(2, module=module)
    client.get(module.get_absolute_url())  # the first page of a site creates its organisation row
    with CaptureQueriesContext(connection) as few:
        client.get(module.get_absolute_url())
    SubjectFactory.create_batch(8, module=module)
    with CaptureQueriesContext(connection) as many:
        response = client.get(module.get_absolute_url())
    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_module_page_shows_the_calendar_of_the_debate(client):
    module = DebateModuleFactory()
    now = timezone.now()
    PhaseFactory(
        module=module, phase_type="synthese", name="Synthèse des avis", start=now + 40 * DAY, end=now + 70 * DAY
    )
    page = text(client.get(module.get_absolute_url()))
    assert "Calendrier du débat" in page and "Synthèse des avis" in page and "À venir" in page


def test_the_module_page_says_when_there_is_no_question(client):
    module = DebateModuleFactory()
    assert "Aucune question n'est encore publiée" in text(client.get(module.get_absolute_url()))


def test_the_subject_page_shows_the_presentation_and_the_stances(client):
    subject = SubjectFactory(
        title="Piétonniser la place ?", body="<h2>Contexte</h2><p>Le marché</p>", comments_unfavorable_count=3
    )
    SubjectFactory(module=subject.module, title="Planter des arbres ?")
    response = client.get(subject.get_absolute_url())
    assert response.status_code == 200
    page = text(response)
    assert "<h1>Piétonniser la place ?</h1>" in page
    assert "<h2>Contexte</h2><p>Le marché</p>" in page
    assert "Défavorable : <strong>3</strong> (100 %)" in page  # the comments section counts the stances
    assert "Question suivante : Planter des arbres ?" in page
    assert "Synthèse du débat" not in page


def test_the_subject_page_shows_the_synthesis_once_published(client):
    subject = SubjectFactory(synthesis="<p>Les habitants sont partagés.</p>")
    assert "Les habitants sont partagés" not in text(client.get(subject.get_absolute_url()))
    Subject.objects.filter(pk=subject.pk).update(synthesis_published_at=timezone.now())
    page = text(client.get(subject.get_absolute_url()))
    assert "Synthèse du débat" in page and "Les habitants sont partagés" in page


def test_a_draft_subject_is_not_found_by_the_public_but_shown_to_the_staff(client, admin_client):
    subject = SubjectFactory(status=Subject.Status.DRAFT)
    client.logout()
    assert client.get(subject.get_absolute_url()).status_code == 404
    admin_client.force_login(make_org_admin())
    page = text(admin_client.get(subject.get_absolute_url()))
    assert "Brouillon" in page and reverse("backoffice:debate:synthesis", args=[subject.pk]) in page


def test_a_subject_is_found_only_under_its_own_module(client):
    subject = SubjectFactory()
    other = DebateModuleFactory(space=subject.module.space)
    url = reverse(
        "spaces:debate:subject", kwargs={"slug": other.space.slug, "module_slug": other.slug, "pk": subject.pk}
    )
    assert client.get(url).status_code == 404


def test_a_subject_of_a_private_space_asks_visitors_to_sign_in(client):
    subject = SubjectFactory(module__space__visibility=Space.Visibility.PRIVATE)
    response = client.get(subject.get_absolute_url())
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(UserFactory())
    assert client.get(subject.get_absolute_url()).status_code == 403
    member = make_space_role(subject.module.space, SpaceMembership.Role.MEMBER)
    client.force_login(member)
    assert client.get(subject.get_absolute_url()).status_code == 200


# --- back-office ----------------------------------------------------------------------------------------------
def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (12, 12), "blue").save(buffer, format="PNG")
    return SimpleUploadedFile("place.png", buffer.getvalue(), content_type="image/png")


def test_the_module_edit_page_links_to_the_questions(admin_client):
    module = DebateModuleFactory()
    page = text(admin_client.get(reverse("backoffice:module_edit", args=[module.pk])))
    assert reverse("backoffice:debate:subjects", args=[module.pk]) in page
    assert "Gérer les questions et les synthèses" in page
    assert "Poser une nouvelle question" in page


def test_an_agent_lists_and_creates_questions(admin_client):
    module = DebateModuleFactory()
    SubjectFactory(module=module, title="Question existante", comments_count=7)
    page = text(admin_client.get(reverse("backoffice:debate:subjects", args=[module.pk])))
    assert "Question existante" in page and "publiée" in page
    url = reverse("backoffice:debate:subject_create", args=[module.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url,
        {
            "title": "Planter des arbres ?",
            "summary": "Vingt arbres",
            "body": "<p>Où ?</p>",
            "image": png(),
            "image_alt": "La place",
        },
    )
    subject = Subject.objects.get(title="Planter des arbres ?")
    assert response.status_code == 302 and response["Location"].endswith(f"#sujet-{subject.pk}")
    assert subject.status == Subject.Status.DRAFT and subject.image.name.startswith("debate/")
    assert subject.image_alt == "La place"


def test_a_form_with_errors_keeps_what_was_typed(admin_client):
    module = DebateModuleFactory()
    fake = SimpleUploadedFile("photo.png", b"pas une image", content_type="image/png")
    response = admin_client.post(
        reverse("backoffice:debate:subject_create", args=[module.pk]),
        {"title": "", "summary": "Mon résumé", "image": fake},
    )
    assert response.status_code == 200
    page = text(response)
    assert 'id="id_title-error"' in page and 'id="id_image-error"' in page
    assert "Mon résumé" in page
    assert not Subject.objects.exists()


def test_an_agent_edits_publishes_moves_and_deletes_a_question(admin_client):
    module = DebateModuleFactory()
    first = SubjectFactory(module=module, title="Première", position=0)
    second = SubjectFactory(module=module, title="Seconde", position=1, status=Subject.Status.DRAFT, published_at=None)
    response = admin_client.post(
        reverse("backoffice:debate:subject_edit", args=[first.pk]),
        {"title": "Première, reformulée", "summary": "", "body": "", "image_alt": ""},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.title == "Première, reformulée"

    admin_client.post(reverse("backoffice:debate:subject_status", args=[second.pk]), {"action": "publish"})
    second.refresh_from_db()
    assert second.is_published
    response = admin_client.post(
        reverse("backoffice:debate:subject_status", args=[second.pk]), {"action": "publish"}, follow=True
    )
    assert "Ce sujet est déjà publié." in text(response)
    admin_client.post(reverse("backoffice:debate:subject_status", args=[second.pk]), {"action": "unpublish"})
    second.refresh_from_db()
    assert not second.is_published

    admin_client.post(reverse("backoffice:debate:subject_move", args=[second.pk]), {"direction": "up"})
    assert list(Subject.objects.filter(module=module).values_list("title", flat=True)) == [
        "Seconde",
        "Première, reformulée",
    ]

    url = reverse("backoffice:debate:subject_delete", args=[first.pk])
    assert "sera supprimée définitivement" in text(admin_client.get(url))
    assert admin_client.post(url).status_code == 302
    assert not Subject.objects.filter(pk=first.pk).exists()
    assert AuditEntry.objects.filter(action="debate.subject_delete").exists()


def test_an_agent_writes_and_publishes_a_synthesis(admin_client):
    subject = SubjectFactory(comments_count=2, comments_favorable_count=2)
    url = reverse("backoffice:debate:synthesis", args=[subject.pk])
    page = text(admin_client.get(url))
    assert "2 commentaires publiés." in page and "2 avis favorables" in page
    admin_client.post(url, {"synthesis": "<p>Premier jet</p>", "action": "save"})
    subject.refresh_from_db()
    assert subject.synthesis == "<p>Premier jet</p>" and subject.synthesis_published_at is None
    response = admin_client.post(url, {"synthesis": "<p>Version finale</p>", "action": "publish"}, follow=True)
    assert "La synthèse est publiée" in text(response)
    subject.refresh_from_db()
    assert subject.synthesis == "<p>Version finale</p>" and subject.synthesis_is_published
    admin_client.post(url, {"synthesis": "", "action": "unpublish"})
    subject.refresh_from_db()
    assert not subject.synthesis_is_published and subject.synthesis == "<p>Version finale</p>"


def test_publishing_an_empty_synthesis_shows_the_error_next_to_the_field(admin_client):
    subject = SubjectFactory()
    response = admin_client.post(
        reverse("backoffice:debate:synthesis", args=[subject.pk]), {"synthesis": "", "action": "publish"}
    )
    assert response.status_code == 200
    assert 'id="id_synthesis-error"' in response.content.decode()
    assert "Rédigez la synthèse avant de la publier." in text(response)


def test_the_back_office_pages_are_for_the_space_staff(client):
    subject = SubjectFactory()
    module = subject.module
    urls = [
        reverse("backoffice:debate:subjects", args=[module.pk]),
        reverse("backoffice:debate:subject_create", args=[module.pk]),
        reverse("backoffice:debate:subject_edit", args=[subject.pk]),
        reverse("backoffice:debate:subject_delete", args=[subject.pk]),
        reverse("backoffice:debate:synthesis", args=[subject.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # to the login page
    client.force_login(make_agent())  # an agent who is not an administrator of this space
    for url in urls:
        assert client.get(url).status_code == 403
    assert (
        client.post(reverse("backoffice:debate:subject_status", args=[subject.pk]), {"action": "unpublish"}).status_code
        == 403
    )
    admin = make_space_role(module.space, SpaceMembership.Role.ADMIN)
    client.force_login(admin)
    for url in urls:
        assert client.get(url).status_code == 200


def test_the_back_office_refuses_a_module_of_another_type(admin_client):
    page_module = DebateModuleFactory(module_type="page")
    assert admin_client.get(reverse("backoffice:debate:subjects", args=[page_module.pk])).status_code == 404


def test_the_subject_page_only_answers_reads(client):
    subject = SubjectFactory()
    assert client.post(subject.get_absolute_url()).status_code == 405
