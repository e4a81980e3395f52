"""Evaluating a module's eligibility rule for a user: allowed, or the rule's own reason (with its code)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import connections, router
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from participe.core.capabilities import Cap
from participe.organisation.models import descendant_ids_of
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


def rules_of(module: Any) -> dict[str, EligibilityRule]:
    """The module's eligibility rules by action, with their territories (read once per module object)."""
    cache = module.__dict__.get("_eligibility_rules")
    if cache is None:
        cache = {r.action: r for r in EligibilityRule.objects.filter(module=module).prefetch_related("territories")}
        module.__dict__["_eligibility_rules"] = cache
    return cache  # type: ignore[no-any-return]


def use_rules(module: Any, rules: dict[str, EligibilityRule] | None) -> None:
    """Give ``module`` its rules as ``rules_of`` returns them, read by the caller (who answers for their freshness:
    the ballot service keeps them while the database's fingerprint of them is unchanged); None: read them again."""
    if rules is None:
        module.__dict__.pop("_eligibility_rules", None)
    else:
        module.__dict__["_eligibility_rules"] = rules


def rule_for(module: Any, action: Cap) -> EligibilityRule | None:
    return rules_of(module).get(str(action))


def territory_ids(rule: EligibilityRule) -> frozenset[int]:
    """The territories the rule admits, each with everything under it (empty: all), from one read of the tree; kept on
    the rule object."""
    known = rule.__dict__.get("_territory_ids")
    if known is None:
        roots = [t.pk for t in rule.territories.all()]
        known = frozenset(descendant_ids_of(roots)) if roots else frozenset()
        rule.__dict__["_territory_ids"] = known
    return known  # type: ignore[no-any-return]


_MARK_USER = -8_128_256  # markers located in the compiled statement's parameters
_MARK_NOW = datetime.datetime(1901, 2, 3, 4, 5, 6, tzinfo=datetime.UTC)
_active_sql: dict[str, tuple[str, list[Any]]] = {}


def active_verifications(user: Any) -> list[Verification]:
    """``Verification.objects.active().filter(user=user)``: every participation's check reads it, so its statement is
    compiled once per process and database (the ORM's compiling cost more than the query) and run with the user's id
    and the time now."""
    alias = router.db_for_read(Verification)
    compiled = _active_sql.get(alias)
    if compiled is None:
        query = Verification.objects.using(alias).active(_MARK_NOW).filter(user_id=_MARK_USER).query
        compiled = query.get_compiler(alias).as_sql()
        _active_sql[alias] = compiled = (compiled[0], list(compiled[1]))
    sql, template = compiled
    now = Verification._meta.get_field("expires_at").get_db_prep_value(timezone.now(), connections[alias])
    mark_now = Verification._meta.get_field("expires_at").get_db_prep_value(_MARK_NOW, connections[alias])
    params = [user.pk if p == _MARK_USER else now if p == mark_now else p for p in template]
    return list(Verification.objects.db_manager(alias).raw(sql, params))


def check_eligibility(user: Any, module: Any, action: Cap) -> Eligibility:
    """May ``user`` perform ``action`` in ``module``, as far as its eligibility rule goes?"""
    rule = rule_for(module, action)
    if rule is None:
        return Eligibility(True)
    if not user or not user.is_authenticated:
        return Eligibility(False, _("Connectez-vous pour participer."), rule, NOT_SIGNED_IN)
    if not rule.require_verification:
        return Eligibility(True, rule=rule)
    verifications = active_verifications(user)
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
    allowed = territory_ids(rule)
    if not allowed:
        return verifications
    return [v for v in verifications if v.territory_id in allowed]


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
    allowed = territory_ids(rule)
    if allowed and getattr(territory, "pk", None) not in allowed:
        return Eligibility(False, _("Cette participation est réservée aux habitants d'un autre territoire."), rule)
    if rule.min_age is None and rule.max_age is None:
        return Eligibility(True, rule=rule)
    if birth_date is None:
        return Eligibility(False, _("Votre âge n'a pas été vérifié."), rule)
    return _check_age([Verification(birth_date=birth_date)], rule)
