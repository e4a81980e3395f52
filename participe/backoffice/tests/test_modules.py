"""Modules of a space, their settings, phases and eligibility rules in the back-office."""

import pytest
from django.urls import reverse

from participe.activity.models import AuditEntry
from participe.spaces.models import Module, Phase
from participe.verifications.models import EligibilityRule
from tests.factories import ModuleFactory, PhaseFactory, SpaceFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


def phase_data(**overrides):
    data = {
        "phase_type": "information",
        "name": "Concertation",
        "description": "",
        "start": "2030-03-01T09:00",
        "end": "2030-04-01T18:00",
    }
    return data | overrides


def test_a_module_is_added_from_a_blueprint(admin_client, admin):
    space = SpaceFactory(status="draft")
    data = {
        "module_type": "page",
        "title": "Présentation",
        "description": "",
        "blueprint": "page/information",
        "start": "2030-01-01T00:00",
    }
    response = admin_client.post(reverse("backoffice:module_create", args=[space.pk]), data)
    module = Module.objects.get(space=space)
    assert response["Location"] == reverse("backoffice:module_edit", args=[module.pk])
    assert list(module.phases.values_list("phase_type", flat=True)) == ["information", "restitution"]
    assert AuditEntry.objects.filter(action="module.create", actor=admin).exists()


def test_a_blueprint_of_another_type_is_refused_with_the_title_kept(admin_client):
    space = SpaceFactory()
    data = {"module_type": "page", "title": "Présentation", "description": "", "blueprint": "autre/modele", "start": ""}
    response = admin_client.post(reverse("backoffice:module_create", args=[space.pk]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Présentation"' in html
    assert 'id="id_blueprint-error"' in html
    assert not Module.objects.exists()


def test_the_module_page_links_to_the_modules_own_pages(admin_client):
    module = ModuleFactory()
    html = admin_client.get(reverse("backoffice:module_edit", args=[module.pk])).content.decode()
    page_url = reverse("backoffice:page:edit", kwargs={"module_pk": module.pk})
    assert f'href="{page_url}"' in html
    response = admin_client.post(page_url, {"body": "<p>Bonjour</p>"})
    assert response["Location"] == reverse("backoffice:module_edit", args=[module.pk])
    # The back-office (a platform app) never imports a module: the page's own audit entry tells it was saved.
    assert AuditEntry.objects.get(action="page.update", target_id=str(module.pk)).after == {"body": "<p>Bonjour</p>"}


def test_a_module_is_renamed_and_unpublished(admin_client):
    module = ModuleFactory(title="Ancien titre")
    data = {"title": "Nouveau titre", "slug": module.slug, "description": "", "position": "2"}
    assert admin_client.post(reverse("backoffice:module_edit", args=[module.pk]), data).status_code == 302
    module.refresh_from_db()
    assert (module.title, module.position, module.is_published) == ("Nouveau titre", 2, False)
    entry = AuditEntry.objects.get(action="module.update")
    assert entry.before["title"] == "Ancien titre" and entry.after["title"] == "Nouveau titre"


def test_a_duplicate_module_slug_is_refused(admin_client):
    module = ModuleFactory(slug="presentation")
    other = ModuleFactory(space=module.space, slug="calendrier", title="Calendrier")
    data = {
        "title": "Calendrier tapé",
        "slug": "presentation",
        "description": "",
        "position": "0",
        "is_published": "on",
    }
    response = admin_client.post(reverse("backoffice:module_edit", args=[other.pk]), data)
    assert response.status_code == 200
    assert 'value="Calendrier tapé"' in response.content.decode()
    other.refresh_from_db()
    assert other.slug == "calendrier"


def test_the_module_settings_are_stored_as_json(admin_client):
    module = ModuleFactory(settings={"show_in_timeline": True})
    response = admin_client.post(reverse("backoffice:module_settings", args=[module.pk]), {})
    assert response.status_code == 302
    module.refresh_from_db()
    assert module.settings == {"show_in_timeline": False}
    assert AuditEntry.objects.filter(action="module.settings").exists()


def test_a_phase_is_added_with_its_own_settings(admin_client, admin):
    module = ModuleFactory()
    data = phase_data(custom_settings="on")
    response = admin_client.post(reverse("backoffice:phase_create", args=[module.pk]), data)
    assert response["Location"] == reverse("backoffice:module_edit", args=[module.pk])
    phase = Phase.objects.get(module=module)
    assert phase.name == "Concertation" and phase.settings_overrides == {"show_in_timeline": False}
    assert AuditEntry.objects.filter(action="phase.create", actor=admin).exists()


def test_a_phase_ending_before_it_starts_is_refused_with_the_input_kept(admin_client):
    module = ModuleFactory()
    response = admin_client.post(
        reverse("backoffice:phase_create", args=[module.pk]), phase_data(end="2030-02-01T18:00")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "La fin de l&#x27;étape doit suivre son début." in html
    assert 'value="Concertation"' in html and 'value="2030-02-01T18:00"' in html
    assert not Phase.objects.exists()


def test_overlapping_phases_are_refused(admin_client):
    phase = PhaseFactory()
    start = phase.start.strftime("%Y-%m-%dT%H:%M")
    response = admin_client.post(reverse("backoffice:phase_create", args=[phase.module.pk]), phase_data(start=start))
    assert "chevauche" in response.content.decode()


def test_a_phase_is_edited_and_deleted(admin_client):
    phase = PhaseFactory(name="Avant")
    assert (
        admin_client.post(reverse("backoffice:phase_edit", args=[phase.pk]), phase_data(name="Après")).status_code
        == 302
    )
    assert AuditEntry.objects.get(action="phase.update").after["name"] == "Après"
    admin_client.post(reverse("backoffice:phase_delete", args=[phase.pk]))
    assert not Phase.objects.exists()


def test_an_eligibility_rule_is_created_edited_and_deleted(admin_client, admin):
    module = ModuleFactory()
    territory = TerritoryFactory()
    data = {
        "action": "view",
        "require_verification": "on",
        "handlers": ["census", "counter"],
        "territories": [territory.pk],
        "min_age": "16",
        "max_age": "",
    }
    response = admin_client.post(reverse("backoffice:rule_create", args=[module.pk]), data)
    assert response.status_code == 302
    rule = EligibilityRule.objects.get(module=module)
    assert rule.handlers == ["census", "counter"] and rule.min_age == 16 and list(rule.territories.all()) == [territory]
    assert AuditEntry.objects.get(action="eligibility.create").after["min_age"] == 16
    page = admin_client.get(reverse("backoffice:module_edit", args=[module.pk])).content.decode()
    assert "avoir au moins 16 ans" in page
    admin_client.post(reverse("backoffice:rule_edit", args=[rule.pk]), data | {"min_age": "18"})
    rule.refresh_from_db()
    assert rule.min_age == 18
    admin_client.post(reverse("backoffice:rule_delete", args=[rule.pk]))
    assert not EligibilityRule.objects.exists()
    assert AuditEntry.objects.filter(action="eligibility.delete").exists()


def test_an_age_range_upside_down_is_refused(admin_client):
    module = ModuleFactory()
    data = {"action": "view", "require_verification": "on", "min_age": "30", "max_age": "18"}
    response = admin_client.post(reverse("backoffice:rule_create", args=[module.pk]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "L&#x27;âge maximum doit être supérieur ou égal à l&#x27;âge minimum." in html
    assert 'value="30"' in html
    assert not EligibilityRule.objects.exists()


def test_a_second_rule_for_the_same_action_is_refused(admin_client):
    module = ModuleFactory()
    EligibilityRule.objects.create(module=module, action="view")
    response = admin_client.post(
        reverse("backoffice:rule_create", args=[module.pk]), {"action": "view", "min_age": "12"}
    )
    assert "Une règle existe déjà pour cette action" in response.content.decode()
    assert EligibilityRule.objects.count() == 1


def test_an_action_the_module_does_not_grant_is_refused(admin_client):
    module = ModuleFactory()
    response = admin_client.post(reverse("backoffice:rule_create", args=[module.pk]), {"action": "vote"})
    assert response.status_code == 200
    assert not EligibilityRule.objects.exists()


def test_a_module_is_deleted_after_confirmation(admin_client):
    module = ModuleFactory()
    response = admin_client.post(reverse("backoffice:module_delete", args=[module.pk]))
    assert response["Location"] == reverse("backoffice:space_detail", args=[module.space.pk])
    assert not Module.objects.exists()
    assert AuditEntry.objects.filter(action="module.delete").exists()


def test_the_menu_and_the_dashboard_lead_to_the_modules_back_office_homes(admin_client):
    html = admin_client.get("/gestion/").content.decode()
    assert html.count('href="/gestion/m/proposals/"') == 2  # the menu and the shortcuts
    page = admin_client.get("/gestion/m/proposals/").content.decode()
    assert 'href="/gestion/m/proposals/" aria-current="page"' in page
