"""Retries return the first result: one design for every write that creates something (decision 0020).

A client that sent a form or an API request and saw an error (a timeout, a lost connection) cannot know whether the
write happened; it sends the request again. With a key that names the attempt — the one-time token of the web form
(its hidden field ``jeton``, written by ``{% one_time_token form %}``) or the API's ``Idempotency-Key`` header — the
repeated request gets the first result instead of a duplicate.

The key is the ballot service's design (``participe.ballots.services.casting``, which keeps its own storage, the
receipt, so that nothing links a voter to a ballot): random, 16 to 200 ASCII characters, scoped to the person who
sends it. Here, for writes that are not secret, a row records which object the first request created:
:func:`once` runs the service and writes that row in the same transaction, under a unique constraint, so two
concurrent requests with one key create one object (the second waits for the first, fails on the constraint, rolls
its own write back and answers with the first). Only a keyed HMAC of the key is stored. A key is remembered for
``KEY_LIFETIME``; a request without a key writes as before.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from collections.abc import Callable
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participe.core.models import IdempotentWrite

M = TypeVar("M", bound=models.Model)

HEADER = "Idempotency-Key"
FORM_FIELD = "jeton"
KEY_MIN_LENGTH = 16
KEY_MAX_LENGTH = 200
KEY_LIFETIME = datetime.timedelta(days=1)


def invalid_key_message() -> str:
    return str(
        _(
            "La clé d'idempotence doit compter de %(min)s à %(max)s caractères ASCII tirés au hasard (un UUID par exemple)."
        )
        % {"min": KEY_MIN_LENGTH, "max": KEY_MAX_LENGTH}
    )


def check_key(key: str | None) -> str | None:
    """The key (None when none was given); ``ValidationError`` for a key too short to be unguessable or not ASCII."""
    if key is None or key == "":
        return None
    if not KEY_MIN_LENGTH <= len(key) <= KEY_MAX_LENGTH or not key.isascii() or not key.isprintable():
        raise ValidationError({"idempotency_key": invalid_key_message()})
    return key


def new_token() -> str:
    """A fresh one-time token for a form (32 URL-safe characters)."""
    return secrets.token_urlsafe(24)


def request_key(request: HttpRequest) -> str | None:
    """The key of a request: its ``Idempotency-Key`` header, else the form's one-time token (``jeton``).

    A form's token that is not a valid key is ignored (the form then writes as without one); a bad header is the
    caller's error: the API answers 400 (``check_key``)."""
    header = request.headers.get(HEADER)
    if header is not None:
        return check_key(header.strip())
    token = request.POST.get(FORM_FIELD, "") if request.method == "POST" else ""
    try:
        return check_key(token)
    except ValidationError:
        return None


def _digest(scope: str, actor: Any, key: str) -> str:
    secret = hashlib.sha256(f"idempotency:{settings.SECRET_KEY}".encode()).digest()
    message = f"{scope}:{getattr(actor, 'pk', None)}:{key}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def _first_result(digest: str) -> models.Model | None:
    """The object the key created; None, and the key's row deleted, when it expired or the object was deleted since
    (the key may create again: its row must not stand in the way of the unique constraint)."""
    record = IdempotentWrite.objects.filter(digest=digest).first()
    if record is None:
        return None
    found = None
    if record.created_at >= timezone.now() - KEY_LIFETIME:
        found = apps.get_model(record.model)._default_manager.filter(pk=record.object_pk).first()
    if found is None:
        record.delete()
    return found  # type: ignore[no-any-return]


def once(*, actor: Any, key: str | None, scope: str, write: Callable[[], M]) -> tuple[M, bool]:
    """Run ``write`` (a service call creating one object) once per ``(actor, scope, key)``.

    Return the object and True when this call created it; the object the first call created and False when the
    same person already sent this key for this scope. Without a key, ``write`` runs every time. Errors of ``write``
    (a refusal, a bad input) are raised and record nothing: the request may be sent again with the same key."""
    if key is None:
        return write(), True
    digest = _digest(scope, actor, key)
    found = _first_result(digest)
    if found is not None:
        return found, False  # type: ignore[return-value]
    try:
        with transaction.atomic():
            created = write()
            IdempotentWrite.objects.create(digest=digest, model=created._meta.label, object_pk=str(created.pk))
    except IntegrityError:
        found = _first_result(digest)  # a concurrent request with this key committed first: its result is ours
        if found is None:
            raise
        return found, False  # type: ignore[return-value]
    return created, True


def purge_expired() -> int:
    """Forget the keys older than ``KEY_LIFETIME`` (a scheduled command calls it); the number forgotten."""
    deleted, _rows = IdempotentWrite.objects.filter(created_at__lt=timezone.now() - KEY_LIFETIME).delete()
    return deleted
