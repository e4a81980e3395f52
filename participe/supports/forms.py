"""A field for the settings form of a module whose items are supported."""

from django import forms
from django.utils.translation import gettext_lazy as _


def supports_limit_field(initial: int = 0) -> forms.IntegerField:
    """The module setting ``supports_limit`` read by ``support_add``: add it to a module's ``settings_form``.

    Example: ``supports_limit = supports_limit_field(initial=10)`` in the form class of the manifest.
    """
    return forms.IntegerField(
        label=_("Nombre de soutiens par participant"),
        help_text=_(
            "Combien d'éléments de ce module un participant peut soutenir. 0 ou vide : sans limite. "
            "Les soutiens aux commentaires ne comptent pas."
        ),
        min_value=0,
        max_value=10_000,
        initial=initial,
        required=False,
    )
