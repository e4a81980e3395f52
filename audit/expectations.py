"""Declared outcomes of the authorization matrix, beyond the invariants every URL obeys (see authz.check):
no server error; the back-office behind the login, refused to participants, open to the organisation admin;
private pages (PRIVATE_PREFIXES) behind the login.

EXPECTATIONS: url name -> {role or "*": outcomes allowed}. Parameters are filled from the demo's budget
space (the agent administers it; the moderator moderates another space). An app adds its own in an
optional ``authz_expectations.py`` (``EXPECTATIONS`` and ``PARAMS``: url name -> callable returning the
URL's kwargs, or None to skip it).
"""

from __future__ import annotations

OK = {"ok"}
LOGIN = {"login"}
FORBIDDEN = {"forbidden"}

PRIVATE_PREFIXES = ("/compte/profil/", "/compte/supprimer/", "/compte/email/", "/compte/password/change/",
                    "/compte/2fa/", "/verification/", "/notifications/", "/gestion/")  # fmt: skip

# Not requested: they change the session they are requested with (logging out ends it; starting or stopping to act
# for a resident switches the user it acts as), which would falsify the rows requested after them.
SKIP_NAMES = {"account_logout", "backoffice:acting_start", "backoffice:acting_stop"}

ROLES = ("anonymous", "participant", "verified", "moderator", "agent", "admin")


def _row(*outcomes: str) -> dict[str, set[str]]:
    return {role: {outcome} for role, outcome in zip(ROLES, outcomes, strict=True)}


# The platform core, reviewed against its rules (participe/*/rules.py): the moderator moderates the council,
# not the budget space; the agent administers the budget space and is in a service (counter, census,
# managed accounts); only the organisation admin manages the organisation, territories, themes,
# services, users, the audit log and deletes spaces. "method": the URL only accepts POST.
EXPECTATIONS: dict[str, dict[str, set[str]]] = {
    "home": _row("ok", "ok", "ok", "ok", "ok", "ok"),
    "spaces:list": _row("ok", "ok", "ok", "ok", "ok", "ok"),
    "spaces:detail": _row("ok", "ok", "ok", "ok", "ok", "ok"),
    "spaces:news": _row("ok", "ok", "ok", "ok", "ok", "ok"),
    "spaces:module": _row("ok", "ok", "ok", "ok", "ok", "ok"),
    "account_login": _row("ok", "redirect", "redirect", "redirect", "redirect", "redirect"),
    "account_inactive": _row("ok", "ok", "ok", "ok", "ok", "ok"),
    "account_signup": _row("ok", "redirect", "redirect", "redirect", "redirect", "redirect"),
    "account_reauthenticate": _row("login", "ok", "ok", "ok", "ok", "ok"),
    "account_email": _row("login", "ok", "ok", "ok", "ok", "ok"),
    "account_email_verification_sent": _row("ok", "ok", "ok", "ok", "ok", "ok"),
    "account_change_password": _row("login", "ok", "ok", "ok", "ok", "ok"),
    "account_set_password": _row("login", "redirect", "redirect", "redirect", "redirect", "redirect"),
    "account_reset_password": _row("ok", "ok", "ok", "ok", "ok", "ok"),
    "account_confirm_login_code": _row("login", "redirect", "redirect", "redirect", "redirect", "redirect"),
    "account_confirm_email": _row("ok", "ok", "ok", "ok", "ok", "ok"),
    "account_reset_password_from_key_done": _row("ok", "ok", "ok", "ok", "ok", "ok"),
    "account_reset_password_from_key": _row("ok", "ok", "ok", "ok", "ok", "ok"),
    "account_reset_password_done": _row("ok", "ok", "ok", "ok", "ok", "ok"),
    "mfa_index": _row("login", "ok", "ok", "ok", "ok", "ok"),
    "mfa_authenticate": _row("login", "redirect", "redirect", "redirect", "redirect", "redirect"),
    "mfa_reauthenticate": _row("login", "redirect", "redirect", "ok", "ok", "ok"),
    "mfa_activate_totp": _row("login", "redirect", "redirect", "redirect", "redirect", "redirect"),
    "mfa_deactivate_totp": _row("login", "notfound", "notfound", "redirect", "redirect", "redirect"),
    "mfa_view_recovery_codes": _row("login", "notfound", "notfound", "notfound", "notfound", "notfound"),
    "mfa_generate_recovery_codes": _row("login", "redirect", "redirect", "redirect", "redirect", "redirect"),
    "mfa_download_recovery_codes": _row("login", "notfound", "notfound", "notfound", "notfound", "notfound"),
    "accounts:profile": _row("login", "ok", "ok", "ok", "ok", "ok"),
    "accounts:delete": _row("login", "ok", "ok", "ok", "ok", "ok"),
    "verifications:index": _row("login", "ok", "ok", "ok", "ok", "ok"),
    "verifications:census": _row("login", "ok", "ok", "ok", "ok", "ok"),
    "backoffice:dashboard": _row("login", "forbidden", "forbidden", "ok", "ok", "ok"),
    "backoffice:organisation": _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:territories": _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:territory_create": _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:territory_edit": _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:territory_delete": _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:themes": _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:theme_create": _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:theme_edit": _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:theme_move": _row("login", "forbidden", "forbidden", "method", "method", "method"),
    "backoffice:theme_delete": _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:departments": _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:department_create": _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:department_edit": _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:department_member_add": _row("login", "forbidden", "forbidden", "method", "method", "method"),
    "backoffice:department_member_remove": _row("login", "forbidden", "forbidden", "method", "method", "method"),
    "backoffice:department_delete": _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:spaces": _row("login", "forbidden", "forbidden", "ok", "ok", "ok"),
    "backoffice:space_create": _row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:space_detail": _row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:space_edit": _row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:space_status": _row("login", "forbidden", "forbidden", "method", "method", "method"),
    "backoffice:space_delete": _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:module_create": _row("login", "forbidden", "forbidden", "method", "method", "method"),
    "backoffice:module_edit": _row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:module_settings": _row("login", "forbidden", "forbidden", "method", "method", "method"),
    "backoffice:module_delete": _row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:phase_create": _row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:phase_edit": _row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:phase_delete": _row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:rule_create": _row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:rule_edit": _row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:rule_delete": _row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:document_delete": _row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:members": _row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:member_add": _row("login", "forbidden", "forbidden", "method", "method", "method"),
    "backoffice:member_remove": _row("login", "forbidden", "forbidden", "method", "method", "method"),
    "backoffice:documents": _row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:news": _row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:news_create": _row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:news_edit": _row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:news_delete": _row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:users": _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:user_detail": _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:user_org_admin": _row("login", "forbidden", "forbidden", "method", "method", "method"),
    "backoffice:census": _row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:counter": _row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:counter_verify": _row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:verification_revoke": _row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:managed_accounts": _row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:managed_create": _row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:audit": _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:audit_detail": _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "api:openapi-json": _row("ok", "ok", "ok", "ok", "ok", "ok"),
    "api:openapi-view": _row("ok", "ok", "ok", "ok", "ok", "ok"),
    "api:organisation_detail": _row("ok", "ok", "ok", "ok", "ok", "ok"),
    "api:territory_list": _row("ok", "ok", "ok", "ok", "ok", "ok"),
    "api:theme_list": _row("ok", "ok", "ok", "ok", "ok", "ok"),
    "api:space_list": _row("ok", "ok", "ok", "ok", "ok", "ok"),
    "api:space_detail": _row("ok", "ok", "ok", "ok", "ok", "ok"),
    "api:module_list": _row("ok", "ok", "ok", "ok", "ok", "ok"),
    "api:phase_list": _row("ok", "ok", "ok", "ok", "ok", "ok"),
    "api:api-root": _row("notfound", "notfound", "notfound", "notfound", "notfound", "notfound"),  # no index page
    "set_language": _row(
        "redirect", "redirect", "redirect", "redirect", "redirect", "redirect"
    ),  # POST form; GET goes back
    "legal_notice": _row("ok", "ok", "ok", "ok", "ok", "ok"),
    "privacy": _row("ok", "ok", "ok", "ok", "ok", "ok"),
    "accessibility": _row("ok", "ok", "ok", "ok", "ok", "ok"),
    "sitemap": _row("ok", "ok", "ok", "ok", "ok", "ok"),
    "theme_css": _row("ok", "ok", "ok", "ok", "ok", "ok"),
}
