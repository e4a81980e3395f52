"""Writing supports. Counted under row locks so ``supports_count`` and the per-module limit hold under concurrency.

Locks are always taken in the same order (the participant's row, then the target's row), so concurrent requests
queue instead of deadlocking. The participant's row serialises one person's supports in a module (the limit);
the target's row serialises the counter. On SQLite ``select_for_update`` is a no-op and the database's single
writer gives the same guarantee.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.db.models.functions import Greatest
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from participe.activity.services import audit
from participe.core import pagecache, resources
from participe.core.capabilities import Cap
from participe.core.registry import registry
from participe.permissions.refusals import Reason, Refused, require
from participe.supports import selectors
from participe.supports.models import Support
from participe.supports.rules import capability_for, limit_reason, pending_reason


def _check_target(target: Model) -> None:
    if not selectors.is_supportable(target):
        raise Refused(Reason("not_supportable", _("On ne peut pas soutenir cet élément.")))


def _lock_user(user: Any) -> None:
    get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()


def _lock_target(target: Model) -> Model:
    return type(target)._default_manager.select_for_update().get(pk=target.pk)  # type: ignore[no-any-return]


def _shift(target: Model, delta: int) -> None:
    type(target)._default_manager.filter(pk=target.pk).update(supports_count=Greatest(F("supports_count") + delta, 0))


def _shift_and_hook(target: Model, locked: Model, delta: int) -> None:
    """Change the target's count by ``delta`` and run the hook the resource declares (``Resource.on_supports_changed``),
    inside the transaction. The count the transaction commits is the one read under the target's lock plus ``delta``
    (nobody changes it while the lock is held): ``target`` gets it without reading it again (issue #12)."""
    _shift(target, delta)
    target.supports_count = max(int(locked.supports_count) + delta, 0)  # type: ignore[attr-defined]
    resource = registry.resource(target._meta.label)
    if resource is not None and resource.on_supports_changed:
        import_string(resource.on_supports_changed)(target)


def _refresh(target: Model) -> None:
    target.refresh_from_db(fields=["supports_count"])


def _check_limit(user: Any, target: Any) -> None:
    """The allowance again, under the participant's lock (two tabs supporting at once count as two)."""
    module = target.module
    limit = selectors.supports_limit(module)
    if limit is not None and selectors.supports_used(user, module) >= limit:
        raise Refused(limit_reason(target))


def support_add(*, actor: Any, target: Model, entered_by: Any = None) -> Support:
    """``actor`` supports ``target`` (idempotent: a second call returns the existing support, counted once).

    ``entered_by`` is the agent entering it for a resident without email ("saisi par un agent"; logged).
    Raises ``Refused`` with the reasons of ``supports.add_support`` (the item, the phase, the eligibility, the
    module's allowance: checked again under the locks).
    """
    _check_target(target)
    require(actor, "supports.add_support", target)
    module = resources.item(target).module
    counted = capability_for(target) == Cap.SUPPORT
    content_type_id, object_id = selectors.target_reference(target)
    with transaction.atomic():
        if counted:
            _lock_user(actor)
        locked = _lock_target(target)
        existing = Support.objects.filter(user=actor, content_type_id=content_type_id, object_id=object_id).first()
        if existing is not None:
            return existing
        if not resources.is_published(locked):
            raise Refused(pending_reason())
        if counted:
            _check_limit(actor, target)
        fields = {
            "user": actor,
            "content_type_id": content_type_id,
            "object_id": object_id,
            "module": module,
            "counts_toward_limit": counted,
            "entered_by": entered_by,
        }
        if counted:  # under the participant's lock: no request of theirs can insert it meanwhile
            support = Support.objects.create(**fields)
        else:
            try:
                with transaction.atomic():
                    support = Support.objects.create(**fields)
            except IntegrityError:
                # A concurrent request of the same person got there first (only possible without the lock).
                return Support.objects.get(user=actor, content_type_id=content_type_id, object_id=object_id)
        support.target = target  # its generic key knows the target: the page cache asks for it (issue #12)
        _shift_and_hook(target, locked, +1)
        if entered_by is not None:
            audit(actor=entered_by, action="support.add", target=target, on_behalf_of=actor)
        pagecache.interacted(support)  # the count shown on its target's pages
    return support


def support_withdraw(*, actor: Any, target: Model, entered_by: Any = None) -> bool:
    """``actor`` takes back their support of ``target``; True if there was one (idempotent otherwise).

    Allowed while the phase still allows supporting (eligibility is not re-checked: one may always undo).
    """
    _check_target(target)
    require(actor, "supports.withdraw_support", target)
    content_type_id, object_id = selectors.target_reference(target)
    with transaction.atomic():
        if capability_for(target) == Cap.SUPPORT:
            _lock_user(actor)
        locked = _lock_target(target)
        deleted, _rows = Support.objects.filter(
            user=actor, content_type_id=content_type_id, object_id=object_id
        ).delete()
        if deleted:
            _shift_and_hook(target, locked, -1)
            if entered_by is not None:
                audit(actor=entered_by, action="support.withdraw", target=target, on_behalf_of=actor)
            pagecache.interacted(target)
    return bool(deleted)


def recount_for(target: Model) -> int:
    """Set ``target.supports_count`` from its rows (repairs a counter after an import or a manual fix)."""
    with transaction.atomic():
        _lock_target(target)
        count = selectors.supports_of(target).count()
        type(target)._default_manager.filter(pk=target.pk).update(supports_count=count)
    _refresh(target)
    return count


def delete_for(target: Model) -> int:
    """Delete every support of ``target`` (its module's delete service calls this: generic references cascade
    nowhere). Returns how many were deleted; the target's counter is reset when it still exists."""
    with transaction.atomic():
        deleted, _rows = selectors.supports_of(target).delete()
        if any(f.name == "supports_count" for f in target._meta.concrete_fields):
            type(target)._default_manager.filter(pk=target.pk).update(supports_count=0)
    return deleted


def delete_for_user(user: Any) -> int:
    """Delete every support of ``user``, each target's counter decremented (account deletion calls this before
    deleting or anonymising the account, whatever the phases: the person leaves). Returns how many were deleted."""
    deleted = 0
    for support in Support.objects.filter(user=user).select_related("content_type").order_by("pk"):
        model = support.content_type.model_class()
        with transaction.atomic():
            if model is not None:
                target = model._default_manager.select_for_update().filter(pk=support.object_id).first()
            else:
                target = None
            count, _rows = Support.objects.filter(pk=support.pk).delete()
            if count and target is not None and hasattr(target, "supports_count"):
                _shift(target, -1)
            deleted += count
    return deleted
