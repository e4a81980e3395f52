"""Print the current TOTP code of the demo staff accounts (demo only: their secret is public)."""

from typing import Any

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from participe.backoffice.demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Affiche le code de double authentification des comptes de démonstration."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Réservé à la démonstration (DJANGO_DEBUG=1).")
        counters = list(yield_hotp_counters_from_time())
        code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counters[len(counters) // 2]))
        self.stdout.write(code)
