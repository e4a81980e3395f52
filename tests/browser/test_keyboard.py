"""Keyboard use: the skip link comes first and works, focus is visible; and the axe helper itself."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OUTLINE = (
    "() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
)


def focused(page: Any) -> Any:
    return page.locator("*:focus")


def assert_focus_visible(page: Any) -> None:
    style, width = page.evaluate(OUTLINE)
    assert style != "none" and width >= 2, (
        f"focus not visible: {page.evaluate('() => document.activeElement.outerHTML')}: {style} {width}px"
    )


def test_skip_link_comes_first_and_moves_focus_to_the_content(page: Any, server: str) -> None:
    page.goto(server)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # shown when focused
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page.locator("#contenu")).to_be_focused()
    assert page.evaluate("() => location.hash") == "#contenu"
    page.keyboard.press("Tab")  # the next stop is inside the content, not back in the header
    assert focused(page).evaluate("e => !!e.closest('main')")


def test_focus_is_visible_on_links_and_buttons(page: Any, server: str) -> None:
    page.goto(server)
    seen: dict[str, int] = {"a": 0, "button": 0}
    for _ in range(60):
        page.keyboard.press("Tab")
        tag = page.evaluate("() => document.activeElement ? document.activeElement.tagName.toLowerCase() : 'body'")
        if tag in seen:
            assert_focus_visible(page)
            seen[tag] += 1
        if tag == "body":
            break
    assert seen["a"] >= 5 and seen["button"] >= 1, seen


def test_axe_helper_reports_violations(page: Any, server: str) -> None:
    """The check must really run under the site's CSP and report what it finds."""
    page.goto(server)
    page.evaluate(
        "() => { const i = document.createElement('input'); i.id = 'sans-etiquette';"
        " document.querySelector('main').append(i); }"
    )
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page)
    message = str(failure.value)
    assert "label (critical)" in message and "#sans-etiquette" in message, message
