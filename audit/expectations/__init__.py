"""Declared outcomes of the authorization matrix, beyond the invariants every URL obeys (see authz.check):
no server error; the back-office behind the login, refused to participants, open to the organisation admin;
private pages (PRIVATE_PREFIXES) behind the login.

EXPECTATIONS: url name -> {role or "*": outcomes allowed}. Parameters are filled from the demo's budget
space (the agent administers it; the moderator moderates another space). Each platform app adds its own in
``audit/expectations/<app>.py``, each module in the module its manifest names (``authz_expectations``):
``EXPECTATIONS`` and ``PARAMS`` (url name -> callable returning the URL's kwargs, or None to skip it).
"""

from __future__ import annotations

OK = {"ok"}
LOGIN = {"login"}
FORBIDDEN = {"forbidden"}

PRIVATE_PREFIXES = ("/compte/profil/", "/compte/supprimer/", "/compte/mes-donnees/", "/compte/email/", "/compte/password/change/",
                    "/compte/2fa/", "/verification/", "/notifications/", "/gestion/")  # fmt: skip

# The organisation administrator in a session that passed only the password ("staff_nomfa", audit/authz.py) gets
# what the participant gets, but for the URLs where what each account owns differs (karim's draft, comment, file: the
# administrator is then like any other resident; each app and module declares its own ``STAFF_NOMFA``): url name ->
# outcomes allowed. The administrator has an authenticator, which karim has not.
STAFF_NOMFA: dict[str, set[str]] = {
    "mfa_reauthenticate": {"ok"},
    "mfa_deactivate_totp": {"redirect"},
}

# Not requested: they change the session they are requested with (logging out ends it; starting or stopping to act
# for a resident switches the user it acts as), which would falsify the rows requested after them.
SKIP_NAMES = {"account_logout", "backoffice:acting_start", "backoffice:acting_stop"}

ROLES = ("anonymous", "participant", "verified", "moderator", "agent", "admin")


def row(*outcomes: str | set[str]) -> dict[str, set[str]]:
    """The outcomes allowed for each role, in ROLES order (one outcome, or a set of them)."""
    return {role: {o} if isinstance(o, str) else o for role, o in zip(ROLES, outcomes, strict=True)}


# The platform core, reviewed against its rules (participe/*/rules.py): the moderator moderates the council,
# not the budget space; the agent administers the budget space and is in a service (counter, census,
# managed accounts); only the organisation admin manages the organisation, territories, themes,
# services, users, the audit log and deletes spaces. "method": the URL only accepts POST.
EXPECTATIONS: dict[str, dict[str, set[str]]] = {
    "home": row("ok", "ok", "ok", "ok", "ok", "ok"),
    "spaces:list": row("ok", "ok", "ok", "ok", "ok", "ok"),
    "spaces:detail": row("ok", "ok", "ok", "ok", "ok", "ok"),
    "spaces:news": row("ok", "ok", "ok", "ok", "ok", "ok"),
    "spaces:module": row("ok", "ok", "ok", "ok", "ok", "ok"),
    "account_login": row("ok", "redirect", "redirect", "redirect", "redirect", "redirect"),
    "account_inactive": row("ok", "ok", "ok", "ok", "ok", "ok"),
    "account_signup": row("ok", "redirect", "redirect", "redirect", "redirect", "redirect"),
    "account_reauthenticate": row("login", "ok", "ok", "ok", "ok", "ok"),
    "account_email": row("login", "ok", "ok", "ok", "ok", "ok"),
    "account_email_verification_sent": row("ok", "ok", "ok", "ok", "ok", "ok"),
    "account_change_password": row("login", "ok", "ok", "ok", "ok", "ok"),
    "account_set_password": row("login", "redirect", "redirect", "redirect", "redirect", "redirect"),
    "account_reset_password": row("ok", "ok", "ok", "ok", "ok", "ok"),
    "account_confirm_login_code": row("login", "redirect", "redirect", "redirect", "redirect", "redirect"),
    "account_confirm_email": row("ok", "ok", "ok", "ok", "ok", "ok"),
    "account_reset_password_from_key_done": row("ok", "ok", "ok", "ok", "ok", "ok"),
    "account_reset_password_from_key": row("ok", "ok", "ok", "ok", "ok", "ok"),
    "account_reset_password_done": row("ok", "ok", "ok", "ok", "ok", "ok"),
    "mfa_index": row("login", "ok", "ok", "ok", "ok", "ok"),
    "mfa_authenticate": row("login", "redirect", "redirect", "redirect", "redirect", "redirect"),
    "mfa_reauthenticate": row("login", "redirect", "redirect", "ok", "ok", "ok"),
    "mfa_activate_totp": row("login", "redirect", "redirect", "redirect", "redirect", "redirect"),
    "mfa_deactivate_totp": row("login", "notfound", "notfound", "redirect", "redirect", "redirect"),
    "mfa_view_recovery_codes": row("login", "notfound", "notfound", "notfound", "notfound", "notfound"),
    "mfa_generate_recovery_codes": row("login", "redirect", "redirect", "redirect", "redirect", "redirect"),
    "mfa_download_recovery_codes": row("login", "notfound", "notfound", "notfound", "notfound", "notfound"),
    "accounts:profile": row("login", "ok", "ok", "ok", "ok", "ok"),
    "accounts:delete": row("login", "ok", "ok", "ok", "ok", "ok"),
    "verifications:index": row("login", "ok", "ok", "ok", "ok", "ok"),
    "verifications:census": row("login", "ok", "ok", "ok", "ok", "ok"),
    "backoffice:dashboard": row("login", "forbidden", "forbidden", "ok", "ok", "ok"),
    "backoffice:organisation": row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:territories": row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:territory_create": row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:territory_edit": row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:territory_delete": row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:themes": row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:theme_create": row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:theme_edit": row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:theme_move": row("login", "forbidden", "forbidden", "method", "method", "method"),
    "backoffice:theme_delete": row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:departments": row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:department_create": row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:department_edit": row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:department_member_add": row("login", "forbidden", "forbidden", "method", "method", "method"),
    "backoffice:department_member_remove": row("login", "forbidden", "forbidden", "method", "method", "method"),
    "backoffice:department_delete": row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:spaces": row("login", "forbidden", "forbidden", "ok", "ok", "ok"),
    "backoffice:space_create": row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:space_detail": row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:space_edit": row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:space_status": row("login", "forbidden", "forbidden", "method", "method", "method"),
    "backoffice:space_delete": row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:module_create": row("login", "forbidden", "forbidden", "method", "method", "method"),
    "backoffice:module_edit": row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:module_settings": row("login", "forbidden", "forbidden", "method", "method", "method"),
    "backoffice:module_delete": row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:phase_create": row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:phase_edit": row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:phase_delete": row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:rule_create": row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:rule_edit": row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:rule_delete": row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:document_delete": row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:members": row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:member_add": row("login", "forbidden", "forbidden", "method", "method", "method"),
    "backoffice:member_remove": row("login", "forbidden", "forbidden", "method", "method", "method"),
    "backoffice:documents": row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:news": row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:news_create": row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:news_edit": row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:news_delete": row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:users": row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:user_detail": row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:user_org_admin": row("login", "forbidden", "forbidden", "method", "method", "method"),
    "backoffice:census": row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:counter": row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:counter_verify": row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:verification_revoke": row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:managed_accounts": row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:managed_create": row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:audit": row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:audit_detail": row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "api:module_statistics": row("ok", "ok", "ok", "ok", "ok", "ok"),
    "api:openapi-json": row("ok", "ok", "ok", "ok", "ok", "ok"),
    "api:openapi-view": row("ok", "ok", "ok", "ok", "ok", "ok"),
    "api:organisation_detail": row("ok", "ok", "ok", "ok", "ok", "ok"),
    "api:territory_list": row("ok", "ok", "ok", "ok", "ok", "ok"),
    "api:theme_list": row("ok", "ok", "ok", "ok", "ok", "ok"),
    "api:space_list": row("ok", "ok", "ok", "ok", "ok", "ok"),
    "api:space_detail": row("ok", "ok", "ok", "ok", "ok", "ok"),
    "api:module_list": row("ok", "ok", "ok", "ok", "ok", "ok"),
    "api:phase_list": row("ok", "ok", "ok", "ok", "ok", "ok"),
    "api:api-root": row("notfound", "notfound", "notfound", "notfound", "notfound", "notfound"),  # no index page
    "set_language": row(
        "redirect", "redirect", "redirect", "redirect", "redirect", "redirect"
    ),  # POST form; GET goes back
    "legal_notice": row("ok", "ok", "ok", "ok", "ok", "ok"),
    "privacy": row("ok", "ok", "ok", "ok", "ok", "ok"),
    "accessibility": row("ok", "ok", "ok", "ok", "ok", "ok"),
    "sitemap": row("ok", "ok", "ok", "ok", "ok", "ok"),
    "theme_css": row("ok", "ok", "ok", "ok", "ok", "ok"),
}
