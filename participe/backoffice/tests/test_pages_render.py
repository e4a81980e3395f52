"""Every back-office page renders for an organisation admin, with the side navigation."""

import pytest
from django.urls import reverse

from participe.activity.models import AuditEntry
from participe.activity.services import audit
from participe.spaces.models import NewsPost, SpaceDocument, SpaceMembership
from participe.verifications.models import EligibilityRule
from tests.factories import (
    PhaseFactory,
    ServiceFactory,
    TerritoryFactory,
    ThemeFactory,
    UserFactory,
    VerificationFactory,
)


@pytest.fixture
def world(admin):
    phase = PhaseFactory()
    module = phase.module
    space = module.space
    membership = SpaceMembership.objects.create(space=space, user=admin, role=SpaceMembership.Role.ADMIN)
    resident = UserFactory(managed_by=admin)
    verification = VerificationFactory(user=resident)
    return {
        "space": space,
        "module": module,
        "phase": phase,
        "membership": membership,
        "territory": TerritoryFactory(),
        "theme": ThemeFactory(),
        "service": ServiceFactory(),
        "resident": resident,
        "verification": verification,
        "rule": EligibilityRule.objects.create(module=module, action="view"),
        "post": NewsPost.objects.create(space=space, title="Réunion publique", body="<p>Venez</p>"),
        "document": SpaceDocument.objects.create(space=space, title="Compte rendu", file="documents/cr.pdf"),
        "entry": audit(actor=admin, action="space.update", target=space, before={"title": "A"}, after={"title": "B"}),
    }


def page_urls(w):
    pk = lambda name: w[name].pk  # noqa: E731
    return [
        reverse("backoffice:dashboard"),
        reverse("backoffice:organisation"),
        reverse("backoffice:territories"),
        reverse("backoffice:territory_create"),
        reverse("backoffice:territory_edit", args=[pk("territory")]),
        reverse("backoffice:territory_delete", args=[pk("territory")]),
        reverse("backoffice:themes"),
        reverse("backoffice:theme_create"),
        reverse("backoffice:theme_edit", args=[pk("theme")]),
        reverse("backoffice:theme_delete", args=[pk("theme")]),
        reverse("backoffice:departments"),
        reverse("backoffice:department_create"),
        reverse("backoffice:department_edit", args=[pk("service")]) + "?q=habitant",
        reverse("backoffice:department_delete", args=[pk("service")]),
        reverse("backoffice:spaces"),
        reverse("backoffice:spaces") + "?statut=published&type=process",
        reverse("backoffice:space_create"),
        reverse("backoffice:space_detail", args=[pk("space")]),
        reverse("backoffice:space_edit", args=[pk("space")]),
        reverse("backoffice:space_delete", args=[pk("space")]),
        reverse("backoffice:module_edit", args=[pk("module")]),
        reverse("backoffice:module_delete", args=[pk("module")]),
        reverse("backoffice:phase_create", args=[pk("module")]),
        reverse("backoffice:phase_edit", args=[pk("phase")]),
        reverse("backoffice:phase_delete", args=[pk("phase")]),
        reverse("backoffice:rule_create", args=[pk("module")]),
        reverse("backoffice:rule_edit", args=[pk("rule")]),
        reverse("backoffice:rule_delete", args=[pk("rule")]),
        reverse("backoffice:members", args=[pk("space")]) + "?q=habitant",
        reverse("backoffice:documents", args=[pk("space")]),
        reverse("backoffice:document_delete", args=[pk("document")]),
        reverse("backoffice:news", args=[pk("space")]),
        reverse("backoffice:news_create", args=[pk("space")]),
        reverse("backoffice:news_edit", args=[pk("post")]),
        reverse("backoffice:news_delete", args=[pk("post")]),
        reverse("backoffice:users"),
        reverse("backoffice:users") + "?q=habitant&admins=1",
        reverse("backoffice:user_detail", args=[pk("resident")]),
        reverse("backoffice:census"),
        reverse("backoffice:counter"),
        reverse("backoffice:counter") + "?q=habitant",
        reverse("backoffice:counter_verify", args=[pk("resident")]),
        reverse("backoffice:verification_revoke", args=[pk("verification")]),
        reverse("backoffice:managed_accounts"),
        reverse("backoffice:managed_create"),
        reverse("backoffice:audit"),
        reverse("backoffice:audit") + "?auteur=admin&action=space&du=2020-01-01&au=2099-01-01",
        reverse("backoffice:audit_detail", args=[pk("entry")]),
        reverse("backoffice:page:edit", kwargs={"module_pk": pk("module")}),
    ]


@pytest.mark.django_db
def test_it_renders_every_page_for_an_org_admin(admin_client, world):
    for url in page_urls(world):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert 'aria-label="Menu du back-office"' in html, url
        assert ' style="' not in html and "<script>" not in html, url


@pytest.mark.django_db
def test_it_refuses_every_page_to_a_non_staff_user(client, world):
    client.force_login(UserFactory())
    for url in page_urls(world):
        assert client.get(url).status_code == 403, url


@pytest.mark.django_db
def test_it_sends_anonymous_visitors_to_the_login_page(client, world):
    for url in page_urls(world):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url


def post_only_urls(w):
    pk = lambda name: w[name].pk  # noqa: E731
    return [
        reverse("backoffice:acting_stop"),
        reverse("backoffice:theme_move", args=[pk("theme")]),
        reverse("backoffice:department_member_add", args=[pk("service")]),
        reverse("backoffice:department_member_remove", args=[pk("service"), pk("resident")]),
        reverse("backoffice:space_status", args=[pk("space")]),
        reverse("backoffice:module_create", args=[pk("space")]),
        reverse("backoffice:module_settings", args=[pk("module")]),
        reverse("backoffice:member_add", args=[pk("space")]),
        reverse("backoffice:member_remove", args=[pk("membership")]),
        reverse("backoffice:user_org_admin", args=[pk("resident")]),
        reverse("backoffice:acting_start", args=[pk("resident")]),
    ]


@pytest.mark.django_db
def test_it_refuses_every_action_to_a_non_staff_user_and_asks_visitors_to_log_in(client, world):
    for url in post_only_urls(world) + page_urls(world):
        assert client.post(url).status_code == 302, url
    client.force_login(UserFactory())
    for url in post_only_urls(world) + page_urls(world):
        assert client.post(url).status_code == 403, url
    assert not AuditEntry.objects.exclude(pk=world["entry"].pk).exists()
