"""Granting and revoking verifications. Every act is written to the audit log."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from participe.accounts.models import User, generate_pseudonym
from participe.activity.services import audit, snapshot
from participe.core.sanitize import single_line
from participe.organisation.models import Territory
from participe.permissions.refusals import require
from participe.verifications import census
from participe.verifications.models import CensusImport, CensusRecord, EligibilityRule, Verification

CENSUS_ATTEMPTS_PER_HOUR = 5


def _territory_lookup() -> dict[str, Territory]:
    lookup: dict[str, Territory] = {}
    for territory in Territory.objects.all():
        for key in (territory.code, territory.slug, census.normalise_name(territory.name)):
            if key:
                lookup[key.upper()] = territory
    return lookup


@transaction.atomic
def census_import(
    *, actor: User, filename: str, data: bytes, valid_until: datetime.date | None = None
) -> tuple[CensusImport, list[str]]:
    """Replace the census in force with the rows of a CSV file; returns the import and its row errors."""
    require(actor, "verifications.manage_census")
    parsed = census.parse_csv(data)
    if not parsed.rows:
        raise ValidationError(parsed.errors or [_("Le fichier ne contient aucune ligne exploitable.")])
    lookup = _territory_lookup()
    errors = list(parsed.errors)
    CensusImport.objects.filter(is_active=True).update(is_active=False)
    imported = CensusImport.objects.create(uploaded_by=actor, filename=filename[:255], valid_until=valid_until)
    seen: set[str] = set()
    records = []
    for digest, code in parsed.rows:
        if digest in seen:
            continue
        seen.add(digest)
        territory = lookup.get(code.upper()) if code else None
        if code and territory is None:
            territory = lookup.get(census.normalise_name(code))
        records.append(CensusRecord(census=imported, digest=digest, territory=territory))
    CensusRecord.objects.bulk_create(records, batch_size=2000)
    imported.row_count = len(records)
    imported.rejected_count = len(errors)
    imported.save(update_fields=["row_count", "rejected_count"])
    audit(actor=actor, action="census.import", target=imported, after={"rows": len(records), "rejected": len(errors)})
    return imported, errors


def _attempt_key(user: User) -> str:
    return f"census-attempts:{user.pk}"


@transaction.atomic
def census_verify(*, user: User, last_name: str, first_name: str, birth_date: datetime.date) -> Verification:
    """Grant the census verification when the typed identity matches a record of the census in force."""
    attempts = cache.get(_attempt_key(user), 0)
    if attempts >= CENSUS_ATTEMPTS_PER_HOUR:
        raise PermissionDenied(
            _("Trop d'essais : réessayez dans une heure, ou faites-vous vérifier au guichet de la mairie.")
        )
    digest = census.digest(last_name, first_name, birth_date)
    record = (
        CensusRecord.objects.select_for_update()
        .filter(digest=digest, census__is_active=True)
        .filter(Q(census__valid_until__isnull=True) | Q(census__valid_until__gte=timezone.localdate()))
        .first()
    )
    if record is None:
        cache.set(_attempt_key(user), attempts + 1, 3600)
        raise ValidationError(
            _(
                "Ces informations ne correspondent à aucun habitant recensé. Vérifiez l'orthographe et la date, "
                "ou faites-vous vérifier au guichet."
            )
        )
    if record.used_by_id and record.used_by_id != user.pk:
        raise ValidationError(
            _("Cette identité a déjà servi à vérifier un autre compte. Contactez la mairie si ce n'est pas vous.")
        )
    record.used_by = user
    record.save(update_fields=["used_by"])
    Verification.objects.filter(user=user, handler="census", revoked_at__isnull=True).update(revoked_at=timezone.now())
    verification = Verification.objects.create(
        user=user,
        handler="census",
        territory=record.territory,
        birth_date=birth_date,
        attributes={"census": record.census_id},
        expires_at=_end_of_day(record.census.valid_until),
    )
    if record.territory and user.territory_id is None:
        user.territory = record.territory
        user.save(update_fields=["territory"])
    audit(
        actor=user,
        action="verification.grant",
        target=user,
        after={"handler": "census", "territory": record.territory_id},
    )
    return verification


def _census_record_for(user: User, last_name: str, first_names: str, birth_date: datetime.date) -> CensusRecord | None:
    """The record of the census in force matching the identity (the full first names, then the first one alone: the
    census usually lists one), unless another account already used it."""
    candidates = [first_names, *first_names.split()[:1]]
    digests = list(dict.fromkeys(census.digest(last_name, first, birth_date) for first in candidates if first))
    record = (
        CensusRecord.objects.select_for_update()
        .filter(digest__in=digests, census__is_active=True)
        .filter(Q(census__valid_until__isnull=True) | Q(census__valid_until__gte=timezone.localdate()))
        .select_related("census")
        .first()
    )
    if record is None or (record.used_by_id and record.used_by_id != user.pk):
        return None
    return record


@transaction.atomic
def identity_verify(
    *,
    user: User,
    handler: str,
    last_name: str,
    first_names: str,
    birth_date: datetime.date | None,
    attributes: dict[str, Any],
    expires_at: datetime.datetime | None,
) -> Verification:
    """Grant the verification of an identity an identity provider vouched for (FranceConnect): the birth date gives
    the age; a match in the census in force, by the same keyed hash the census keeps, gives the residence. The
    names are only hashed, never stored. Replaces the user's previous verification by the same handler."""
    record = _census_record_for(user, last_name, first_names, birth_date) if birth_date and last_name else None
    territory = record.territory if record is not None else None
    attributes = dict(attributes)
    if record is not None:
        record.used_by = user
        record.save(update_fields=["used_by"])
        attributes["census"] = record.census_id
        census_end = _end_of_day(record.census.valid_until)
        if census_end is not None and (expires_at is None or census_end < expires_at):
            expires_at = census_end
    Verification.objects.filter(user=user, handler=handler, revoked_at__isnull=True).update(revoked_at=timezone.now())
    verification = Verification.objects.create(
        user=user,
        handler=handler,
        territory=territory,
        birth_date=birth_date,
        attributes=attributes,
        expires_at=expires_at,
    )
    if territory is not None and user.territory_id is None:
        user.territory = territory
        user.save(update_fields=["territory"])
    audit(
        actor=user,
        action="verification.grant",
        target=user,
        after={"handler": handler, "territory": getattr(territory, "pk", None), "census_match": record is not None},
    )
    return verification


def _end_of_day(day: datetime.date | None) -> datetime.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


@transaction.atomic
def counter_verify(
    *,
    agent: User,
    user: User,
    territory: Territory | None,
    birth_date: datetime.date | None,
    note: str = "",
    expires_at: datetime.datetime | None = None,
) -> Verification:
    """An agent confirms a resident's identity and residence in person."""
    require(agent, "verifications.verify_in_person")
    if user.is_deleted:
        raise ValidationError(_("Ce compte a été supprimé."))
    Verification.objects.filter(user=user, handler="counter", revoked_at__isnull=True).update(revoked_at=timezone.now())
    verification = Verification.objects.create(
        user=user,
        handler="counter",
        territory=territory,
        birth_date=birth_date,
        granted_by=agent,
        expires_at=expires_at,
        attributes={"note": note} if note else {},
    )
    if territory and user.territory_id is None:
        user.territory = territory
        user.save(update_fields=["territory"])
    audit(
        actor=agent,
        action="verification.grant",
        target=user,
        after={"handler": "counter", "territory": getattr(territory, "pk", None)},
        reason=note,
    )
    return verification


@transaction.atomic
def managed_account_create(
    *,
    agent: User,
    first_name: str,
    last_name: str,
    territory: Territory | None,
    birth_date: datetime.date | None,
    phone: str = "",
    pseudonym: str = "",
) -> User:
    """Create the account of a resident without email; the agent will participate on their behalf."""
    require(agent, "verifications.create_managed_account")
    user = User.objects.create_user(
        email=None,
        pseudonym=single_line(pseudonym) or generate_pseudonym(),  # no bidirectional controls
        first_name=first_name,
        last_name=last_name,
        territory=territory,
        phone=phone,
        managed_by=agent,
        email_frequency=User.EmailFrequency.NEVER,
    )
    Verification.objects.create(
        user=user, handler="managed", territory=territory, birth_date=birth_date, granted_by=agent
    )
    audit(actor=agent, action="account.create_managed", target=user, after=snapshot(user, ["pseudonym", "territory"]))
    return user


@transaction.atomic
def verification_revoke(*, actor: User, verification: Verification, reason: str = "") -> None:
    """An agent withdraws a verification (a mistake, a resident who moved away)."""
    require(actor, "verifications.verify_in_person")
    verification.revoked_at = timezone.now()
    verification.save(update_fields=["revoked_at"])
    audit(
        actor=actor,
        action="verification.revoke",
        target=verification.user,
        before={"handler": verification.handler},
        reason=reason,
    )


def acting_for_start(*, agent: User, resident: User, session: Any) -> None:
    """The agent starts entering contributions on behalf of a resident (a managed account)."""
    require(agent, "verifications.act_for_resident")
    if resident.managed_by_id is None:
        raise PermissionDenied(_("On ne peut agir que pour le compte d'un habitant sans adresse électronique."))
    session["acting_for"] = resident.pk
    audit(actor=agent, action="acting_for.start", target=resident, on_behalf_of=resident)


def acting_for_stop(*, agent: User, session: Any) -> None:
    resident_pk = session.pop("acting_for", None)
    if resident_pk:
        resident = User.objects.filter(pk=resident_pk).first()
        audit(actor=agent, action="acting_for.stop", target=resident, on_behalf_of=resident)


RULE_FIELDS = ["action", "require_verification", "handlers", "territories", "min_age", "max_age"]


@transaction.atomic
def eligibility_rule_save(*, actor: User, rule: EligibilityRule, data: dict[str, Any]) -> EligibilityRule:
    """Create (``rule.pk`` is None) or update the eligibility rule of one action of a module (the staff of its
    space: ``spaces.change_space``)."""
    require(actor, "spaces.change_space", rule.module.space)
    creating = rule.pk is None
    before = None if creating else snapshot(EligibilityRule.objects.get(pk=rule.pk), RULE_FIELDS)
    territories = data.get("territories")
    for name, value in data.items():
        if name in RULE_FIELDS and name != "territories":
            setattr(rule, name, value)
    if rule.min_age is not None and rule.max_age is not None and rule.max_age < rule.min_age:
        raise ValidationError({"max_age": _("L'âge maximum doit être supérieur ou égal à l'âge minimum.")})
    duplicate = EligibilityRule.objects.filter(module_id=rule.module_id, action=rule.action).exclude(pk=rule.pk)
    if duplicate.exists():
        raise ValidationError({"action": _("Une règle existe déjà pour cette action : modifiez-la.")})
    rule.full_clean(validate_constraints=False)
    rule.save()
    if territories is not None:
        rule.territories.set(territories)
    audit(
        actor=actor,
        action="eligibility.create" if creating else "eligibility.update",
        target=rule.module,
        before=before,
        after=snapshot(rule, RULE_FIELDS),
    )
    return rule


@transaction.atomic
def eligibility_rule_delete(*, actor: User, rule: EligibilityRule) -> None:
    require(actor, "spaces.change_space", rule.module.space)
    audit(actor=actor, action="eligibility.delete", target=rule.module, before=snapshot(rule, RULE_FIELDS))
    rule.delete()


def erase_account_data(user: User) -> None:
    """What verifications hold about a person whose account is deleted: their verifications go, the census rows
    they used are freed (registered with ``accounts.hooks.register_eraser``)."""
    Verification.objects.filter(user=user).delete()
    CensusRecord.objects.filter(used_by=user).update(used_by=None)
