"""Organisation-wide modules (decision 0010): turned on by an administrator, served at their own address, never
listed with the démarches; and the lifecycle hooks a manifest declares (deletion, phase changes)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from participe.permissions.refusals import Refused
from participe.spaces import selectors, services
from participe.spaces.lifecycle import advance_phases
from participe.spaces.models import ORGANISATION_SPACE_SLUG, Module, Phase, Space
from participe.spaces.urls import module_reverse
from tests.factories import ModuleFactory, PhaseFactory, SpaceFactory, UserFactory, make_agent, make_org_admin
from tests.orgapp import hooks

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def admin():
    return make_org_admin()


@pytest.fixture(autouse=True)
def _forget_calls():
    hooks.calls.clear()


def enable(admin):
    return services.organisation_module_enable(actor=admin, module_type="testservice")


def test_turning_one_on_creates_the_permanent_space_and_the_module_in_its_permanent_phase(admin):
    module = enable(admin)
    space = module.space
    assert space.kind == Space.Kind.ORGANISATION and space.slug == ORGANISATION_SPACE_SLUG
    assert space.is_published and space.is_public
    assert module.slug == "service-test" and module.title == "Service de test"
    phase = module.phases.get()
    assert phase.phase_type == "ouvert" and phase.is_active() and phase.end.year == 2100
    assert module.get_absolute_url() == "/service-test/"


def test_turning_it_on_twice_keeps_one_module(admin):
    assert enable(admin) == enable(admin)
    assert Module.objects.filter(module_type="testservice").count() == 1
    assert Space.objects.filter(kind=Space.Kind.ORGANISATION).count() == 1


def test_only_an_organisation_administrator_turns_one_on():
    with pytest.raises(Refused):
        services.organisation_module_enable(actor=UserFactory(), module_type="testservice")
    assert not Module.objects.filter(module_type="testservice").exists()


def test_a_module_type_of_the_demarches_is_not_a_permanent_service(admin):
    with pytest.raises(Exception, match="service permanent"):
        services.organisation_module_enable(actor=admin, module_type="testmodule")


def test_it_is_served_at_its_own_address_with_its_own_pages(client, admin):
    module = enable(admin)
    page = client.get("/service-test/")
    assert page.status_code == 200 and "Service de test" in page.content.decode()
    own = client.get("/service-test/element/7/")
    assert own.status_code == 200
    assert own.content.decode() == f"{ORGANISATION_SPACE_SLUG}/service-test/7 /service-test/element/7/"
    assert module_reverse(module, "item", pk=7) == "/service-test/element/7/"
    in_a_space = ModuleFactory(module_type="debate")
    expected = f"/demarches/{in_a_space.space.slug}/{in_a_space.slug}/"
    assert module_reverse(in_a_space, "subject", pk=1).startswith(expected)


def test_it_is_not_served_before_it_is_turned_on(client):
    assert client.get("/service-test/").status_code == 404


def test_the_header_and_the_home_page_lead_to_it_but_the_demarches_lists_do_not_show_its_space(client, admin):
    enable(admin)
    home = client.get("/").content.decode()
    assert home.count('href="/service-test/"') == 2  # the header's menu and the home page's call to action
    assert "Signaler un test" in home
    listing = client.get("/demarches/").content.decode()
    assert ORGANISATION_SPACE_SLUG not in listing
    assert not selectors.filter_spaces(Space.objects.all()).filter(kind=Space.Kind.ORGANISATION).exists()
    assert all(p.module.space.kind != Space.Kind.ORGANISATION for p in selectors.open_phases(None))
    assert all(p.module.space.kind != Space.Kind.ORGANISATION for p in selectors.next_deadlines(None))


def test_the_backoffice_lists_the_permanent_modules_and_turns_one_on(client, admin):
    client.force_login(admin)
    listing = client.get(reverse("backoffice:permanent_modules"))
    assert listing.status_code == 200 and "/service-test/" in listing.content.decode()
    response = client.post(reverse("backoffice:permanent_module_enable", args=["testservice"]))
    module = Module.objects.get(module_type="testservice")
    assert response.status_code == 302 and response["Location"] == reverse("backoffice:module_edit", args=[module.pk])


def test_an_agent_may_not_turn_one_on(client):
    client.force_login(make_agent())
    assert client.get(reverse("backoffice:permanent_modules")).status_code == 403
    assert client.post(reverse("backoffice:permanent_module_enable", args=["testservice"])).status_code == 403
    assert not Module.objects.filter(module_type="testservice").exists()


# --- lifecycle hooks -------------------------------------------------------------------------------------------
def test_deleting_the_module_runs_its_before_delete_hook(admin):
    module = enable(admin)
    pk = module.pk
    services.module_delete(actor=admin, module=module)
    assert hooks.calls[-1] == ("before_delete", pk)


def test_deleting_a_space_runs_the_hook_of_each_of_its_modules(admin):
    space = SpaceFactory()
    pk = ModuleFactory(space=space, module_type="testservice", slug="x").pk
    services.space_delete(actor=admin, space=space)
    assert ("before_delete", pk) in hooks.calls


def test_an_agent_editing_the_phases_runs_the_phase_changed_hook_after_commit(
    admin, django_capture_on_commit_callbacks
):
    module = ModuleFactory(module_type="testservice", slug="x")
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        services.phase_save(
            actor=admin,
            phase=Phase(module=module),
            data={"phase_type": "ouvert", "name": "Ouvert", "start": now - DAY, "end": now + DAY},
        )
    assert hooks.calls == [("phase_changed", module.pk, None, "ouvert")]
    module.refresh_from_db()
    assert module.observed_phase == "ouvert"


def test_time_passing_a_phase_end_runs_the_hook_once(django_capture_on_commit_callbacks):
    module = ModuleFactory(module_type="testservice", slug="x")
    now = timezone.now()
    PhaseFactory(module=module, phase_type="ouvert", start=now - 2 * DAY, end=now - DAY)
    Module.objects.filter(pk=module.pk).update(observed_phase="ouvert")
    with django_capture_on_commit_callbacks(execute=True):
        assert advance_phases(now) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert advance_phases(now) == 0  # observed now: nothing more to do
    assert hooks.calls == [("phase_changed", module.pk, "ouvert", None)]


def test_advancing_reads_only_the_modules_whose_phase_changed(django_assert_max_num_queries):
    now = timezone.now()
    for _ in range(5):
        module = ModuleFactory(module_type="testservice")
        PhaseFactory(module=module, phase_type="ouvert", start=now - DAY, end=now + DAY)
        Module.objects.filter(pk=module.pk).update(observed_phase="ouvert")
    with django_assert_max_num_queries(1):
        assert advance_phases(now) == 0
