"""The pluggable verification framework.

A handler grants a user a verification with attributes. Handlers register themselves here (a key, a name, a way to
grant). FranceConnect's is granted by ``participe.identity`` when a resident signs in with it (decision 0038).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class VerificationHandler:
    key: str
    name: str | Promise
    description: str | Promise
    self_service: bool  # the resident starts it online (census) or an agent does (counter, managed account)
    url_name: str | None = None  # where a resident starts it


HANDLERS: dict[str, VerificationHandler] = {}


def register(handler: VerificationHandler) -> VerificationHandler:
    HANDLERS[handler.key] = handler
    return handler


def get(key: str) -> VerificationHandler | None:
    return HANDLERS.get(key)


def choices() -> list[tuple[str, Any]]:
    return [(h.key, h.name) for h in HANDLERS.values()]


CENSUS = register(
    VerificationHandler(
        key="census",
        name=_("Recensement des habitants"),
        description=_("Vous confirmez votre identité en saisissant les informations connues de la mairie."),
        self_service=True,
        url_name="verifications:census",
    )
)
COUNTER = register(
    VerificationHandler(
        key="counter",
        name=_("Vérification au guichet"),
        description=_("Un agent vérifie vos justificatifs en mairie ou lors d'une permanence."),
        self_service=False,
    )
)
MANAGED = register(
    VerificationHandler(
        key="managed",
        name=_("Compte créé par un agent"),
        description=_("Pour les habitants sans adresse électronique : un agent crée le compte et participe pour eux."),
        self_service=False,
    )
)
FRANCECONNECT = register(
    VerificationHandler(
        key="franceconnect",
        name=_("FranceConnect"),
        description=_(
            "Vous vous identifiez avec FranceConnect (impots.gouv.fr, ameli.fr, La Poste…) : votre âge est vérifié, "
            "et votre résidence aussi quand vous figurez au recensement des habitants."
        ),
        self_service=True,
        url_name="identity:account",
    )
)
