"""The public map of the signalements draws its markers from the compact feed (decision 0028): a marker's popup links
to the report's page and says its category and status, on a phone (390×844); no console error."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from participe.modules.signalements import services
from participe.modules.signalements.tests.factories import NORTH, make_world, report_data
from tests.browser.helpers import assert_accessible
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
BLANK_TILE = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


@pytest.fixture(autouse=True)
def _maps(settings: Any) -> None:
    settings.PARTICIPE_MAP_TILES_URL = BLANK_TILE
    settings.PARTICIPE_GEOCODER_URL = ""


def test_a_marker_opens_the_report_from_the_map(live_server: Any, new_context: Any) -> None:
    w = make_world()
    report = services.report_create(
        actor=UserFactory(), module=w.module, data=report_data(w.pothole, NORTH, title="Trou « rue Haute »")
    )
    page = new_context(**PHONE).new_page()
    page.goto(f"{live_server.url}/signalements/")
    marker = page.locator(".leaflet-marker-icon[title='Trou « rue Haute »']")
    expect(marker).to_be_visible()
    marker.click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Nid-de-poule, nouveau")
    popup.get_by_role("link", name="Trou « rue Haute »").click()
    page.wait_for_url(f"**/signalements/{report.pk}/")
    expect(page.get_by_role("heading", name="Trou « rue Haute »")).to_be_visible()
    assert_accessible(page)
