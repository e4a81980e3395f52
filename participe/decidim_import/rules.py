"""Who imports a Decidim archive: the organisation's administrators (in a session that passed the second factor, as
every staff role): the import creates spaces, accounts and the content of several modules at once."""

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
        _("Connectez-vous pour importer des données."),
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
            "L'import depuis Decidim est réservé aux administrateurs de l'organisation (avec la double "
            "authentification) : il crée des espaces, des comptes et des contributions."
        ),
    ),
)

# No object: the whole platform receives the archive.
add_perm("decidim_import.import_archive", Requirement(SIGNED_IN, ORG_ADMIN))
