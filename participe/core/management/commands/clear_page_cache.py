"""``manage.py clear_page_cache``: forget every public page kept for visitors without a session (decision 0041)."""

from typing import Any

from django.core.management.base import BaseCommand

from participe.core import pagecache


class Command(BaseCommand):
    help = "Forget every public page kept for visitors without a session (the next visit renders it again)."

    def handle(self, *args: Any, **options: Any) -> None:
        pagecache.bump_all()
        self.stdout.write("Page cache cleared: every page will be rendered again.")
