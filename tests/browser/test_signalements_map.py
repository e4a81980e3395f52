"""The public map of the signalements draws its markers from the compact feed (decision 0028): a marker's popup links
to the report's page and says its category and status, on a phone (390×844); no console error."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from participe.modules.signalements import services
from participe.modules.signalements.tests.factories import NORTH, make_world, report_data
from tests.browser.helpers import assert_accessible
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("offline_maps")]


@pytest.mark.parametrize("page", ["mobile"], indirect=True)
def test_a_marker_opens_the_report_from_the_map(page: Any, server: str) -> None:
    w = make_world()
    report = services.report_create(
        actor=UserFactory(), module=w.module, data=report_data(w.pothole, NORTH, title="Trou « rue Haute »")
    )
    page.goto(f"{server}/signalements/")
    marker = page.locator(".leaflet-marker-icon[title='Trou « rue Haute »']")
    expect(marker).to_be_visible()
    # The map fits its bounds once the feed is read: a tap during that zoom animation lands beside the moving marker.
    expect(page.locator(".leaflet-map-pane")).not_to_have_class(re.compile(r"leaflet-zoom-anim"))
    marker.click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Nid-de-poule, nouveau")
    popup.get_by_role("link", name="Trou « rue Haute »").click()
    page.wait_for_url(f"**/signalements/{report.pk}/")
    expect(page.get_by_role("heading", name="Trou « rue Haute »")).to_be_visible()
    assert_accessible(page)
