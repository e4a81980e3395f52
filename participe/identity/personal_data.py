"""The identities linked to a person's account, for « Mes données » (decision 0035): which provider, since when;
the identifier at the provider is theirs too."""

from __future__ import annotations

from typing import Any

from participe.core.personal_data import Tables, plain
from participe.identity.models import IdentityLink


def personal_data(user: Any) -> Tables:
    return {
        "identites_liees": [
            {
                "fournisseur": link.provider,
                "identifiant": link.sub,
                "liee_le": plain(link.created_at),
                "derniere_connexion": plain(link.last_login_at),
            }
            for link in IdentityLink.objects.filter(user=user).order_by("created_at")
        ]
    }
