"""Who reads the statistics of the platform: the organisation's administrators (in a session that passed the second
factor, as every staff role). The public part shown on the bilans follows the bilan's own rule."""

from __future__ import annotations

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from participe.permissions.explain import Requirement, Step, add_perm
from participe.permissions.refusals import Reason
from participe.spaces.predicates import is_org_admin, is_signed_in

SIGNED_IN = Step(
    "signed_in",
    is_signed_in,
    Reason(
        "not_signed_in",
        _("Connectez-vous pour consulter les statistiques."),
        action_url=reverse_lazy("account_login"),
        action_label=_("Se connecter"),
    ),
)
ORG_ADMIN = Step(
    "org_admin",
    is_org_admin,
    Reason(
        "not_org_admin",
        _(
            "Les statistiques de fréquentation et de participation sont réservées aux administrateurs de "
            "l'organisation (avec la double authentification)."
        ),
    ),
)

# No object: the statistics of the whole platform.
add_perm("audience.view_statistics", Requirement(SIGNED_IN, ORG_ADMIN))
