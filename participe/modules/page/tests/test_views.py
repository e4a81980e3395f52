"""The public page and the back-office form that writes it, with their refusals."""

from __future__ import annotations

import html

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.urls import reverse

from participe.modules.page.models import PageContent
from participe.modules.page.tests.factories import PageContentFactory, PageModuleFactory
from participe.modules.page.views import page_detail
from participe.spaces.models import Space, SpaceMembership
from tests.factories import UserFactory, make_agent, make_org_admin, make_space_role

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def edit_url(module) -> str:
    return reverse("backoffice:page:edit", kwargs={"module_pk": module.pk})


# --- the public page --------------------------------------------------------------------------------------------
def test_the_public_page_shows_the_text_under_its_title_and_phase(client):
    content = PageContentFactory(module__title="Le projet de la place")
    page = text(client.get(content.module.get_absolute_url()))
    assert "<h1>Le projet de la place</h1>" in page
    assert "<h2>Le projet</h2><p>La place du Marché sera réaménagée en 2026.</p>" in page
    assert "Information — jusqu'au" in page


def test_a_page_without_text_says_so(client):
    module = PageModuleFactory()
    assert "Cette page n'a pas encore de contenu." in text(client.get(module.get_absolute_url()))


def test_the_page_of_a_private_space_is_for_its_members(client):
    module = PageContentFactory(module__space__visibility=Space.Visibility.PRIVATE).module
    response = client.get(module.get_absolute_url())
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    client.force_login(UserFactory())
    assert client.get(module.get_absolute_url()).status_code == 403
    client.force_login(make_space_role(module.space, SpaceMembership.Role.MEMBER))
    assert "La place du Marché" in text(client.get(module.get_absolute_url()))


def test_an_unpublished_page_is_not_found(client):
    module = PageContentFactory(module__is_published=False).module
    assert client.get(module.get_absolute_url()).status_code == 404


# --- the back-office form -----------------------------------------------------------------------------------------
def test_the_space_administrator_writes_the_page_and_the_public_sees_it(client):
    module = PageContentFactory(body="<p>Ancien texte.</p>").module
    client.force_login(make_space_role(module.space, SpaceMembership.Role.ADMIN))
    form = text(client.get(edit_url(module)))
    assert f"Contenu de la page « {module.title} »" in form and "Ancien texte." in form
    response = client.post(edit_url(module), {"body": "<h2>Calendrier</h2><p>Atelier le 14 mars.</p>"})
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:module_edit", args=[module.pk])
    assert PageContent.objects.get(module=module).body == "<h2>Calendrier</h2><p>Atelier le 14 mars.</p>"
    assert "La page a été enregistrée." in text(client.get(response["Location"]))
    client.logout()
    assert "<h2>Calendrier</h2><p>Atelier le 14 mars.</p>" in text(client.get(module.get_absolute_url()))


def test_visitors_are_sent_to_the_login_page(client):
    module = PageModuleFactory()
    response = client.get(edit_url(module))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("who", ["resident", "moderator", "agent", "admin_elsewhere"])
def test_people_who_do_not_run_the_space_are_refused(client, who):
    content = PageContentFactory(body="<p>Le texte.</p>")
    space = content.module.space
    user = {
        "resident": UserFactory,
        "moderator": lambda: make_space_role(space, SpaceMembership.Role.MODERATOR),
        "agent": make_agent,
        "admin_elsewhere": lambda: make_space_role(PageModuleFactory().space, SpaceMembership.Role.ADMIN),
    }[who]()
    client.force_login(user)
    assert client.get(edit_url(content.module)).status_code == 403
    assert client.post(edit_url(content.module), {"body": "<p>Piraté.</p>"}).status_code == 403
    content.refresh_from_db()
    assert content.body == "<p>Le texte.</p>"


def test_another_kind_of_module_has_no_page_to_write(client):
    client.force_login(make_org_admin())
    other = PageModuleFactory(module_type="debate")
    assert client.get(edit_url(other)).status_code == 404


def test_the_view_asks_its_own_permission_wherever_it_is_mounted(rf):
    request = rf.get("/")
    request.user = AnonymousUser()
    with pytest.raises(Http404):
        page_detail(request, PageModuleFactory(is_published=False))
