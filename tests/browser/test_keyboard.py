"""Keyboard use: the skip link comes first and works, focus is visible; and the axe helper itself."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.data import make_town
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


# The focused element's outline colour and the colour right behind the ring: the element's own background when the
# ring is drawn inside it (negative offset), else the first opaque background of its ancestors (white by default).
FOCUS_COLOURS = """() => {
  const parse = (c) => { const m = (c.match(/[\\d.]+/g) || []).map(Number);
    return {rgb: m.slice(0, 3), alpha: m.length > 3 ? m[3] : 1}; };
  const el = document.activeElement, style = getComputedStyle(el);
  let node = parseFloat(style.outlineOffset) < 0 ? el : el.parentElement, behind = [255, 255, 255];
  for (; node; node = node.parentElement) {
    const bg = parse(getComputedStyle(node).backgroundColor);
    if (bg.alpha > 0.5) { behind = bg.rgb; break; }
  }
  return {outline: parse(style.outlineColor).rgb, behind, html: el.outerHTML.slice(0, 120)};
}"""


def relative_luminance(rgb: list[float]) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: list[float], second: list[float]) -> float:
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_ratio_matches_wcag_examples() -> None:
    assert round(contrast_ratio([0, 0, 0], [255, 255, 255]), 1) == 21.0
    assert round(contrast_ratio([0xF5, 0x9E, 0x0B], [255, 255, 255]), 1) == 2.1  # the old amber ring: too faint


@pytest.mark.parametrize("page", ["desktop", "mobile"], indirect=True)
def test_the_focus_ring_contrasts_at_least_3_to_1_with_what_is_behind_it(
    page: Any, server: str, transactional_db: Any
) -> None:
    """WCAG 2.1 non-text contrast (1.4.11): the focus indicator against the colours next to it, on every stop
    of the home page (header, content, footer)."""
    make_town()
    page.goto(server)
    checked = 0
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement === document.body"):
            break
        colours = page.evaluate(FOCUS_COLOURS)
        ratio = contrast_ratio(colours["outline"], colours["behind"])
        assert ratio >= 3, (
            f"anneau de focus {colours['outline']} sur {colours['behind']} : {ratio:.2f}:1 — {colours['html']}"
        )
        checked += 1
    assert checked >= 8, checked


def tab_to(page: Any, target: Any, limit: int = 80) -> None:
    """Press Tab until the target has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("e => e === document.activeElement"):
            assert_focus_visible(page)
            return
    raise AssertionError(f"{target} is not reachable with the Tab key")


def test_a_visitor_filters_and_switches_language_with_the_keyboard_alone(
    page: Any, server: str, transactional_db: Any
) -> None:
    make_town()
    page.goto(server)
    tab_to(page, page.get_by_role("link", name="Voir les démarches en cours"))
    page.keyboard.press("Enter")
    expect(page.get_by_label("Quand")).to_have_value("ongoing")

    tab_to(page, page.get_by_label("Quand"))
    page.keyboard.press("ArrowDown")  # "En cours" → "À venir"
    tab_to(page, page.get_by_role("button", name="Filtrer"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"quand=upcoming"))
    results = page.locator("#results")
    expect(results.get_by_role("link", name="Budget participatif 2027")).to_be_visible()
    expect(results).not_to_contain_text("Réaménager la place du Marché")

    tab_to(page, results.get_by_role("link", name="Budget participatif 2027"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Budget participatif 2027")

    tab_to(page, page.get_by_label("Langue"))
    page.keyboard.press("ArrowDown")  # "Français" → "English"
    tab_to(page, page.get_by_role("button", name="Changer"))
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Budget participatif 2027")


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
