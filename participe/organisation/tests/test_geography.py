"""Where the platform's maps open (``participe.organisation.geography``): built once per process for the site's
token, built again after a territory is saved."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from participe.organisation import services
from participe.organisation.geography import map_config
from participe.organisation.models import Territory
from tests.factories import make_org_admin

pytestmark = pytest.mark.django_db

SQUARE = {"type": "Polygon", "coordinates": [[[2.0, 48.0], [3.0, 48.0], [3.0, 49.0], [2.0, 49.0], [2.0, 48.0]]]}


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PARTICIPE_PAGE_CACHE = True  # what renews the site's token on a write
    caches["default"].clear()


def territory_queries(queries: CaptureQueriesContext) -> int:
    return sum('"organisation_territory"' in q["sql"] for q in queries.captured_queries)


def test_the_territories_are_read_once_then_again_after_one_is_saved(django_capture_on_commit_callbacks):
    assert map_config()["bounds"] is None
    with CaptureQueriesContext(connection) as queries:
        shown = map_config()
    assert territory_queries(queries) == 0
    shown["bounds"] = "changed by a caller"  # a caller's copy: what is kept stays as it was
    assert map_config()["bounds"] is None
    with django_capture_on_commit_callbacks(execute=True):
        services.territory_save(
            actor=make_org_admin(),
            territory=Territory(),
            data={"name": "Centre", "slug": "centre", "kind": "quartier", "boundary": SQUARE},
        )
    assert map_config()["bounds"] == [48.0, 2.0, 49.0, 3.0]
