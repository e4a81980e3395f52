"""Remind registered people of tomorrow's meetings: run daily from cron (or a systemd timer)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from participe.modules.meetings.services import send_reminders


class Command(BaseCommand):
    help = "Rappelle aux personnes inscrites les réunions du lendemain (une fois par réunion)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{send_reminders()} meeting(s) reminded.")
