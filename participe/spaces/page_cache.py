"""What the spaces tell the page cache (``participe.core.pagecache``, decision 0041): where an object shows, and when
pages change with no write (a phase starts or ends, a news post comes out, a démarche's day begins or ends)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Min, Model, Q
from django.utils import timezone

from participe.spaces.models import Module, NewsPost, Phase, Space, SpaceDocument, SpaceMembership
from participe.spaces.predicates import space_of

# Objects of the spaces themselves: they show on the site's pages too (home, list of démarches, their cards).
STRUCTURAL = (Space, Module, Phase, NewsPost, SpaceDocument, SpaceMembership)
_DEPTH = 3


def scope_of(obj: Any) -> tuple[str | None, bool]:
    """The slug of the démarche whose pages ``obj`` shows on (None: unknown, so every page), and whether it also
    shows on the site's pages."""
    space = _space(obj, _DEPTH)
    return (space.slug if space is not None else None), isinstance(obj, STRUCTURAL)


def item_of(obj: Any) -> tuple[str, str, int] | None:
    """(démarche slug, module slug, item pk) of the item a support or a comment is about — through a comment for a
    reply or a support of a comment —, None when it belongs to no démarche's module."""
    target = obj
    for _ in range(_DEPTH):
        about = getattr(target, "target", None) or getattr(target, "content_object", None)  # their generic keys
        if not isinstance(about, Model):
            break
        target = about
    module = getattr(target, "module", None)
    if not isinstance(module, Module) or getattr(target, "pk", None) is None:
        return None
    return module.space.slug, module.slug, int(target.pk)


def _space(obj: Any, depth: int) -> Space | None:
    if obj is None or depth == 0 or not isinstance(obj, Model):
        return None
    found = space_of(obj)
    if found is not None:
        return found
    # An item of a shared service (a comment, a support, a report) is about another object: its target.
    target = getattr(obj, "content_object", None)
    if target is not None:
        return _space(target, depth - 1)
    # An item reached through its parent (an answer through its questionnaire, a reply through its comment).
    skipped = (get_user_model(), ContentType)
    for field in obj._meta.concrete_fields:
        if field.many_to_one and field.related_model not in skipped and getattr(obj, field.attname) is not None:
            found = _space(getattr(obj, field.name), depth - 1)
            if found is not None:
                return found
    return None


def next_change() -> float | None:
    """The next moment public pages change by themselves: a phase's start or end, a news post's publication, or the
    next midnight (the lists of démarches « en cours », « à venir », « terminées » go by day)."""
    now = timezone.now()
    found = Phase.objects.aggregate(
        start=Min("start", filter=Q(start__gt=now)),
        end=Min("end", filter=Q(end__gt=now)),
    )
    news = NewsPost.objects.filter(published_at__gt=now).aggregate(at=Min("published_at"))["at"]
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    midnight = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min))
    moments = [m for m in (found["start"], found["end"], news, midnight) if m is not None]
    return min(moments).timestamp()


def reader_class(user: Any) -> str | None:
    """What, about a reader, the parts of pages kept for everyone may depend on (``participe.core.shared``, decision
    0046): signed in or not, and the démarches they belong to (a private démarche's links and commitments show to
    its members). None for whoever holds a role of the staff (what they see depends on their roles): never kept."""
    from participe.spaces.predicates import holds_a_staff_role, memberships

    if user is None or not getattr(user, "is_authenticated", False):
        return "visitor"
    if getattr(user, "is_superuser", False) or holds_a_staff_role(user):
        return None
    return "reader:" + ",".join(str(pk) for pk in sorted(memberships(user)))
