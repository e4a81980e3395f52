"""Writes of the links between modules: a module that made an item from another module's candidate records it."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, Q
from django.utils.translation import gettext as _

from participe.activity.services import audit
from participe.links import selectors
from participe.links.models import Link
from participe.permissions.refusals import require


@transaction.atomic
def link_create(*, actor: Any, origin: Model, derived: Model, kind: str) -> Link:
    """Record that ``derived`` was made from ``origin``, a candidate of ``kind`` its module offers now.

    The actor runs the module of ``derived`` (``links.add_link``). Linking the same pair twice returns the link."""
    require(actor, "links.add_link", derived)
    if not selectors.is_candidate(origin, kind):
        raise ValidationError(_("« %(title)s » n'est pas proposé par son module pour cet usage.") % {"title": origin})
    origin_type = ContentType.objects.get_for_model(origin)
    derived_type = ContentType.objects.get_for_model(derived)
    link, created = Link.objects.get_or_create(
        origin_type=origin_type,
        origin_id=origin.pk,
        derived_type=derived_type,
        derived_id=derived.pk,
        defaults={"kind": kind, "created_by": actor},
    )
    if created:
        audit(actor=actor, action="links.link_create", target=derived, after={"origin": str(link), "kind": kind})
    return link


@transaction.atomic
def link_delete(*, actor: Any, link: Link) -> None:
    derived = link.derived
    require(actor, "links.delete_link", derived)
    audit(actor=actor, action="links.link_delete", target=derived, before={"origin": str(link), "kind": link.kind})
    link.delete()


def delete_for(target: Model) -> int:
    """Delete every link from or to ``target`` (registered with the registry's shared clean-ups)."""
    content_type = ContentType.objects.get_for_model(target)
    deleted, _rows = Link.objects.filter(
        Q(origin_type=content_type, origin_id=target.pk) | Q(derived_type=content_type, derived_id=target.pk)
    ).delete()
    return deleted
