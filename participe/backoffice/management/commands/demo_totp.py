"""Print the current TOTP code of the demo staff accounts (a demo install only: ``make totp``)."""

from typing import Any

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.core.management.base import BaseCommand, CommandError

from participe.backoffice.demo import demo_totp_secret
from participe.core.demo import require_demo_install


class Command(BaseCommand):
    help = "Affiche le code de double authentification des comptes de démonstration."

    def handle(self, *args: Any, **options: Any) -> None:
        require_demo_install("demo_totp")
        secret = demo_totp_secret()
        if secret is None:
            raise CommandError("Aucun compte de démonstration : lancez d'abord load_demo (make demo).")
        counters = list(yield_hotp_counters_from_time())
        self.stdout.write(format_hotp_value(hotp_value(secret, counters[len(counters) // 2])))
