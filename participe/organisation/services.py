"""Every write on the organisation, its territories, themes and services. Each one checks its actor's permission
(``require``) and is audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from participe.accounts.models import User
from participe.activity.services import audit, snapshot
from participe.organisation.hooks import territory_uses
from participe.organisation.models import Organisation, Service, Territory, Theme
from participe.permissions.refusals import require

ORGANISATION_FIELDS = [
    "name",
    "short_description",
    "name_of",
    "name_in",
    "map_latitude",
    "map_longitude",
    "map_zoom",
    "logo",
    "primary_colour",
    "secondary_colour",
    "contact_email",
    "contact_phone",
    "contact_address",
    "website",
    "social_links",
    "legal_notice",
    "privacy_policy",
    "a11y_conformity",
    "a11y_rate",
    "a11y_test_results",
    "a11y_non_accessible",
    "a11y_established_on",
    "a11y_technologies",
    "a11y_audit_tools",
    "a11y_sample_pages",
    "a11y_contact",
]
TERRITORY_FIELDS = ["name", "slug", "kind", "code", "parent", "boundary", "population", "population_detail"]
THEME_FIELDS = ["name", "slug", "description", "position"]
SERVICE_FIELDS = ["name", "email"]


def _set_fields(instance: models.Model, data: dict[str, Any], allowed: list[str]) -> None:
    for name, value in data.items():
        if name in allowed:
            setattr(instance, name, value)


def _unique_slug(model: Any, base: str, exclude_pk: int | None) -> str:
    base = slugify(base)[:90] or "element"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


@transaction.atomic
def organisation_update(*, actor: User, data: dict[str, Any]) -> Organisation:
    """Change the organisation's identity, contact, legal pages and accessibility declaration."""
    require(actor, "organisation.change_organisation")
    Organisation.objects.get_or_create(pk=1)
    organisation = Organisation.objects.select_for_update().get(pk=1)
    before = snapshot(organisation, ORGANISATION_FIELDS)
    _set_fields(organisation, data, ORGANISATION_FIELDS)
    organisation.full_clean()
    organisation.save()
    audit(
        actor=actor,
        action="organisation.update",
        target=organisation,
        before=before,
        after=snapshot(organisation, ORGANISATION_FIELDS),
    )
    return organisation


def _save(actor: User, instance: Any, data: dict[str, Any], fields: list[str], prefix: str) -> Any:
    creating = instance.pk is None
    before = None if creating else snapshot(type(instance).objects.get(pk=instance.pk), fields)
    _set_fields(instance, data, fields)
    if "slug" in fields and not instance.slug:
        instance.slug = _unique_slug(type(instance), instance.name, instance.pk)
    instance.full_clean()
    instance.save()
    audit(
        actor=actor,
        action=f"{prefix}.create" if creating else f"{prefix}.update",
        target=instance,
        before=before,
        after=snapshot(instance, fields),
    )
    return instance


@transaction.atomic
def territory_save(*, actor: User, territory: Territory, data: dict[str, Any]) -> Territory:
    """Create (``territory.pk`` is None) or update a territory; the slug is derived from the name when empty."""
    require(actor, "organisation.manage_territories")
    return _save(actor, territory, data, TERRITORY_FIELDS, "territory")  # type: ignore[no-any-return]


def territory_usage(territory: Territory) -> dict[str, int]:
    """What still refers to a territory: children, what other apps register (spaces, eligibility rules,
    verifications: ``hooks.register_territory_use``), residents."""
    usage = {"children": territory.children.count()}
    usage.update({use.key: use.count(territory) for use in territory_uses()})
    usage["residents"] = territory.residents.count()
    return usage


def _usage_messages(usage: dict[str, int]) -> list[str]:
    labels = {use.key: use.label for use in territory_uses()}
    labels["residents"] = lambda n: ngettext("%(n)s habitant inscrit", "%(n)s habitants inscrits", n)
    return [labels[key](n) % {"n": n} for key, n in usage.items() if key in labels and n]


@transaction.atomic
def territory_delete(*, actor: User, territory: Territory) -> None:
    """Delete a territory that has no sub-territory and that nothing uses any more."""
    require(actor, "organisation.manage_territories")
    usage = territory_usage(territory)
    if usage["children"]:
        raise ValidationError(
            _("Ce territoire contient des sous-territoires : supprimez-les ou rattachez-les ailleurs d'abord.")
        )
    used = _usage_messages(usage)
    if used:
        raise ValidationError(
            _("Ce territoire est encore utilisé (%(uses)s) : il ne peut pas être supprimé.") % {"uses": ", ".join(used)}
        )
    audit(actor=actor, action="territory.delete", target=territory, before=snapshot(territory, TERRITORY_FIELDS))
    territory.delete()


@transaction.atomic
def theme_save(*, actor: User, theme: Theme, data: dict[str, Any]) -> Theme:
    """Create (``theme.pk`` is None) or update a theme; a new theme goes to the end of the list."""
    require(actor, "organisation.manage_themes")
    if theme.pk is None and "position" not in data:
        last = Theme.objects.aggregate(models.Max("position"))["position__max"]
        theme.position = 0 if last is None else last + 1
    return _save(actor, theme, data, THEME_FIELDS, "theme")  # type: ignore[no-any-return]


@transaction.atomic
def theme_move(*, actor: User, theme: Theme, direction: str) -> Theme:
    """Swap a theme with its neighbour ("up" or "down"), renumbering the list so positions are distinct."""
    require(actor, "organisation.manage_themes")
    themes = list(Theme.objects.select_for_update().order_by("position", "name", "pk"))
    index = next(i for i, t in enumerate(themes) if t.pk == theme.pk)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(themes):
        return theme
    themes[index], themes[other] = themes[other], themes[index]
    for position, item in enumerate(themes):
        if item.position != position:
            Theme.objects.filter(pk=item.pk).update(position=position)
    audit(actor=actor, action="theme.move", target=theme, before={"position": index}, after={"position": other})
    theme.position = other
    return theme


@transaction.atomic
def theme_delete(*, actor: User, theme: Theme) -> None:
    """Delete a theme; spaces classified under it simply lose that theme."""
    require(actor, "organisation.manage_themes")
    audit(actor=actor, action="theme.delete", target=theme, before=snapshot(theme, THEME_FIELDS))
    theme.delete()
    Theme.objects.filter(position__gt=theme.position).update(position=F("position") - 1)


@transaction.atomic
def service_save(*, actor: User, service: Service, data: dict[str, Any]) -> Service:
    """Create (``service.pk`` is None) or update a service of the collectivité."""
    require(actor, "organisation.manage_services")
    return _save(actor, service, data, SERVICE_FIELDS, "service")  # type: ignore[no-any-return]


@transaction.atomic
def service_delete(*, actor: User, service: Service) -> None:
    require(actor, "organisation.manage_services")
    before = snapshot(service, SERVICE_FIELDS) | {"members": sorted(service.members.values_list("pk", flat=True))}
    audit(actor=actor, action="service.delete", target=service, before=before)
    service.delete()


@transaction.atomic
def service_member_add(*, actor: User, service: Service, user: User) -> None:
    """Make ``user`` an agent of ``service`` (which gives access to the back-office)."""
    require(actor, "organisation.manage_services")
    if user.is_deleted or not user.is_active:
        raise ValidationError(_("Ce compte est désactivé : il ne peut pas devenir agent."))
    if service.members.filter(pk=user.pk).exists():
        return
    service.members.add(user)
    audit(actor=actor, action="service.add_member", target=service, after={"user": user.pk})


@transaction.atomic
def service_member_remove(*, actor: User, service: Service, user: User) -> None:
    require(actor, "organisation.manage_services")
    if not service.members.filter(pk=user.pk).exists():
        return
    service.members.remove(user)
    audit(actor=actor, action="service.remove_member", target=service, before={"user": user.pk})


def erase_account_data(user: User) -> None:
    """A person whose account is deleted is no longer an agent of any service (``accounts.hooks.register_eraser``)."""
    user.services.clear()
