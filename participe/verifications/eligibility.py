"""Evaluating a module's eligibility rule for a user."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from participe.core.capabilities import Cap
from participe.verifications.models import EligibilityRule, Verification


@dataclass(frozen=True)
class Eligibility:
    allowed: bool
    reason: str = ""
    rule: EligibilityRule | None = None


def rule_for(module: Any, action: Cap) -> EligibilityRule | None:
    cache = module.__dict__.setdefault("_eligibility_rules", None)
    if cache is None:
        cache = {r.action: r for r in EligibilityRule.objects.filter(module=module).prefetch_related("territories")}
        module.__dict__["_eligibility_rules"] = cache
    return cache.get(str(action))  # type: ignore[no-any-return]


def check_eligibility(user: Any, module: Any, action: Cap) -> Eligibility:
    """May ``user`` perform ``action`` in ``module``, as far as its eligibility rule goes?"""
    rule = rule_for(module, action)
    if rule is None:
        return Eligibility(True)
    if not user or not user.is_authenticated:
        return Eligibility(False, _("Connectez-vous pour participer."), rule)
    if not rule.require_verification:
        return Eligibility(True, rule=rule)
    verifications = list(Verification.objects.active().filter(user=user))
    if rule.handlers:
        verifications = [v for v in verifications if v.handler in rule.handlers]
    if not verifications:
        return Eligibility(False, _("Il faut d'abord vérifier votre lieu de résidence."), rule)
    verifications = _in_territories(verifications, rule)
    if not verifications:
        return Eligibility(False, _("Cette participation est réservée aux habitants d'un autre territoire."), rule)
    return _check_age(verifications, rule)


def _in_territories(verifications: list[Verification], rule: EligibilityRule) -> list[Verification]:
    territory_ids: set[int] = set()
    for territory in rule.territories.all():
        territory_ids |= territory.descendant_ids()
    if not territory_ids:
        return verifications
    return [v for v in verifications if v.territory_id in territory_ids]


def _check_age(verifications: list[Verification], rule: EligibilityRule) -> Eligibility:
    if rule.min_age is None and rule.max_age is None:
        return Eligibility(True, rule=rule)
    ages = [a for a in (v.age() for v in verifications) if a is not None]
    if not ages:
        return Eligibility(False, _("Votre âge n'a pas été vérifié."), rule)
    age = max(ages)
    if rule.min_age is not None and age < rule.min_age:
        return Eligibility(False, _("Il faut avoir au moins %(age)s ans.") % {"age": rule.min_age}, rule)
    if rule.max_age is not None and age > rule.max_age:
        return Eligibility(False, _("Il faut avoir au plus %(age)s ans.") % {"age": rule.max_age}, rule)
    return Eligibility(True, rule=rule)


def check_person(
    module: Any, action: Cap, *, handler: str, territory: Any, birth_date: datetime.date | None
) -> Eligibility:
    """The eligibility rule applied to a person without an account, whose identity was checked otherwise (found in
    the census, or by an agent on documents: ``handler`` "census" or "counter"), living in ``territory``."""
    rule = rule_for(module, action)
    if rule is None:
        return Eligibility(True)
    if rule.handlers and handler not in rule.handlers:
        return Eligibility(False, _("Cette méthode de vérification n'est pas acceptée pour cette participation."), rule)
    territory_ids: set[int] = set()
    for allowed in rule.territories.all():
        territory_ids |= allowed.descendant_ids()
    if territory_ids and getattr(territory, "pk", None) not in territory_ids:
        return Eligibility(False, _("Cette participation est réservée aux habitants d'un autre territoire."), rule)
    if rule.min_age is None and rule.max_age is None:
        return Eligibility(True, rule=rule)
    if birth_date is None:
        return Eligibility(False, _("Votre âge n'a pas été vérifié."), rule)
    return _check_age([Verification(birth_date=birth_date)], rule)
