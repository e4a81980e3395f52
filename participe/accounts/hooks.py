"""What the apps above accounts plug into them (registered in their ``AppConfig.ready()``, decision 0012).

Accounts are at the base of the platform: every app points to a user, and accounts import none of them. An app
that holds personal data about a person registers an *eraser*, run when the account is deleted; an app that
shows the person something of theirs on "Mon compte" registers a *section* of that page; an app that holds data
about a person registers a *personal data provider*, read by « Mes données » (decision 0035; modules declare theirs in
their manifest instead); an app that signed the person in elsewhere (an identity provider) registers a *logout
redirect*, the address that signs them out there too (decision 0038).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

if TYPE_CHECKING:
    from participe.accounts.models import User

Eraser = Callable[["User"], None]
PersonalData = Callable[["User"], dict[str, list[dict[str, Any]]]]


@dataclass(frozen=True)
class AccountSection:
    """A section of "Mon compte": ``template`` is included with ``data``, the result of ``context(request)``."""

    key: str
    template: str
    context: Callable[[HttpRequest], dict[str, Any]]


_erasers: dict[str, Eraser] = {}
_sections: dict[str, AccountSection] = {}
_personal_data: dict[str, PersonalData] = {}
_logout_redirects: dict[str, Callable[[HttpRequest], str | None]] = {}


def register_eraser(key: str, eraser: Eraser) -> None:
    """``eraser(user)`` removes what an app holds about ``user`` when the account is deleted (inside the deleting
    transaction; the account's own fields, emails, MFA devices and sessions are the deleting service's)."""
    _erasers[key] = eraser


def erasers() -> list[Eraser]:
    """The registered erasers, in the order of registration (the order of ``INSTALLED_APPS``)."""
    return list(_erasers.values())


def register_section(key: str, template: str, context: Callable[[HttpRequest], dict[str, Any]]) -> None:
    """Show ``template`` on "Mon compte", above the profile form, with ``data=context(request)``."""
    _sections[key] = AccountSection(key=key, template=template, context=context)


def sections(request: HttpRequest) -> list[tuple[str, dict[str, Any]]]:
    """(template, data) of each registered section for the signed-in ``request.user``."""
    return [(section.template, section.context(request)) for section in _sections.values()]


def register_personal_data(key: str, provider: PersonalData) -> None:
    """``provider(user)`` returns the named tables of what the app ``key`` holds about ``user`` (rows of JSON values,
    ``participe.core.personal_data.rows``), for the person's own download: never a hashed census value, never
    something anonymous (decision 0035)."""
    _personal_data[key] = provider


def personal_data_providers() -> dict[str, PersonalData]:
    """The registered providers by app, in the order of registration (the order of ``INSTALLED_APPS``)."""
    return dict(_personal_data)


def register_logout_redirect(key: str, redirect: Callable[[HttpRequest], str | None]) -> None:
    """``redirect(request)``, asked while the person is still signed in, returns where the browser goes once signed
    out here (an identity provider's end of session), or None."""
    _logout_redirects[key] = redirect


def logout_redirect(request: HttpRequest) -> str | None:
    """The first address a registered logout redirect gives for ``request``, or None."""
    for redirect in _logout_redirects.values():
        url = redirect(request)
        if url:
            return url
    return None
