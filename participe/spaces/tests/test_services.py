"""Writes on spaces, modules, phases, members, documents and news: validated, and each one audited."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from participe.accounts.services import account_delete
from participe.activity.models import AuditEntry
from participe.core.registry import registry
from participe.spaces import hooks, services
from participe.spaces.models import Module, NewsPost, Phase, Space, SpaceMembership
from tests.factories import (
    ItemFactory,
    ModuleFactory,
    PhaseFactory,
    SpaceFactory,
    TerritoryFactory,
    ThemeFactory,
    UserFactory,
    make_org_admin,
    make_space_role,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def actor():
    return make_org_admin()


def last_entry(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).latest("pk")


def test_it_creates_a_draft_space_whose_creator_is_admin(actor):
    territory, theme = TerritoryFactory(), ThemeFactory()
    space = services.space_create(
        actor=actor,
        data={
            "title": "Budget participatif 2026",
            "summary": "Vos projets",
            "territories": [territory],
            "themes": [theme],
        },
    )
    assert space.status == Space.Status.DRAFT
    assert space.slug == "budget-participatif-2026"
    assert space.created_by == actor
    assert list(space.territories.all()) == [territory]
    assert SpaceMembership.objects.filter(space=space, user=actor, role=SpaceMembership.Role.ADMIN).exists()
    entry = last_entry("space.create")
    assert entry.actor == actor
    assert entry.before is None
    assert entry.after["title"] == "Budget participatif 2026"
    assert entry.after["status"] == "draft"
    assert entry.after["territories"] == [territory.pk]


def test_it_gives_each_space_its_own_slug(actor):
    first = services.space_create(actor=actor, data={"title": "Parc", "summary": "."})
    second = services.space_create(actor=actor, data={"title": "Parc", "summary": "."})
    assert (first.slug, second.slug) == ("parc", "parc-2")


def test_it_refuses_an_end_date_before_the_start_date(actor):
    with pytest.raises(ValidationError) as excinfo:
        services.space_create(
            actor=actor,
            data={
                "title": "T",
                "summary": "S",
                "start_date": datetime.date(2026, 5, 2),
                "end_date": datetime.date(2026, 5, 1),
            },
        )
    assert excinfo.value.message_dict["end_date"] == ["La date de fin doit suivre la date de début."]
    assert not Space.objects.exists()
    assert not AuditEntry.objects.exists()


def test_it_sanitises_the_description(actor):
    space = services.space_create(
        actor=actor, data={"title": "T", "summary": "S", "description": "<p>ok</p><script>x()</script>"}
    )
    space.refresh_from_db()
    assert space.description == "<p>ok</p>"


def test_it_updates_a_space_and_records_before_and_after(actor):
    space = SpaceFactory(title="Ancien titre")
    theme = ThemeFactory()
    space.title = "Changé par un formulaire"  # a bound ModelForm changes the instance before the service runs
    services.space_update(actor=actor, space=space, data={"title": "Nouveau titre", "themes": [theme]})
    entry = last_entry("space.update")
    assert entry.before["title"] == "Ancien titre"
    assert entry.after["title"] == "Nouveau titre"
    assert (entry.before["themes"], entry.after["themes"]) == ([], [theme.pk])
    assert entry.changes() == [("themes", [], [theme.pk]), ("title", "Ancien titre", "Nouveau titre")]


def test_it_refuses_to_publish_a_space_without_modules(actor):
    space = SpaceFactory(status=Space.Status.DRAFT)
    with pytest.raises(ValidationError) as excinfo:
        services.space_set_status(actor=actor, space=space, status=Space.Status.PUBLISHED)
    assert excinfo.value.messages == ["Ajoutez au moins un module avant de publier cet espace."]
    space.refresh_from_db()
    assert space.status == Space.Status.DRAFT


def test_it_publishes_a_space_with_a_module_and_dates_the_publication(actor):
    space = SpaceFactory(status=Space.Status.DRAFT, published_at=None)
    ModuleFactory(space=space)
    services.space_set_status(actor=actor, space=space, status=Space.Status.PUBLISHED)
    space.refresh_from_db()
    assert space.status == Space.Status.PUBLISHED
    assert space.published_at is not None
    entry = last_entry("space.published")
    assert (entry.before, entry.after) == ({"status": "draft"}, {"status": "published"})
    first_publication = space.published_at
    services.space_set_status(actor=actor, space=space, status=Space.Status.ARCHIVED)
    services.space_set_status(actor=actor, space=space, status=Space.Status.PUBLISHED)
    space.refresh_from_db()
    assert space.published_at == first_publication


def test_it_refuses_an_unknown_status(actor):
    with pytest.raises(ValidationError):
        services.space_set_status(actor=actor, space=SpaceFactory(), status="hidden")


def test_it_creates_a_module_with_default_settings(actor):
    space = SpaceFactory()
    module = services.module_create(actor=actor, space=space, module_type="page", title="Présentation")
    assert module.settings == {"show_in_timeline": True}
    assert module.slug == "presentation"
    assert module.position == 0
    assert not module.phases.exists()
    assert services.module_create(actor=actor, space=space, module_type="page", title="Présentation").position == 1
    entry = last_entry("module.create")
    assert entry.after["module_type"] == "page"
    assert entry.after["blueprint"] is None


def test_it_creates_consecutive_phases_from_a_blueprint(actor):
    start = NOW + 2 * DAY
    module = services.module_create(
        actor=actor, space=SpaceFactory(), module_type="page", title="Information", blueprint="information", start=start
    )
    phases = list(module.phases.order_by("start"))
    assert [(p.phase_type, p.name) for p in phases] == [("information", "Information"), ("restitution", "Restitution")]
    assert phases[0].start == start
    assert phases[0].end == start + 30 * DAY
    assert phases[1].start == phases[0].end  # no gap, no overlap
    assert phases[1].end == phases[1].start + 60 * DAY
    assert last_entry("module.create").after["blueprint"] == "information"


@pytest.mark.parametrize(
    "kwargs, field",
    [({"module_type": "absent"}, "module_type"), ({"module_type": "page", "blueprint": "absent"}, "blueprint")],
)
def test_it_refuses_an_unknown_module_type_or_blueprint(actor, kwargs, field):
    space = SpaceFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.module_create(actor=actor, space=space, title="X", **kwargs)
    assert field in excinfo.value.message_dict
    assert not Module.objects.exists()  # nothing half-created


def phase_data(start_days: int, end_days: int, phase_type: str = "information") -> dict:
    return {"phase_type": phase_type, "name": "Étape", "start": NOW + start_days * DAY, "end": NOW + end_days * DAY}


def test_it_creates_and_updates_a_phase_with_audit(actor):
    module = ModuleFactory()
    phase = services.phase_save(actor=actor, phase=Phase(module=module), data=phase_data(0, 10))
    entry = last_entry("phase.create")
    assert entry.before is None
    assert entry.after["phase_type"] == "information"
    services.phase_save(actor=actor, phase=phase, data={"name": "Renommée"})
    entry = last_entry("phase.update")
    assert (entry.before["name"], entry.after["name"]) == ("Étape", "Renommée")


@pytest.mark.parametrize(
    "start, end",
    [(5, 15), (-5, 5), (2, 8), (-1, 11), (0, 10)],
    ids=["overlaps-end", "overlaps-start", "inside", "around", "same"],
)
def test_it_refuses_overlapping_phases(actor, start, end):
    module = ModuleFactory()
    services.phase_save(actor=actor, phase=Phase(module=module), data=phase_data(0, 10))
    with pytest.raises(ValidationError) as excinfo:
        services.phase_save(actor=actor, phase=Phase(module=module), data=phase_data(start, end, "restitution"))
    assert "Cette étape chevauche une autre étape du même module." in excinfo.value.messages
    assert module.phases.count() == 1


def test_it_accepts_a_phase_starting_when_the_previous_one_ends(actor):
    module = ModuleFactory()
    services.phase_save(actor=actor, phase=Phase(module=module), data=phase_data(0, 10))
    services.phase_save(actor=actor, phase=Phase(module=module), data=phase_data(10, 20, "restitution"))
    assert module.phases.count() == 2


def test_it_lets_a_phase_be_moved_within_its_own_window(actor):
    module = ModuleFactory()
    phase = services.phase_save(actor=actor, phase=Phase(module=module), data=phase_data(0, 10))
    services.phase_save(actor=actor, phase=phase, data={"start": NOW + 1 * DAY})
    phase.refresh_from_db()
    assert phase.start == NOW + 1 * DAY


def test_it_allows_overlapping_phases_in_different_modules(actor):
    space = SpaceFactory()
    services.phase_save(actor=actor, phase=Phase(module=ModuleFactory(space=space)), data=phase_data(0, 10))
    services.phase_save(actor=actor, phase=Phase(module=ModuleFactory(space=space)), data=phase_data(0, 10))


@pytest.mark.parametrize("start, end", [(10, 10), (10, 5)])
def test_it_refuses_a_phase_ending_before_it_starts(actor, start, end):
    with pytest.raises(ValidationError) as excinfo:
        services.phase_save(actor=actor, phase=Phase(module=ModuleFactory()), data=phase_data(start, end))
    assert excinfo.value.message_dict["end"] == ["La fin de l'étape doit suivre son début."]


def test_it_refuses_a_phase_type_the_module_does_not_have(actor):
    with pytest.raises(ValidationError) as excinfo:
        services.phase_save(actor=actor, phase=Phase(module=ModuleFactory()), data=phase_data(0, 10, "vote"))
    assert excinfo.value.message_dict["phase_type"] == ["Ce type d'étape n'existe pas pour ce module."]


def test_it_applies_settings_from_the_manifest_then_the_module_then_the_phase():
    module = ModuleFactory(settings={"colour": "bleu"})
    phase = PhaseFactory(module=module, settings_overrides={"show_in_timeline": False})
    assert module.effective_settings() == {"show_in_timeline": True, "colour": "bleu"}
    assert module.effective_settings(phase) == {"show_in_timeline": False, "colour": "bleu"}


def test_it_keeps_at_least_one_admin_in_a_space():
    space = SpaceFactory()
    admin = UserFactory()
    membership = services.membership_add(
        actor=make_org_admin(), space=space, user=admin, role=SpaceMembership.Role.ADMIN
    )
    with pytest.raises(ValidationError):
        services.membership_remove(actor=admin, membership=membership)
    # An organisation admin may leave a space without admin (to hand it over).
    services.membership_remove(actor=make_org_admin(), membership=membership)
    assert not space.memberships.exists()


def test_it_adds_a_member_once():
    space, user, actor = SpaceFactory(), UserFactory(), make_org_admin()
    services.membership_add(actor=actor, space=space, user=user, role="member")
    services.membership_add(actor=actor, space=space, user=user, role="member")
    assert space.memberships.count() == 1
    assert AuditEntry.objects.filter(action="role.grant").count() == 1


def test_it_refuses_a_document_whose_content_is_not_accepted(actor):
    with pytest.raises(ValidationError):
        services.document_add(
            actor=actor, space=SpaceFactory(), title="Virus", file=SimpleUploadedFile("a.pdf", b"MZ\x90\x00")
        )
    assert not AuditEntry.objects.exists()


PDF = b"%PDF-1.7\n%%EOF\n"


def _space_update(actor):
    space = SpaceFactory(title="Avant")
    services.space_update(actor=actor, space=space, data={"title": "Après"})


def _space_status(actor):
    space = SpaceFactory(status=Space.Status.PUBLISHED)
    services.space_set_status(actor=actor, space=space, status=Space.Status.ARCHIVED)


def _space_delete(actor):
    services.space_delete(actor=actor, space=SpaceFactory())


def _module_update(actor):
    module = ModuleFactory(title="Avant")
    module.title = "Changé en mémoire"
    services.module_update(actor=actor, module=module, data={"title": "Après"})


def _module_settings(actor):
    services.module_update_settings(actor=actor, module=ModuleFactory(settings={"a": 1}), settings={"a": 2})


def _module_delete(actor):
    services.module_delete(actor=actor, module=ModuleFactory())


def _phase_delete(actor):
    services.phase_delete(actor=actor, phase=PhaseFactory())


def _membership_remove(actor):
    space = SpaceFactory()
    membership = SpaceMembership.objects.create(space=space, user=UserFactory(), role="member")
    services.membership_remove(actor=actor, membership=membership)


def _document_add(actor):
    services.document_add(
        actor=actor, space=SpaceFactory(), title="Compte rendu", file=SimpleUploadedFile("cr.pdf", PDF)
    )


def _document_delete(actor):
    document = services.document_add(
        actor=actor, space=SpaceFactory(), title="Compte rendu", file=SimpleUploadedFile("cr.pdf", PDF)
    )
    AuditEntry.objects.all().delete()
    services.document_delete(actor=actor, document=document)


def _news_create(actor):
    services.news_save(
        actor=actor, post=NewsPost(space=SpaceFactory()), data={"title": "Réunion", "body": "<p>Mardi</p>"}
    )


def _news_update(actor):
    post = services.news_save(actor=actor, post=NewsPost(space=SpaceFactory()), data={"title": "Avant", "body": "x"})
    services.news_save(actor=actor, post=post, data={"title": "Après"})


def _news_delete(actor):
    post = services.news_save(actor=actor, post=NewsPost(space=SpaceFactory()), data={"title": "Avant", "body": "x"})
    services.news_delete(actor=actor, post=post)


# action, writer, expects a "before", expects an "after", a value that changed (field, before, after)
AUDITED = [
    ("space.update", _space_update, True, True, ("title", "Avant", "Après")),
    ("space.archived", _space_status, True, True, ("status", "published", "archived")),
    ("space.delete", _space_delete, True, False, None),
    ("module.update", _module_update, True, True, ("title", "Avant", "Après")),
    ("module.settings", _module_settings, True, True, ("settings", {"a": 1}, {"a": 2})),
    ("module.delete", _module_delete, True, False, None),
    ("phase.delete", _phase_delete, True, False, None),
    ("role.revoke", _membership_remove, True, False, None),
    ("document.add", _document_add, False, True, None),
    ("document.delete", _document_delete, True, False, None),
    ("news.create", _news_create, False, True, None),
    ("news.update", _news_update, True, True, ("title", "Avant", "Après")),
    ("news.delete", _news_delete, True, False, None),
]


@pytest.mark.parametrize("action, write, has_before, has_after, change", AUDITED, ids=[a[0] for a in AUDITED])
def test_it_writes_every_change_to_the_audit_log(actor, action, write, has_before, has_after, change):
    write(actor)
    entry = last_entry(action)
    assert entry.actor == actor
    assert entry.target_type is not None
    assert entry.target_repr
    assert (entry.before is not None) is has_before
    assert (entry.after is not None) is has_after
    if change:
        field, before, after = change
        assert (entry.before[field], entry.after[field]) == (before, after)


CLEANED: list[object] = []


def _record_cleanup(target: object) -> None:
    CLEANED.append(target)


def test_deleting_a_module_asks_every_shared_app_to_delete_what_it_holds_about_its_items(monkeypatch):
    """The shared apps register their cleanup (``registry.register_cleanup``); the journey through the real ones
    is in tests/test_shared_cleanup.py."""
    monkeypatch.setattr(registry, "_cleanups", {"test": f"{__name__}._record_cleanup"})
    CLEANED.clear()
    item = ItemFactory()
    ItemFactory()  # another module: nothing asked about it
    services.module_delete(actor=make_org_admin(), module=item.module)
    assert [item.module, item] == CLEANED


def test_a_change_of_a_space_a_module_or_a_news_post_is_told_to_the_listeners(monkeypatch):
    changed = []
    monkeypatch.setattr(hooks, "_listeners", {"test": changed.append})
    admin = make_org_admin()
    space = services.space_create(actor=admin, data={"title": "Budget participatif", "summary": "."})
    services.space_update(actor=admin, space=space, data={"title": "Budget participatif 2026"})
    module = ModuleFactory(space=space)
    services.module_update(actor=admin, module=module, data={"title": "Idées"})
    post = services.news_save(actor=admin, post=NewsPost(space=space), data={"title": "Réunion", "body": "x"})
    assert changed == [space, space, module, post]


def test_deleting_an_account_removes_its_roles_in_spaces():
    space = SpaceFactory()
    user = make_space_role(space, SpaceMembership.Role.ADMIN)
    other = make_space_role(space, SpaceMembership.Role.MEMBER)
    account_delete(user=user)
    assert list(SpaceMembership.objects.values_list("user_id", flat=True)) == [other.pk]
