"""Every write on spaces, modules, phases, members, documents and news. Each one checks its actor's permission
(``require``, the rule the back-office views checked before) and is audited."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from participe.accounts.models import User
from participe.activity.services import audit, snapshot
from participe.core.pictures import delete_files, picture_saved
from participe.core.registry import registry
from participe.core.uploads import check_document
from participe.organisation.models import Organisation
from participe.permissions.refusals import require
from participe.spaces import hooks
from participe.spaces.lifecycle import module_deleting, observe_phase
from participe.spaces.models import (
    ORGANISATION_SPACE_SLUG,
    Module,
    NewsPost,
    Phase,
    Space,
    SpaceDocument,
    SpaceMembership,
)
from participe.spaces.predicates import is_org_admin

SPACE_FIELDS = [
    "kind",
    "title",
    "slug",
    "summary",
    "description",
    "hero_image",
    "hero_image_alt",
    "start_date",
    "end_date",
    "visibility",
    "territories",
    "themes",
]


def unique_slug(model: Any, base: str, **scope: Any) -> str:
    base = slugify(base)[:100] or "espace"
    slug, n = base, 2
    while model.objects.filter(slug=slug, **scope).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _apply(instance: Any, data: dict[str, Any]) -> dict[str, Any]:
    """Set plain fields on ``instance``; return the many-to-many values to set after saving."""
    m2m = {}
    for name, value in data.items():
        field = instance._meta.get_field(name)
        if field.many_to_many:
            m2m[name] = value
        else:
            setattr(instance, name, value)
    return m2m


@transaction.atomic
def space_create(*, actor: User, data: dict[str, Any]) -> Space:
    """Create a space as a draft; its creator becomes its administrator."""
    require(actor, "spaces.add_space")
    space = Space(created_by=actor)
    m2m = _apply(space, data)
    if not space.slug:
        space.slug = unique_slug(Space, space.title)
    space.full_clean()
    space.save()
    picture_saved(space, "hero_image", old_name="", old_sizes=None)
    for name, values in m2m.items():
        getattr(space, name).set(values)
    SpaceMembership.objects.get_or_create(space=space, user=actor, role=SpaceMembership.Role.ADMIN)
    hooks.changed(space)
    audit(actor=actor, action="space.create", target=space, after=snapshot(space, [*SPACE_FIELDS, "status"]))
    return space


@transaction.atomic
def space_update(*, actor: User, space: Space, data: dict[str, Any]) -> Space:
    require(actor, "spaces.change_space", space)
    # Read "before" from the database: a ModelForm bound to ``space`` has already changed it in memory.
    stored = Space.objects.get(pk=space.pk)
    before = snapshot(stored, SPACE_FIELDS)
    m2m = _apply(space, data)
    space.full_clean()
    space.save()
    # A new picture gets its card and hero sizes; the replaced one and its sizes are deleted after commit.
    picture_saved(space, "hero_image", old_name=stored.hero_image.name, old_sizes=stored.hero_image_sizes)
    for name, values in m2m.items():
        getattr(space, name).set(values)
    hooks.changed(space)  # search: its entries copy its visibility, territories and themes
    audit(actor=actor, action="space.update", target=space, before=before, after=snapshot(space, SPACE_FIELDS))
    return space


@transaction.atomic
def space_set_status(*, actor: User, space: Space, status: str) -> Space:
    require(actor, "spaces.publish_space", space)
    if status not in Space.Status.values:
        raise ValidationError(_("Statut inconnu."))
    if status == Space.Status.PUBLISHED and not space.modules.exists():
        raise ValidationError(_("Ajoutez au moins un module avant de publier cet espace."))
    before = {"status": space.status}
    space.status = status
    if status == Space.Status.PUBLISHED and space.published_at is None:
        space.published_at = timezone.now()
    space.save(update_fields=["status", "published_at", "updated_at"])
    hooks.changed(space)
    audit(actor=actor, action=f"space.{status}", target=space, before=before, after={"status": status})
    return space


@transaction.atomic
def space_delete(*, actor: User, space: Space) -> None:
    require(actor, "spaces.delete_space", space)
    audit(actor=actor, action="space.delete", target=space, before=snapshot(space, [*SPACE_FIELDS, "status"]))
    for module in space.modules.all():
        module_deleting(module)
        _delete_picture_on_commit(module, "picture")
    _delete_picture_on_commit(space, "hero_image")
    for post in space.news.all():
        registry.delete_shared(post)
    registry.delete_shared(space)
    space.delete()


@transaction.atomic
def module_create(
    *,
    actor: User,
    space: Space,
    module_type: str,
    title: str,
    description: str = "",
    blueprint: str | None = None,
    start: datetime.datetime | None = None,
) -> Module:
    """Add a module of a registered type; a blueprint creates its phases one after the other."""
    require(actor, "spaces.change_space", space)
    manifest = registry.get(module_type)
    if manifest is None:
        raise ValidationError({"module_type": _("Ce type de module n'existe pas.")})
    module = Module(
        space=space,
        module_type=module_type,
        title=title,
        description=description,
        slug=unique_slug(Module, title, space=space),
        position=space.modules.count(),
        settings=manifest.default_settings(),
    )
    module.full_clean()
    module.save()
    if blueprint:
        chosen = manifest.blueprint(blueprint)
        if chosen is None:
            raise ValidationError({"blueprint": _("Ce modèle d'étapes n'existe pas pour ce module.")})
        cursor = start or timezone.now()
        for bp in chosen.phases:
            end = cursor + datetime.timedelta(days=bp.days)
            Phase.objects.create(module=module, phase_type=bp.phase_type, name=str(bp.name), start=cursor, end=end)
            cursor = end
    audit(
        actor=actor,
        action="module.create",
        target=module,
        after=snapshot(module, ["module_type", "title", "slug", "settings"]) | {"blueprint": blueprint},
    )
    observe_phase(module.pk)
    return module


MODULE_FIELDS = ["title", "slug", "description", "position", "is_published", "picture", "picture_alt"]


@transaction.atomic
def module_update(*, actor: User, module: Module, data: dict[str, Any]) -> Module:
    require(actor, "spaces.change_space", module.space)
    stored = Module.objects.get(pk=module.pk)  # not the instance a form has changed
    before = snapshot(stored, MODULE_FIELDS)
    _apply(module, data)
    module.full_clean()
    module.save()
    picture_saved(module, "picture", old_name=stored.picture.name, old_sizes=stored.picture_sizes)
    hooks.changed(module)  # search: whether its items' entries are published
    audit(actor=actor, action="module.update", target=module, before=before, after=snapshot(module, MODULE_FIELDS))
    return module


@transaction.atomic
def module_update_settings(*, actor: User, module: Module, settings: dict[str, Any]) -> Module:
    require(actor, "spaces.change_space", module.space)
    before = {"settings": dict(module.settings)}
    module.settings = settings
    module.save(update_fields=["settings", "updated_at"])
    audit(actor=actor, action="module.settings", target=module, before=before, after={"settings": settings})
    _settings_changed(module)
    return module


def _settings_changed(module: Module) -> None:
    """Tell the module its settings or phases changed (its ``hooks.settings_changed``), in the transaction."""
    # A fresh instance: the caller's may hold its phases as they were before the change.
    registry.run_hook(Module.objects.select_related("space").get(pk=module.pk), "settings_changed")


@transaction.atomic
def module_delete(*, actor: User, module: Module) -> None:
    require(actor, "spaces.change_space", module.space)
    audit(actor=actor, action="module.delete", target=module, before=snapshot(module, [*MODULE_FIELDS, "module_type"]))
    module_deleting(module)
    _delete_picture_on_commit(module, "picture")
    module.delete()


def _delete_picture_on_commit(instance: Any, field: str) -> None:
    """The files of a picture whose row is being deleted go once the deletion is committed."""
    field_file = getattr(instance, field)
    if field_file.name:
        storage, name, sizes = field_file.storage, field_file.name, getattr(instance, f"{field}_sizes")
        transaction.on_commit(lambda: delete_files(storage, name, sizes))


PHASE_FIELDS = ["phase_type", "name", "description", "start", "end", "settings_overrides"]


@transaction.atomic
def phase_save(*, actor: User, phase: Phase, data: dict[str, Any]) -> Phase:
    """Create (``phase.pk`` is None) or update a phase."""
    require(actor, "spaces.change_space", phase.module.space)
    creating = phase.pk is None
    before = None if creating else snapshot(Phase.objects.get(pk=phase.pk), PHASE_FIELDS)
    _apply(phase, data)
    phase.full_clean()
    phase.save()
    audit(
        actor=actor,
        action="phase.create" if creating else "phase.update",
        target=phase,
        before=before,
        after=snapshot(phase, PHASE_FIELDS),
    )
    observe_phase(phase.module_id)
    _settings_changed(phase.module)
    return phase


@transaction.atomic
def phase_delete(*, actor: User, phase: Phase) -> None:
    require(actor, "spaces.change_space", phase.module.space)
    module = phase.module
    audit(actor=actor, action="phase.delete", target=phase, before=snapshot(phase, PHASE_FIELDS))
    phase.delete()
    observe_phase(phase.module_id)
    _settings_changed(module)


@transaction.atomic
def membership_add(*, actor: User, space: Space, user: User, role: str) -> SpaceMembership:
    require(actor, "spaces.manage_members", space)
    membership, created = SpaceMembership.objects.get_or_create(space=space, user=user, role=role)
    if created:
        audit(actor=actor, action="role.grant", target=space, after={"user": user.pk, "role": role})
    return membership


@transaction.atomic
def membership_remove(*, actor: User, membership: SpaceMembership) -> None:
    space = membership.space
    require(actor, "spaces.manage_members", space)
    if (
        membership.role == SpaceMembership.Role.ADMIN
        and not is_org_admin(actor)
        and space.memberships.filter(role=SpaceMembership.Role.ADMIN).count() == 1
    ):
        raise ValidationError(_("Un espace garde au moins un administrateur."))
    audit(actor=actor, action="role.revoke", target=space, before={"user": membership.user_id, "role": membership.role})
    membership.delete()


@transaction.atomic
def document_add(*, actor: User, space: Space, title: str, file: Any) -> SpaceDocument:
    require(actor, "spaces.change_space", space)
    content_type = check_document(file)
    document = SpaceDocument.objects.create(
        space=space, title=title, file=file, content_type=content_type, size=file.size
    )
    audit(actor=actor, action="document.add", target=space, after={"document": document.pk, "title": title})
    return document


@transaction.atomic
def document_delete(*, actor: User, document: SpaceDocument) -> None:
    require(actor, "spaces.change_space", document.space)
    audit(actor=actor, action="document.delete", target=document.space, before={"title": document.title})
    document.file.delete(save=False)
    document.delete()


@transaction.atomic
def news_save(*, actor: User, post: NewsPost, data: dict[str, Any]) -> NewsPost:
    require(actor, "spaces.change_space", post.space)
    creating = post.pk is None
    before = None if creating else snapshot(NewsPost.objects.get(pk=post.pk), ["title", "body", "published_at"])
    _apply(post, data)
    if creating:
        post.author = actor
    post.full_clean()
    post.save()
    hooks.changed(post)
    audit(
        actor=actor,
        action="news.create" if creating else "news.update",
        target=post,
        before=before,
        after=snapshot(post, ["title", "body", "published_at"]),
    )
    return post


@transaction.atomic
def news_delete(*, actor: User, post: NewsPost) -> None:
    require(actor, "spaces.change_space", post.space)
    audit(actor=actor, action="news.delete", target=post, before=snapshot(post, ["title", "body", "published_at"]))
    registry.delete_shared(post)  # its index entry, and anything a shared app holds about it
    post.delete()


def erase_account_data(user: User) -> None:
    """A person whose account is deleted keeps no role in any space (``accounts.hooks.register_eraser``)."""
    SpaceMembership.objects.filter(user=user).delete()


# --- organisation-wide modules (decision 0010) ---------------------------------------------------------------
PERMANENT_UNTIL = datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC)


def organisation_space_ensure(*, actor: User) -> Space:
    """The organisation's permanent space, created (published, public) the first time a service needs it."""
    require(actor, "spaces.manage_organisation_modules")
    existing = Space.objects.filter(kind=Space.Kind.ORGANISATION).first()
    if existing is not None:
        return existing
    organisation = Organisation.objects.first()
    with transaction.atomic():
        space, created = Space.objects.get_or_create(
            kind=Space.Kind.ORGANISATION,
            defaults={
                "slug": ORGANISATION_SPACE_SLUG,
                "title": organisation.name if organisation else str(_("Services permanents")),
                "summary": str(_("Les services permanents de participation de la collectivité.")),
                "status": Space.Status.PUBLISHED,
                "visibility": Space.Visibility.PUBLIC,
                "published_at": timezone.now(),
                "created_by": actor,
            },
        )
        if created:
            audit(actor=actor, action="space.create", target=space, after=snapshot(space, [*SPACE_FIELDS, "kind"]))
    return space


@transaction.atomic
def organisation_module_enable(*, actor: User, module_type: str) -> Module:
    """Turn on an organisation-wide module type: its module in the permanent space, running its permanent phase.

    Idempotent: the module already there is returned (and published again if it had been unpublished)."""
    require(actor, "spaces.manage_organisation_modules")
    manifest = registry.get(module_type)
    if manifest is None or not manifest.is_organisation_wide:
        raise ValidationError({"module_type": _("Ce type de module n'est pas un service permanent.")})
    space = organisation_space_ensure(actor=actor)
    Space.objects.select_for_update().filter(pk=space.pk).first()  # one enabling at a time
    module = Module.objects.filter(space=space, module_type=module_type).first()
    if module is not None:
        if not module.is_published:
            module_update(actor=actor, module=module, data={"is_published": True})
        return module
    module = Module.objects.create(
        space=space,
        module_type=module_type,
        title=str(manifest.name),
        description=str(manifest.description)[:400],
        slug=manifest.organisation_path or module_type,
        position=space.modules.count(),
        settings=manifest.default_settings(),
    )
    phase_type = manifest.phase_type(manifest.permanent_phase or "")
    Phase.objects.create(
        module=module,
        phase_type=manifest.permanent_phase or "",
        name=str(phase_type.name if phase_type else manifest.name),
        start=timezone.now(),
        end=PERMANENT_UNTIL,
    )
    audit(actor=actor, action="module.create", target=module, after=snapshot(module, ["module_type", "title", "slug"]))
    observe_phase(module.pk)
    return module
