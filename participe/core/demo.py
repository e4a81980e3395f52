"""The guard of the commands that create accounts with a published password (the demo, the volume seeding).

Such accounts on a production server are open doors: anyone who read the demo's instructions can sign in as an
administrator. These commands therefore run only where the settings say this install is a demo or a development
machine (``PARTICIPE_DEMO``, on with ``DJANGO_DEBUG=1`` and in the tests, docs/configuration.md).
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import CommandError


def require_demo_install(command: str) -> None:
    """Refuse, with how to proceed, unless this install is a demo or a development machine."""
    if getattr(settings, "PARTICIPE_DEMO", False):
        return
    raise CommandError(
        f"Refusé : « {command} » crée des comptes dont le mot de passe est publié, ce qui n'a pas sa place sur un "
        "serveur de production. Sur un poste de développement, lancez-la avec DJANGO_DEBUG=1 (make demo le fait) ; "
        "sur un serveur de démonstration, avec PARTICIPE_DEMO=1."
    )
