"""The claims of the test provider's people, from its spec: the identity a FranceConnect account gives (given_name,
family_name, birthdate, gender, birthplace, email), ``acr`` for a client that asks a level, ``amr`` per person."""

from typing import Any

from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):
    oidc_claim_scope = None  # every claim of the person, whatever the scopes (the tests ask them all)

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        person = next(p for p in settings.SPEC["users"] if p["username"] == request.user.username)
        claims = dict(person.get("claims", {}))
        if person.get("amr"):
            claims["amr"] = person["amr"]
        client = next((c for c in settings.SPEC["clients"] if c["client_id"] == request.client_id), None)
        if client and client.get("acr"):
            claims["acr"] = client["acr"]
        return claims
