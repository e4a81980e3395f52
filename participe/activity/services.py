"""Writing to the audit log. Every service that changes something calls ``audit``."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile

from participe.activity.models import AuditEntry
from participe.core import pagecache


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The concrete field values of ``instance`` as JSON-able data (many-to-many included when saved)."""
    data: dict[str, Any] = {}
    opts = instance._meta
    for field in opts.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in {"password", "created_at", "updated_at"}:
            continue
        data[field.name] = _jsonable(field.value_from_object(instance))
    if instance.pk:
        for m2m in opts.many_to_many:
            if fields is not None and m2m.name not in fields:
                continue
            data[m2m.name] = sorted(getattr(instance, m2m.name).values_list("pk", flat=True))
    return data


def _entry(
    *,
    actor: Any,
    action: str,
    target: models.Model | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    reason: str = "",
    on_behalf_of: Any = None,
    ip_address: str | None = None,
) -> AuditEntry:
    return AuditEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        on_behalf_of=on_behalf_of,
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:300] if target is not None else "",
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        reason=reason,
        ip_address=ip_address,
    )


def unsaved_entry(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """The entry ``audit`` would record, not saved: for a service that writes it in a statement of its own, with the
    rest of the act (the ballot service's cast), in the same transaction."""
    return _entry(actor=actor, action=action, target=target, before=before, after=after)


def audit(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    on_behalf_of: Any = None,
    ip_address: str | None = None,
) -> AuditEntry:
    """Record one act in the audit log."""
    entry = _entry(
        actor=actor,
        action=action,
        target=target,
        before=before,
        after=after,
        reason=reason,
        on_behalf_of=on_behalf_of,
        ip_address=ip_address,
    )
    entry.save()
    # Every act the log records may change what public pages show: their cached copies go (decision 0041).
    pagecache.changed(target, action=action)
    return entry


def audit_many(
    *,
    actor: Any,
    action: str,
    entries: Iterable[tuple[models.Model, dict[str, Any] | None, dict[str, Any] | None]],
    reason: str = "",
) -> list[AuditEntry]:
    """Record the same act on several targets, ``(target, before, after)`` each, in one query (a bulk action)."""
    entries_list = list(entries)
    rows = [
        _entry(actor=actor, action=action, target=target, before=before, after=after, reason=reason)
        for target, before, after in entries_list
    ]
    if not rows:
        return []
    saved = AuditEntry.objects.bulk_create(rows, batch_size=500)
    targets: list[models.Model | None] = list({id(t): t for t, _before, _after in entries_list}.values())
    for target in targets if len(targets) <= 20 else [None]:  # a large bulk act: every page at once
        pagecache.changed(target, action=action)
    return saved


REDACTED = "[effacé]"


def _redacted(copy: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if copy is None else dict.fromkeys(copy, REDACTED)


def redact_for(user: models.Model) -> int:
    """Redact the audit log's copies of what ``user`` wrote or what was written about them, when their account is
    deleted: the entries they made, made on their behalf, or about their account keep the fact of the act (who —
    now « participant supprimé » —, what action, on which object, when, which fields) but not the values, the
    object's name, the reason typed or the address. Returns how many entries were redacted."""
    user_type = ContentType.objects.get_for_model(user)
    return _redact(
        AuditEntry.objects.filter(
            models.Q(actor=user) | models.Q(on_behalf_of=user) | models.Q(target_type=user_type, target_id=str(user.pk))
        )
    )


def redact_target(target: models.Model) -> int:
    """Redact the copies the audit log holds of ``target``, a private item deleted with its author's account (a
    draft): whoever acted on it, the entries keep the fact of each act, not the item's text or name."""
    target_type = ContentType.objects.get_for_model(target)
    return _redact(AuditEntry.objects.filter(target_type=target_type, target_id=str(target.pk)))


def _redact(entries: models.QuerySet[AuditEntry]) -> int:
    batch: list[AuditEntry] = []
    count = 0
    for entry in entries.order_by("pk").iterator(chunk_size=500):
        entry.before, entry.after = _redacted(entry.before), _redacted(entry.after)
        entry.target_repr = REDACTED if entry.target_repr else ""
        entry.reason = REDACTED if entry.reason else ""
        entry.ip_address = None
        batch.append(entry)
        if len(batch) == 500:
            count += _save(batch)
    return count + _save(batch)


def _save(batch: list[AuditEntry]) -> int:
    AuditEntry.objects.bulk_update(batch, ["before", "after", "target_repr", "reason", "ip_address"])
    saved = len(batch)
    batch.clear()
    return saved
