"""The counting rules: what counts as a page view and a visit, what never does (robots, the back-office, the API,
fragments, prefetches, other methods and statuses, Do Not Track), and that nothing identifying is stored."""

from __future__ import annotations

import datetime
import time

import pytest
from django.db import connection
from django.urls import reverse

from participe.audience.counter import Hit, recorder
from participe.audience.models import DailyCount, Dimension
from participe.audience.tests.conftest import FIREFOX, IPHONE, read

pytestmark = pytest.mark.django_db


def counts(dimension, key=None):
    rows = DailyCount.objects.filter(dimension=dimension)
    if key is not None:
        rows = rows.filter(key=key)
    return [(r.key, r.views, r.visits) for r in rows.order_by("key")]


def test_a_page_counts_for_the_site_the_page_its_space_its_module_and_the_device(client, space, module):
    path = module.get_absolute_url()
    assert read(client, path).status_code == 200
    assert read(client, space.get_absolute_url()).status_code == 200
    recorder.flush()

    assert counts(Dimension.SITE) == [("", 2, 1)]
    assert counts(Dimension.PAGE, path) == [(path, 1, 1)]
    page = DailyCount.objects.get(dimension=Dimension.PAGE, key=path)
    assert (page.space, page.module) == (space, module)
    assert counts(Dimension.SPACE) == [(str(space.pk), 2, 1)]
    assert counts(Dimension.MODULE) == [(str(module.pk), 1, 1)]
    assert counts(Dimension.DEVICE) == [("desktop", 2, 1)]
    assert DailyCount.objects.filter(day=datetime.date.today()).exists() or DailyCount.objects.count()


def test_visits_are_told_apart_within_a_day_not_across_days(client, space):
    path = space.get_absolute_url()
    read(client, path)
    read(client, path)
    read(client, path, agent=IPHONE)  # another browser: another visitor
    recorder.flush()
    assert counts(Dimension.PAGE, path) == [(path, 3, 2)]
    assert counts(Dimension.DEVICE) == [("desktop", 2, 1), ("mobile", 1, 1)]

    tomorrow = time.time() + 86_400
    recorder.add(Hit(tomorrow, "127.0.0.1", FIREFOX, "", "testserver", path, "", ""))
    recorder.flush()
    days = DailyCount.objects.filter(dimension=Dimension.SITE).order_by("day")
    assert [(r.views, r.visits) for r in days] == [(3, 2), (1, 1)]  # the same browser, a new visit the next day


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "facebookexternalhit/1.1",
        "curl/8.5.0",
        "python-requests/2.32.3",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0 Safari/537.36",
        "",
    ],
)
def test_robots_are_not_counted(client, space, agent):
    assert read(client, space.get_absolute_url(), agent=agent).status_code == 200
    recorder.flush()
    assert not DailyCount.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_PURPOSE": "prefetch"},
        {"HTTP_PURPOSE": "prefetch"},
        {"HTTP_SEC_PURPOSE": "prefetch;prerender"},
        {"HTTP_X_MOZ": "prefetch"},
        {"HTTP_HX_REQUEST": "true"},
        {"HTTP_DNT": "1"},
        {"HTTP_SEC_GPC": "1"},
    ],
)
def test_prefetches_fragments_and_do_not_track_are_not_counted(client, space, headers):
    read(client, space.get_absolute_url(), **headers)
    recorder.flush()
    assert not DailyCount.objects.exists()


def test_do_not_track_counts_when_the_setting_says_so(client, space, settings):
    settings.PARTICIPE_AUDIENCE_HONOUR_DNT = False
    read(client, space.get_absolute_url(), HTTP_DNT="1")
    recorder.flush()
    assert counts(Dimension.SITE) == [("", 1, 1)]


def test_head_post_errors_and_redirects_are_not_counted(client, space):
    path = space.get_absolute_url()
    client.head(path, HTTP_USER_AGENT=FIREFOX)
    client.post(path, HTTP_USER_AGENT=FIREFOX)
    assert read(client, "/demarches/nulle-part/").status_code == 404
    assert read(client, "/gestion/").status_code == 302  # the back-office sends visitors to the login page
    recorder.flush()
    assert not DailyCount.objects.exists()


def test_the_back_office_the_api_static_files_and_feeds_are_not_counted(client, space, django_user_model):
    from tests.factories import make_org_admin

    admin = make_org_admin()
    client.force_login(admin)
    assert read(client, reverse("backoffice:dashboard")).status_code == 200
    assert read(client, reverse("audience:statistics")).status_code == 200
    assert read(client, "/api/v1/openapi.json").status_code == 200
    read(client, "/static/css/participe.css")
    assert read(client, "/agenda.ics")["Content-Type"].startswith("text/calendar")
    recorder.flush()
    assert not DailyCount.objects.exists()


def test_a_referrer_is_kept_as_its_domain_only_and_the_site_itself_is_none(client, space):
    path = space.get_absolute_url()
    read(client, path, HTTP_REFERER="https://www.example.org/forum/topic?id=42&user=jean")
    read(client, path, HTTP_REFERER="http://testserver/demarches/")
    recorder.flush()
    assert counts(Dimension.REFERRER) == [("example.org", 1, 1)]


def test_nothing_identifying_is_stored_in_any_table(client, space, caplog):
    """The address, the user agent, the referring page and the visitor's hash are in no table of the database."""
    agent = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0 Unique-Marker-4217"
    read(client, space.get_absolute_url(), agent=agent, REMOTE_ADDR="203.0.113.77",
         HTTP_REFERER="https://example.org/secret-page?token=abc")  # fmt: skip
    read(client, space.get_absolute_url() + "?nom=Dupont", agent=agent, REMOTE_ADDR="203.0.113.77")
    recorder.flush()
    assert DailyCount.objects.exists()
    secrets = ["203.0.113.77", "Unique-Marker-4217", "secret-page", "token=abc", "Dupont"]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                text = " ".join(str(cell) for cell in row)
                assert not any(secret in text for secret in secrets), (table, row)
    assert not any(secret in caplog.text for secret in secrets)
    # The table's columns: a day, a thing measured and two sums.
    assert {f.column for f in DailyCount._meta.get_fields()} == {
        "id", "day", "dimension", "key", "space_id", "module_id", "views", "visits",
    }  # fmt: skip


def test_the_query_string_is_not_part_of_the_page(client, space):
    path = space.get_absolute_url()
    read(client, path + "?page=2")
    read(client, path)
    recorder.flush()
    assert counts(Dimension.PAGE) == [(path, 2, 1)]


def test_a_module_of_a_space_that_no_longer_exists_is_counted_for_the_site_only():
    recorder.add(Hit(time.time(), "192.0.2.1", FIREFOX, "", "testserver", "/demarches/x/y/", "x", "y"))
    recorder.flush()
    assert counts(Dimension.SITE) == [("", 1, 1)]
    assert counts(Dimension.SPACE) == [] and counts(Dimension.MODULE) == []
    assert DailyCount.objects.get(dimension=Dimension.PAGE).space is None


def test_counting_is_off_when_disabled(client, space, settings):
    settings.PARTICIPE_AUDIENCE_ENABLED = False
    read(client, space.get_absolute_url())
    assert not recorder.hits
