"""The person's verifications, for « Mes données » (decision 0035): what was granted, never the census's keyed hashes
nor which census record matched (the record holds them: decision 0004)."""

from __future__ import annotations

from typing import Any

from participe.core.personal_data import Tables, plain
from participe.verifications.models import Verification

HIDDEN_ATTRIBUTES = frozenset({"census"})  # the matched record's id: a way into the hashed values


def personal_data(user: Any) -> Tables:
    found = []
    for verification in Verification.objects.filter(user=user).select_related("territory").order_by("created_at"):
        attributes = {k: v for k, v in (verification.attributes or {}).items() if k not in HIDDEN_ATTRIBUTES}
        found.append(
            {
                "moyen": verification.handler,
                "accordee_le": plain(verification.created_at),
                "par_un_agent": verification.granted_by_id is not None,
                "territoire": plain(verification.territory),
                "date_de_naissance": plain(verification.birth_date),
                "expire_le": plain(verification.expires_at),
                "retiree_le": plain(verification.revoked_at),
                "attributs": plain(attributes),
            }
        )
    return {"verifications": found}
