"""Issue #19, finding 9, in a browser: the comment is committed but the answer never reaches the resident (the
connection drops); they press « Publier » again, and the comment is there once."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from playwright.sync_api import expect

from participe.comments.models import Comment
from participe.modules.debate.tests.factories import DebateModuleFactory, SubjectFactory
from tests.browser.helpers import assert_accessible, log_in
from tests.factories import SpaceFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "Faut-il planter des arbres rue de la Gare ?"
COMMENT = "Oui : l'été, le trottoir côté école est brûlant dès dix heures."


@pytest.fixture
def subject(transactional_db: Any) -> Any:
    module = DebateModuleFactory(space=SpaceFactory(title="La rue de la Gare"), title="Débat", slug="debat")
    return SubjectFactory(module=module, title=QUESTION, summary="Des arbres ?", body="<p>Des arbres.</p>")


@pytest.mark.console_errors_expected  # the lost answer is a reset connection: htmx and Chromium report it
def test_a_comment_sent_again_after_a_lost_answer_is_posted_once(page: Any, server: str, subject: Any) -> None:
    """htmx sends the form; the answer is lost (« connection reset »): the form stays as it was, with what the
    resident typed and its one-time token, and they press « Publier » again."""
    author = UserFactory(email="ines.moreau@example.org", pseudonym="ines-gare")
    log_in(page, server, author.email)
    page.goto(server + subject.get_absolute_url())
    section = page.get_by_role("region", name=re.compile(r"^Commentaires"))
    section.get_by_label("favorable", exact=True).check()
    section.get_by_label(re.compile(r"^Votre commentaire( \*)?$")).fill(COMMENT)

    lost: list[int] = []

    def lose_the_answer(route: Any) -> None:
        """The request reaches the server (the comment is committed), the answer is lost on the way back."""
        if route.request.method == "POST" and not lost:
            route.fetch()
            lost.append(1)
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route(re.compile(r".*/commentaires/\d+/\d+/ajouter/$"), lose_the_answer)
    section.get_by_role("button", name="Publier mon commentaire").click()
    assert _wait_for(page, lambda: bool(lost) and Comment.objects.filter(author=author).count() == 1)  # committed

    expect(section.get_by_label(re.compile(r"^Votre commentaire( \*)?$"))).to_have_value(COMMENT)  # nothing lost
    section.get_by_role("button", name="Publier mon commentaire").click()  # the resident tries again
    expect(page.get_by_role("status").filter(has_text="Votre commentaire est publié.")).to_have_count(1)
    expect(section.get_by_role("article", name="ines-gare")).to_have_count(1)
    expect(section.get_by_role("heading", level=2)).to_have_text("Commentaires (1)")
    assert Comment.objects.filter(author=author).count() == 1
    assert_accessible(page)

    # The next comment is a new one: the form came back with a new token.
    section.get_by_label("neutre", exact=True).check()
    section.get_by_label(re.compile(r"^Votre commentaire( \*)?$")).fill("Et des bancs à l'ombre.")
    section.get_by_role("button", name="Publier mon commentaire").click()
    expect(section.get_by_role("heading", level=2)).to_have_text("Commentaires (2)")
    assert Comment.objects.filter(author=author).count() == 2


def _wait_for(page: Any, condition: Any, seconds: float = 10) -> bool:
    """Wait for ``condition``, letting Playwright run meanwhile (its route handlers run inside its calls)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        page.wait_for_timeout(100)
    return False
