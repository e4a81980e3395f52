"""A thread's page kept for every reader who sees only published comments (``comments.selectors.thread_page``,
issue #12).

What is kept is which comments a page shows, in which order, its next cursor and how many replies are not shown —
never a comment's text or an account: the comments are read again by their keys. Every reader must get the page the
database gives (their own waiting or hidden comments included, a moderator everything); every write that changes a
thread shows at once; a page read again is one query on the comments.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from participe.comments import selectors
from participe.comments.models import Comment
from participe.comments.services import comment_create, comment_delete, comment_edit
from participe.core.models import ModerationStatus
from participe.moderation.services.decisions import content_hide, content_unhide
from participe.modules.proposals.tests.factories import ProposalFactory, ProposalModuleFactory
from participe.supports.services import support_add
from tests.factories import UserFactory, make_space_role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]  # signed-in readers: no grace


@pytest.fixture
def proposal():
    return ProposalFactory(module=ProposalModuleFactory(), title="Des bancs place du Marché")


def shape(thread: selectors.ThreadPage) -> tuple:
    """What a reader sees of a page: the comments in order, each with its replies shown and the others' number."""
    return (
        [(c.pk, c.body, [(r.pk, r.body) for r in c.shown_replies], c.more_replies) for c in thread.comments],
        thread.page.next_cursor,
    )


def from_database(target, user, **kwargs) -> tuple:
    moderator = selectors.can_moderate(user, target)
    visible = selectors.comments_visible_to(user, moderator=moderator)
    sort = kwargs.get("sort", selectors.DEFAULT_SORT)
    return shape(
        selectors._read(target, visible, sort, kwargs.get("cursor"), selectors.PAGE_SIZE, selectors.REPLIES_SHOWN)
    )


def kept_threads() -> int:
    return sum(1 for key in caches["fragments"]._cache if "thread:" in key)  # type: ignore[attr-defined]


def comment_queries(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if '"comments_comment"' in q["sql"]]


def test_every_reader_gets_the_page_the_database_gives(proposal):
    waiting, hidden_author = UserFactory(pseudonym="en-attente"), UserFactory(pseudonym="masqué")
    tops = [
        comment_create(actor=UserFactory(), target=proposal, body=f"Avis {n}", stance="favorable") for n in range(23)
    ]
    for n in range(5):  # more replies than a page shows under a comment
        comment_create(actor=UserFactory(), target=proposal, parent=tops[1], body=f"Réponse {n}", stance="")
    Comment.objects.filter(
        pk=comment_create(actor=waiting, target=proposal, body="En attente", stance="neutral").pk
    ).update(moderation_status=ModerationStatus.PENDING)
    Comment.objects.filter(
        pk=comment_create(actor=hidden_author, target=proposal, parent=tops[0], body="Masquée", stance="").pk
    ).update(moderation_status=ModerationStatus.HIDDEN)
    readers = {
        "visitor": AnonymousUser(),
        "newcomer": UserFactory(),
        "waiting": waiting,
        "hidden": hidden_author,
        "moderator": make_space_role(proposal.module.space, "moderator"),
    }
    second = selectors.thread_page(target=proposal, user=readers["newcomer"]).page.next_cursor
    assert second is not None
    for sort in selectors.SORTS:
        for cursor in (None, second if sort == selectors.DEFAULT_SORT else None):
            for _round in range(2):  # the first keeps the page, the second reads it again
                for name, user in readers.items():
                    thread = selectors.thread_page(target=proposal, user=user, sort=sort, cursor=cursor)
                    assert shape(thread) == from_database(proposal, user, sort=sort, cursor=cursor), (sort, name)
    newest = {
        name: shape(selectors.thread_page(target=proposal, user=u, sort="recents")) for name, u in readers.items()
    }
    assert "En attente" in repr(newest["waiting"]) and "En attente" not in repr(newest["newcomer"])
    shown = {name: shape(selectors.thread_page(target=proposal, user=user)) for name, user in readers.items()}
    assert "Masquée" in repr(shown["hidden"]) and "Masquée" not in repr(shown["visitor"])
    assert "Masquée" in repr(shown["moderator"])
    assert kept_threads() == 4  # three sorts and a second page: one for every reader


def test_a_page_read_again_is_one_query_on_the_comments(proposal):
    for n in range(6):
        comment_create(actor=UserFactory(), target=proposal, body=f"Avis {n}", stance="favorable")
    reader = UserFactory()
    selectors.thread_page(target=proposal, user=reader)
    with CaptureQueriesContext(connection) as queries:
        thread = selectors.thread_page(target=proposal, user=reader)
    assert len(thread.comments) == 6
    assert len(comment_queries(queries)) == 1


def test_nothing_is_kept_without_the_page_cache(settings, proposal):
    settings.PARTICIPE_PAGE_CACHE = False  # nothing renews the tokens then
    comment_create(actor=UserFactory(), target=proposal, body="Un avis", stance="favorable")
    for _round in range(2):
        selectors.thread_page(target=proposal, user=UserFactory())
    assert kept_threads() == 0


def test_every_change_of_a_thread_shows_at_once(commits, proposal):
    reader, author = UserFactory(), UserFactory()
    moderator = make_space_role(proposal.module.space, "moderator")
    with commits():
        first = comment_create(actor=author, target=proposal, body="Un banc", stance="favorable")
        second = comment_create(actor=UserFactory(), target=proposal, body="Une fontaine", stance="neutral")

    def check(**kwargs) -> tuple:
        kept = shape(selectors.thread_page(target=proposal, user=reader, **kwargs))
        assert kept == from_database(proposal, reader, **kwargs)
        return kept

    check()
    check(sort="soutenus")
    with commits():
        comment_create(actor=UserFactory(), target=proposal, body="De l'ombre", stance="favorable")
    assert "De l'ombre" in repr(check())
    with commits():
        comment_create(actor=UserFactory(), target=proposal, parent=first, body="D'accord", stance="")
    assert "D'accord" in repr(check())
    with commits():
        comment_edit(actor=author, comment=first, body="Deux bancs")
    assert "Deux bancs" in repr(check())
    with commits():
        support_add(actor=UserFactory(), target=second)
    assert check(sort="soutenus")[0][0][0] == second.pk  # the most supported first
    with commits():
        content_hide(actor=moderator, target=second, reason="Hors sujet")
    assert "Une fontaine" not in repr(check())
    with commits():
        content_unhide(actor=moderator, target=Comment.objects.get(pk=second.pk), reason="Relu")
    assert "Une fontaine" in repr(check())
    with commits():
        comment_delete(actor=author, comment=Comment.objects.get(pk=first.pk))
    check()


def test_a_change_that_renews_no_token_is_still_never_shown_wrong(proposal):
    """Without the tokens renewed (a write outside the services), a kept comment gone or no longer published is not
    shown: the page is read again."""
    kept = comment_create(actor=UserFactory(), target=proposal, body="Un banc", stance="favorable")
    other = comment_create(actor=UserFactory(), target=proposal, body="Une fontaine", stance="neutral")
    reader = UserFactory()
    selectors.thread_page(target=proposal, user=reader)
    Comment.objects.filter(pk=kept.pk).update(moderation_status=ModerationStatus.HIDDEN)
    assert shape(selectors.thread_page(target=proposal, user=reader)) == from_database(proposal, reader)
    Comment.objects.filter(pk=other.pk).delete()
    assert shape(selectors.thread_page(target=proposal, user=reader))[0] == []
