"""``manage.py proposals_retain``: mark "retenue pour analyse" every proposal that reached its module's threshold.

Proposals are also marked when their page or a list showing them is read; this command (safe at any time, e.g.
nightly from cron) catches those nobody looked at. The date recorded is when the threshold was reached.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from participe.modules.proposals.services.proposals import retain_reached
from participe.spaces.models import Module


class Command(BaseCommand):
    help = "Marque « retenue pour analyse » les propositions qui ont atteint le seuil de soutiens de leur module."

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for module in Module.objects.filter(module_type="proposals").prefetch_related("phases"):
            marked = retain_reached(module)
            if marked:
                self.stdout.write(f"{module.space.slug}/{module.slug} : {marked}")
            total += marked
        self.stdout.write(self.style.SUCCESS(f"{total} proposition(s) retenue(s) pour analyse."))
