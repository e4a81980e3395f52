"""The identity providers this install may sign people in with, read from settings (docs/identity.md).

``franceconnect`` for residents (an identity of eIDAS level « faible », which is also a verification), ``proconnect``
for agents (matched to an existing staff account by email). A provider is on when its issuer, client id and secret
are all configured; otherwise it is absent and no button shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

FRANCECONNECT = "franceconnect"
PROCONNECT = "proconnect"

NAMES = {FRANCECONNECT: "FranceConnect", PROCONNECT: "ProConnect"}
ABOUT_URLS = {FRANCECONNECT: "https://franceconnect.gouv.fr/", PROCONNECT: "https://www.proconnect.gouv.fr/"}
AUDIENCES: dict[str, str | Promise] = {
    FRANCECONNECT: _("Pour les habitants : avec un compte des impôts, de l'Assurance maladie, de La Poste…"),
    PROCONNECT: _("Pour les agents de la collectivité qui ont déjà un compte de gestion."),
}


@dataclass(frozen=True)
class Provider:
    key: str
    name: str
    issuer: str
    client_id: str
    client_secret: str
    scopes: tuple[str, ...]
    acr_values: str
    algorithms: tuple[str, ...]

    @property
    def discovery_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"

    @property
    def about_url(self) -> str:
        return ABOUT_URLS[self.key]

    @property
    def audience(self) -> str | Promise:
        return AUDIENCES[self.key]


def get(key: str) -> Provider | None:
    """The provider ``key`` when it is configured, else None."""
    conf = settings.PARTICIPE_IDENTITY_PROVIDERS.get(key)
    if key not in NAMES or not conf or not (conf.get("issuer") and conf.get("client_id") and conf.get("client_secret")):
        return None
    return Provider(
        key=key,
        name=NAMES[key],
        issuer=conf["issuer"].rstrip("/"),
        client_id=conf["client_id"],
        client_secret=conf["client_secret"],
        scopes=tuple(conf.get("scopes") or ("openid",)),
        acr_values=conf.get("acr_values", ""),
        algorithms=tuple(conf.get("algorithms") or ("ES256", "RS256")),
    )


def configured() -> list[Provider]:
    """The providers that are on, FranceConnect first."""
    return [p for p in (get(FRANCECONNECT), get(PROCONNECT)) if p is not None]
