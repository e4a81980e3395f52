"""Evaluating a module's eligibility rule for a user: allowed, or the rule's own reason (with its code)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from participe.core.capabilities import Cap
from participe.permissions.refusals import Reason
from participe.verifications.models import EligibilityRule, Verification

NOT_SIGNED_IN = "not_signed_in"
NOT_VERIFIED = "not_verified"
NOT_ELIGIBLE = "not_eligible"  # another territory, an age out of the rule's bounds, or an age not verified


@dataclass(frozen=True)
class Eligibility:
    allowed: bool
    reason: str = ""
    rule: EligibilityRule | None = None
    code: str = ""

    @property
    def why(self) -> Reason | None:
        """The refusal as the permission layer gives it (a not verified person is shown where to get verified)."""
        if self.allowed:
            return None
        if self.code == NOT_VERIFIED:
            return Reason(
                self.code,
                self.reason,
                action_url=reverse("verifications:index"),
                action_label=_("Vérifier mon lieu de résidence"),
            )
        if self.code == NOT_SIGNED_IN:
            return Reason(self.code, self.reason, action_url=reverse("account_login"), action_label=_("Se connecter"))
        return Reason(self.code or NOT_ELIGIBLE, self.reason)


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
        return Eligibility(False, _("Connectez-vous pour participer."), rule, NOT_SIGNED_IN)
    if not rule.require_verification:
        return Eligibility(True, rule=rule)
    verifications = list(Verification.objects.active().filter(user=user))
    if rule.handlers:
        verifications = [v for v in verifications if v.handler in rule.handlers]
    if not verifications:
        return Eligibility(False, _("Il faut d'abord vérifier votre lieu de résidence."), rule, NOT_VERIFIED)
    verifications = _in_territories(verifications, rule)
    if not verifications:
        return Eligibility(
            False, _("Cette participation est réservée aux habitants d'un autre territoire."), rule, NOT_ELIGIBLE
        )
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
        return Eligibility(False, _("Votre âge n'a pas été vérifié."), rule, NOT_ELIGIBLE)
    age = max(ages)
    if rule.min_age is not None and age < rule.min_age:
        return Eligibility(False, _("Il faut avoir au moins %(age)s ans.") % {"age": rule.min_age}, rule, NOT_ELIGIBLE)
    if rule.max_age is not None and age > rule.max_age:
        return Eligibility(False, _("Il faut avoir au plus %(age)s ans.") % {"age": rule.max_age}, rule, NOT_ELIGIBLE)
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
