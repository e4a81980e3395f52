"""Casting a ballot online: the émargement and the staged ballot in one transaction, then the mixer.

Order inside the transaction: the election's row is locked in share mode (``FOR KEY SHARE``: casts do not wait for
each other, the closing waits for the casts in flight and they for it), its state read again, the voter's permission
checked (phase, eligibility, not voted yet), the émargement and its keys written (the unique key per election refuses
a second émargement whatever the channel, even from a concurrent request), the ballot staged, the act audited. After
commit, the mixer moves waiting ballots into the box once enough wait (``participe.anonymity.mixing``).

Receipts: ``HMAC(secret, election | voter | idempotency key)``, 60 bits in Crockford's base 32. The server stores it
only in the ballot; a repeated request with the same idempotency key (the web form's one-time token, the API's
``Idempotency-Key`` header) finds its ballot by that code and answers with the first result, without storing anything
that links the voter to the receipt. Nobody can recompute a receipt without the idempotency key, which is never
stored.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from participe.activity.services import audit, unsaved_entry
from participe.anonymity import mixing
from participe.ballots import box, context, identity, schemas, selectors
from participe.ballots.models import Ballot, Channel, Election, Kind, RollEntry, RollKey, StagedBallot
from participe.ballots.rules import voted_reason
from participe.core import idempotency
from participe.permissions.refusals import Reason, Refused, require
from participe.verifications.models import Verification

logger = logging.getLogger(__name__)

IDEMPOTENCY_KEY_MIN_LENGTH = idempotency.KEY_MIN_LENGTH
IDEMPOTENCY_KEY_MAX_LENGTH = idempotency.KEY_MAX_LENGTH


@dataclass(frozen=True)
class Cast:
    """What the voter is told: the receipt code, the day, and whether this answer repeats the first one."""

    receipt: str
    day: datetime.date
    replayed: bool = False


def _receipt_secret() -> bytes:
    return hashlib.sha256(f"ballots-receipt:{settings.SECRET_KEY}".encode()).digest()


def receipt_for(election: Election, voter: Any, idempotency_key: str) -> str:
    """The receipt code of the ballot ``voter`` casts in ``election`` with ``idempotency_key`` (12 characters)."""
    message = f"{election.pk}:{voter.pk}:{idempotency_key}".encode()
    number = int.from_bytes(hmac.new(_receipt_secret(), message, hashlib.sha256).digest()[:8], "big") >> 4
    code = "".join(selectors.RECEIPT_ALPHABET[(number >> (5 * i)) & 31] for i in range(11, -1, -1))
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def check_idempotency_key(key: str | None) -> str:
    """The key, or a fresh random one when none was given; ``ValidationError`` for a key too short to be secret.

    The platform's one design of keys (``participe.core.idempotency``); a ballot keeps its own storage of the first
    result, the receipt, so that nothing links the voter to the ballot."""
    return idempotency.check_key(key) or secrets.token_urlsafe(24)


def checked_content(election: Election, content: Any, *, blank: bool = False) -> tuple[str, dict[str, Any]]:
    """The ballot's kind and its content as the election's schema normalises it (``ValidationError`` per field)."""
    if blank:
        if not election.allow_blank:
            raise ValidationError({"blank": _("Le vote blanc n'est pas prévu pour ce scrutin.")})
        return Kind.BLANK, {}
    return Kind.VALID, schemas.get(election.schema).validate(election, content)


def _replayed(election: Election, receipt: str) -> Cast | None:
    """The first answer to a repeated request: its ballot, staged or in the box, carries the same receipt."""
    if StagedBallot.objects.filter(election=election, receipt=receipt).exists():
        return Cast(receipt=receipt, day=timezone.localdate(), replayed=True)
    ballot = Ballot.objects.filter(receipt=receipt, election=election).only("day").first()
    return Cast(receipt=receipt, day=ballot.day, replayed=True) if ballot is not None else None


def lock_for_casting(election: Election) -> None:
    """Lock the election's row in share mode (PostgreSQL; SQLite has one writer) and read again its state and what
    the checks read about its module — its phases, eligibility rules and territories, kept by the process while the
    fingerprint this same statement reads is unchanged (``participe.ballots.context``)."""
    table = Election._meta.db_table
    lock = " FOR KEY SHARE" if connection.vendor == "postgresql" else ""
    sql = f"SELECT status, {context.fingerprint_sql(table)} FROM {table} WHERE id = %s{lock}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [election.pk])
        row = cursor.fetchone()
    if row is None:
        raise Election.DoesNotExist
    election.status = row[0]
    context.apply(election.module, row[1] or "")


def _territory_of(voter: Any) -> int | None:
    """The voter's quartier for results per territory: the territory of their verification, else their own."""
    verified = (
        Verification.objects.active().filter(user=voter, territory__isnull=False).values_list("territory", flat=True)
    )
    return next(iter(verified), None) or getattr(voter, "territory_id", None)


def ballot_cast(
    *,
    actor: Any,
    election: Election,
    content: Any,
    blank: bool = False,
    idempotency_key: str | None = None,
    email_receipt: bool = False,
) -> Cast:
    """Cast ``actor``'s online ballot in ``election``; returns the receipt.

    Refused (``Refused``, with its reasons) when the actor may not vote now or already voted (the reason says by
    which channel); ``ValidationError`` with a message per field when the content breaks the schema. Nothing is
    written in either case. A repeated request with the same idempotency key returns the first result: the voter's
    keys are already in the roll, and the ballot with the same receipt is found."""
    actor = getattr(actor, "_wrapped", actor)  # the request's lazy user: one object, one cache of its keys
    key = check_idempotency_key(idempotency_key)
    receipt = receipt_for(election, actor, key) if getattr(actor, "pk", None) else ""
    kind, content = checked_content(election, content, blank=blank)
    try:
        with transaction.atomic():
            lock_for_casting(election)
            require(actor, "ballots.cast_ballot", election)
            waiting = _write(actor, election, kind, content, receipt)
            if waiting >= election.batch_size:
                transaction.on_commit(partial(mix_waiting, election.pk, election.batch_size))
            if email_receipt and actor.email:
                transaction.on_commit(partial(_send_receipt, actor.email, election.pk, receipt))
    except IntegrityError:
        return _after_conflict(actor, election, receipt)
    finally:
        context.release(election.module)
    return Cast(receipt=receipt, day=timezone.localdate())


def _write(actor: Any, election: Election, kind: str, content: dict[str, Any], receipt: str) -> int:
    """The émargement, its keys (unique per election: a second one fails here, whatever the channel), the staged
    ballot, the audit entry — in the caller's transaction. Returns how many ballots wait to be mixed."""
    staged = {
        "election": election,
        "content": content,
        "kind": kind,
        "channel": Channel.ONLINE,
        "territory_id": _territory_of(actor) if election.territory_results else None,
        "receipt": receipt,
    }
    if connection.vendor == "postgresql":
        return _write_in_one_statement(actor, election, staged)
    entry = RollEntry.objects.create(election=election, voter=actor, channel=Channel.ONLINE)
    RollKey.objects.bulk_create([RollKey(election=election, key=k, entry=entry) for k in identity.user_keys(actor)])
    waiting = mixing.stage(box.BALLOTS, **staged)
    audit(actor=actor, action="ballot.cast", target=election, after={"channel": Channel.ONLINE})
    return waiting


def _insert(instance: Any) -> tuple[str, list[Any]]:
    """The ``INSERT`` of an unsaved row (its automatic id left to the database) and its parameters."""
    qn = connection.ops.quote_name
    fields = [f for f in instance._meta.concrete_fields if not f.primary_key]
    values = [f.get_db_prep_save(f.pre_save(instance, add=True), connection) for f in fields]
    columns = ", ".join(qn(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {qn(instance._meta.db_table)} ({columns}) VALUES ({marks})", values  # noqa: S608


def _write_in_one_statement(actor: Any, election: Election, staged: dict[str, Any]) -> int:
    """``_write`` on PostgreSQL, in one statement (a data-modifying ``WITH``): the émargement, its keys (the account's,
    and the census records it used, read by the statement), the staged ballot, the audit entry. A second émargement
    of the same person fails on the keys' unique constraint as before, and nothing of the statement is written."""
    entry_sql, entry_params = _insert(RollEntry(election=election, voter=actor, channel=Channel.ONLINE))
    staged_sql, staged_params = mixing.staging_insert(box.BALLOTS, **staged)
    audit_sql, audit_params = _insert(
        unsaved_entry(actor=actor, action="ballot.cast", target=election, after={"channel": Channel.ONLINE})
    )
    count_sql, count_params = mixing.waiting_after_insert(box.BALLOTS, election.pk)
    key_table = connection.ops.quote_name(RollKey._meta.db_table)
    # Table and column names from the models' metadata; every value is a parameter.
    sql = (
        f"WITH entry AS ({entry_sql} RETURNING id), "  # noqa: S608
        f"keys AS (INSERT INTO {key_table} (election_id, key, entry_id) "
        f"SELECT %s, k.key, entry.id FROM entry, "
        f"(SELECT unnest(%s::text[]) AS key UNION {identity.CENSUS_KEYS_SQL}) AS k), "
        f"staged AS ({staged_sql}), audited AS ({audit_sql}) {count_sql}"
    )
    params = [
        *entry_params,
        election.pk,
        identity.user_keys_but_census(actor),
        actor.pk,
        *staged_params,
        *audit_params,
        *count_params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])


def _after_conflict(actor: Any, election: Election, receipt: str) -> Cast:
    """A voter whose keys are already in the roll: the same request sent again (its ballot carries the same receipt:
    the first answer is repeated), or another one (refused, saying by which channel)."""
    replay = _replayed(election, receipt)
    if replay is not None:
        return replay
    selectors.forget_roll_cache(actor)
    entry = selectors.roll_entry_of(actor, election)
    raise Refused(voted_reason(entry) if entry is not None else Reason("already_voted", _("Vous avez déjà voté.")))


def mix_waiting(election_id: int, batch_size: int) -> int:
    """Move the election's waiting ballots into the box once a batch of ``batch_size`` is complete (the closing
    moves the rest: ``participe.ballots.services.elections``).

    Runs after a cast that saw enough ballots waiting committed (concurrent casts may each see one too few: the next
    cast then triggers it); a failure is logged and the next cast mixes again: the ballot is safe in the staging table
    either way."""
    try:
        spec = box.spec(max(batch_size, 1))
        moved = mixing.mix(spec, election_id)  # nothing when fewer than the batch wait, or another mixer holds them
        if moved:
            mixing.purge(spec)
        return moved
    except Exception:  # the vote is recorded; mixing is retried by the next cast and at closing
        logger.exception("mixing the ballots of election %s failed", election_id)
        return 0


def _send_receipt(email: str, election_id: int, receipt: str) -> None:
    """The receipt by email, sent at once (never queued in the database, where it would sit beside the address)."""
    election = Election.objects.select_related("module__space").get(pk=election_id)
    url = settings.SITE_URL + reverse("ballots:receipt", kwargs={"pk": election.pk})
    body = _(
        "Votre vote au scrutin « %(title)s » est enregistré.\n\nVotre code de reçu : %(receipt)s\n\n"
        "Après le dépouillement, vous pourrez vérifier que votre bulletin est dans l'urne : %(url)s\n\n"
        "Ce courriel ne dit pas pour qui ou pour quoi vous avez voté. Gardez ce code pour vous."
    ) % {"title": election.title, "receipt": receipt, "url": url}
    try:
        send_mail(_("Votre reçu de vote"), body, None, [email])
    except Exception:  # the vote is recorded and the code was shown on screen
        logger.exception("the receipt email of election %s could not be sent", election_id)
