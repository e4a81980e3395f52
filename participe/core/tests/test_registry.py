"""The module registry and the system checks that validate manifests at start-up."""

from __future__ import annotations

import dataclasses
from unittest import mock

import pytest
from django.core import checks

from participe.core.capabilities import Cap
from participe.core.checks import check_module_registry, check_offers, check_platform_rules
from participe.core.registry import (
    Blueprint,
    BlueprintPhase,
    Export,
    Hooks,
    ModuleManifest,
    Offer,
    PhaseType,
    Registry,
    Resource,
    registry,
    resource_flags,
)


def make_manifest(**overrides: object) -> ModuleManifest:
    values: dict[str, object] = {
        "key": "essai",
        "name": "Essai",
        "description": "Un module pour les tests.",
        "icon": "flask",
        "app_label": "testapp",  # an installed app (the checks look for its files)
        "personal_data": "tests.testapp.personal_data.personal_data",  # its Item points to accounts
        "phase_types": (
            PhaseType(key="collect", name="Collecte", capabilities=frozenset({Cap.VIEW, Cap.SUBMIT})),
            PhaseType(key="vote", name="Vote", capabilities=frozenset({Cap.VIEW, Cap.VOTE})),
        ),
        "blueprints": (
            Blueprint(
                key="standard",
                name="Standard",
                phases=(BlueprintPhase("collect", "Collecte"), BlueprintPhase("vote", "Vote")),
            ),
        ),
    }
    values.update(overrides)
    return ModuleManifest(**values)  # type: ignore[arg-type]


def run_checks_on(*manifests: ModuleManifest) -> list[checks.CheckMessage]:
    isolated = Registry()
    for manifest in manifests:
        isolated.register(manifest)
    with mock.patch("participe.core.checks.registry", isolated):
        return check_module_registry()


def error_ids(messages: list[checks.CheckMessage]) -> list[str]:
    return sorted(m.id for m in messages)


def test_it_discovers_the_page_module_at_start_up():
    manifest = registry["page"]
    assert manifest.key == "page"
    assert "page" in registry
    assert ("page", manifest.name) in registry.choices()


def test_it_finds_no_error_in_the_registered_modules():
    assert check_module_registry() == []


def test_it_registers_the_registry_check_with_the_system_checks():
    assert check_module_registry in checks.registry.registry.get_checks()


def test_it_accepts_a_well_formed_manifest():
    assert run_checks_on(make_manifest()) == []


def test_it_reports_a_module_key_declared_twice():
    messages = run_checks_on(make_manifest(), make_manifest())
    assert error_ids(messages) == ["participe.E001"]
    assert "'essai'" in messages[0].msg


def test_it_does_not_count_the_same_manifest_registered_twice_as_a_duplicate():
    isolated = Registry()
    manifest = make_manifest()
    isolated.register(manifest)
    isolated.register(manifest)
    assert isolated.duplicates == []


def test_it_reports_a_key_that_is_not_an_identifier():
    assert error_ids(run_checks_on(make_manifest(key="mon-module"))) == ["participe.E002"]


def test_it_reports_a_module_without_phase_types():
    assert "participe.E003" in error_ids(run_checks_on(make_manifest(phase_types=(), blueprints=())))


def test_it_reports_phase_type_keys_declared_twice():
    phase = PhaseType(key="collect", name="Collecte", capabilities=frozenset({Cap.VIEW}))
    assert error_ids(run_checks_on(make_manifest(phase_types=(phase, phase), blueprints=()))) == ["participe.E004"]


def test_it_reports_a_phase_granting_an_unknown_capability():
    phase = PhaseType(key="collect", name="Collecte", capabilities=frozenset({"teleport"}))  # type: ignore[arg-type]
    assert error_ids(run_checks_on(make_manifest(phase_types=(phase,), blueprints=()))) == ["participe.E005"]


def test_it_reports_a_blueprint_using_an_unknown_phase_type():
    blueprint = Blueprint(
        key="bad", name="Mauvais", phases=(BlueprintPhase("collect", "Collecte"), BlueprintPhase("ballot", "Scrutin"))
    )
    messages = run_checks_on(make_manifest(blueprints=(blueprint,)))
    assert error_ids(messages) == ["participe.E006"]
    assert "ballot" in messages[0].msg
    assert messages[0].obj == "module essai"


def test_it_reports_a_missing_template():
    messages = run_checks_on(make_manifest(templates=("page/page_detail.html", "essai/absent.html")))
    assert error_ids(messages) == ["participe.E007"]
    assert "essai/absent.html" in messages[0].msg


@pytest.mark.parametrize(
    "field, path",
    [
        ("urls", "participe.modules.absent.urls"),
        ("backoffice_urls", "participe.nowhere"),
        ("api_router", "participe.modules.page.api.router"),
        ("detail_view", "participe.modules.page.views.no_such_view"),
        ("seeds", "no.such.module.seed"),
    ],
)
def test_it_reports_an_unimportable_dotted_path(field, path):
    messages = run_checks_on(make_manifest(**{field: path}))
    assert error_ids(messages) == ["participe.E008"]
    assert path in messages[0].msg


def test_it_accepts_importable_dotted_paths():
    manifest = make_manifest(
        backoffice_urls="participe.modules.page.backoffice.urls",
        detail_view="participe.modules.page.views.page_detail",
        seeds="participe.modules.page.seeds.seed",
    )
    assert run_checks_on(manifest) == []


def test_it_unregisters_a_manifest():
    isolated = Registry()
    isolated.register(make_manifest())
    isolated.register(make_manifest())
    isolated.unregister("essai")
    assert "essai" not in isolated
    assert isolated.duplicates == []
    isolated.unregister("essai")  # unknown keys are ignored


def test_it_lists_manifests_sorted_by_key():
    isolated = Registry()
    isolated.register(make_manifest(key="zeta"))
    isolated.register(make_manifest(key="alpha"))
    assert [m.key for m in isolated.all()] == ["alpha", "zeta"]


def test_it_looks_up_phase_types_and_blueprints():
    manifest = make_manifest()
    assert manifest.phase_type("vote").capabilities == frozenset({Cap.VIEW, Cap.VOTE})
    assert manifest.phase_type("absent") is None
    assert manifest.blueprint("standard").phases[0].phase_type == "collect"
    assert manifest.blueprint("absent") is None


def test_it_takes_default_settings_from_the_settings_form():
    assert registry["page"].default_settings() == {"show_in_timeline": True}
    assert make_manifest().default_settings() == {}


def test_it_finds_the_flags_a_module_declares_for_a_model():
    from django.contrib.auth.models import Group

    resource = Resource(model="auth.Group", commentable=True)
    manifest = dataclasses.replace(make_manifest(key="essai_flags"), resources=(resource,))
    registry.register(manifest)
    try:
        assert resource_flags(Group) == resource
        assert resource_flags(Group()).commentable is True
    finally:
        registry.unregister("essai_flags")
    assert resource_flags(Group) is None


def test_it_reports_a_manifest_whose_app_is_not_installed():
    assert error_ids(run_checks_on(make_manifest(app_label="absente"))) == ["participe.E009"]


def test_it_reports_a_rules_module_the_manifest_does_not_name():
    manifest = make_manifest(key="debate", app_label="debate")  # participe/modules/debate/rules.py exists
    assert error_ids(run_checks_on(manifest)) == ["participe.E010"]
    assert error_ids(run_checks_on(dataclasses.replace(manifest, rules="participe.modules.debate.rules"))) == []


def test_a_module_whose_models_point_to_accounts_declares_its_personal_data():
    """« Mes données » reads every module through its manifest (decision 0035): one holding data about people and
    declaring no ``personal_data`` would be left out of the person's archive without anyone noticing."""
    messages = run_checks_on(make_manifest(personal_data=None))
    assert error_ids(messages) == ["participe.E023"]
    assert "testapp.Item.author" in messages[0].msg
    assert error_ids(run_checks_on(make_manifest(personal_data="participe.nowhere.data"))) == ["participe.E008"]
    page = make_manifest(key="page_essai", app_label="page", rules="participe.modules.page.rules", personal_data=None)
    assert error_ids(run_checks_on(page)) == []


def test_it_checks_the_paths_of_hooks_exports_statistics_and_offers():
    broken = make_manifest(
        statistics="participe.nowhere.statistics",
        hooks=Hooks(before_delete="participe.nowhere.before"),
        exports=(Export("x", "X", ("csv",), open_data=True, stream="participe.nowhere.stream"),),
    )
    assert error_ids(run_checks_on(broken)) == ["participe.E008"] * 3


def test_an_organisation_wide_module_needs_a_free_path_and_a_permanent_phase():
    assert error_ids(run_checks_on(make_manifest(scope="partout"))) == ["participe.E011"]
    assert error_ids(run_checks_on(make_manifest(scope="organisation"))) == ["participe.E012"]
    taken = make_manifest(scope="organisation", organisation_path="demarches", permanent_phase="collect")
    assert error_ids(run_checks_on(taken)) == ["participe.E014"]
    no_phase = make_manifest(scope="organisation", organisation_path="essai-libre")
    assert set(error_ids(run_checks_on(no_phase))) == {"participe.E013", "participe.E014"}  # not served either


def test_an_offer_names_a_resource_of_its_module():
    offer = Offer(kind="idea", name="Idées", resource="testapp.Nothing", items="participe.modules.page.seeds.seed")
    messages = check_offers([make_manifest(offers=(offer,))])
    assert error_ids(messages) == ["participe.E015"]


def test_every_platform_rules_module_is_imported_at_start_up():
    assert check_platform_rules() == []


def test_two_modules_may_not_share_a_route():
    """Their pages share the ``/demarches/<space>/<module>/`` prefix: the first matching route would win."""
    from participe.core.checks import check_module_routes

    first = make_manifest(key="premier", urls="tests.orgapp.urls")
    second = make_manifest(key="second", urls="tests.orgapp.urls")
    isolated = Registry()
    isolated.register(first)
    with mock.patch("participe.core.checks.registry", isolated):
        assert check_module_routes() == []
        isolated.register(second)
        messages = check_module_routes()
    assert error_ids(messages) == ["participe.E018"] and "element/<int>/" in messages[0].msg
