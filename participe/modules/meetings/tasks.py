"""Background tasks of the meetings module (django-tasks): the rebuild of a feed served stale meanwhile."""

from __future__ import annotations

from django_tasks import task

from participe.modules.meetings import feeds


@task()
def rebuild_feed(scope: str, language: str) -> bool:
    """Build the feed ``scope`` in ``language`` and keep it for the next requests. False if the scope is gone."""
    return feeds.rebuild(scope, language) is not None
