"""What a page of comments computes once instead of once per comment (issue #12) gives the answers it gave before.

``{% comment_rights %}`` against the rules ``comments.change_comment`` and ``comments.delete_comment`` for every role;
the support buttons' and report links' addresses against ``reverse``; a comment's title against ``Truncator``.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from participe.comments.models import Comment
from participe.comments.templatetags.comments import comment_rights
from participe.comments.tests.factories import CommentFactory
from participe.moderation.templatetags.moderation import report_link
from participe.supports.templatetags.supports import button_context
from tests.factories import ItemFactory, UserFactory, make_org_admin, make_space_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread():
    item = ItemFactory()
    author, other = UserFactory(), UserFactory()
    old = timezone.now() - datetime.timedelta(days=2)
    comments = [
        CommentFactory(item=item, author=author),  # within the edit window
        CommentFactory(item=item, author=author, created_at=old),  # past it: delete only
        CommentFactory(item=item, author=author, deleted_at=timezone.now()),  # deleted: nothing
        CommentFactory(item=item, author=other),
        CommentFactory(item=item, author=None),  # the author's account is gone
    ]
    Comment.objects.filter(pk=comments[1].pk).update(created_at=old)
    comments[1].refresh_from_db()
    return item, author, other, comments


def viewers(item, author, other):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    return {
        "anonymous": AnonymousUser(),
        "author": author,
        "other": other,
        "moderator": make_space_role(item.module.space, "moderator"),
        "org admin": make_org_admin(),
        "superuser": superuser,
        "inactive author": UserFactory(is_active=False),
    }


def test_comment_rights_answer_what_the_rules_answer_for_every_role_and_comment(thread):
    item, author, other, comments = thread
    checked = 0
    for role, user in viewers(item, author, other).items():
        for comment in comments:
            expected = {
                "edit": user.has_perm("comments.change_comment", comment),
                "delete": user.has_perm("comments.delete_comment", comment),
            }
            assert comment_rights(user, comment) == expected, (role, comment.pk)
            checked += 1
    assert checked == 35
    # The author's own comments are the ones they may act on: the fast path did not answer no to everything.
    assert comment_rights(author, comments[0]) == {"edit": True, "delete": True}
    assert comment_rights(author, comments[1]) == {"edit": False, "delete": True}
    assert comment_rights(author, comments[3]) == {"edit": False, "delete": False}


def test_the_comment_page_still_shows_edit_and_delete_to_the_author_only(client, thread):
    item, author, other, comments = thread
    content_type = ContentType.objects.get_for_model(item)
    url = f"/commentaires/{content_type.pk}/{item.pk}/"
    edit = reverse("comments:edit", args=[comments[0].pk])
    delete_old = reverse("comments:delete", args=[comments[1].pk])
    assert edit not in client.get(url).content.decode()
    client.force_login(other)
    assert edit not in client.get(url).content.decode()
    client.force_login(author)
    page = client.get(url).content.decode()
    assert edit in page
    assert delete_old in page
    assert reverse("comments:edit", args=[comments[1].pk]) not in page


def test_support_buttons_built_from_one_address_per_page_link_where_reverse_does(thread):
    _item, _author, other, comments = thread
    content_type = ContentType.objects.get_for_model(Comment)
    for user in (AnonymousUser(), other):
        request = RequestFactory().get("/page/?tri=soutenus")
        request.user = user
        for comment in comments[:4]:
            context = button_context(request, comment, supported=False)
            assert context["action_url"] == reverse(
                "supports:add", kwargs={"content_type_id": content_type.pk, "object_id": comment.pk}
            )
            assert context["login_url"] == reverse("account_login") + "?next=%2Fpage%2F%3Ftri%3Dsoutenus"
        withdrawn = button_context(request, comments[0], supported=True)
        assert withdrawn["action_url"] == reverse(
            "supports:withdraw", kwargs={"content_type_id": content_type.pk, "object_id": comments[0].pk}
        )
    # Without a page to come back to, the link goes back to the item itself (not another item's address).
    for comment in comments[:2]:
        context = button_context(None, comment, supported=False)
        assert context["login_url"].endswith(
            "?next=" + comment.get_absolute_url().replace("/", "%2F").replace("#", "%23")
        )


def test_report_links_built_from_one_address_per_page_link_where_reverse_does(thread):
    _item, _author, other, comments = thread
    content_type = ContentType.objects.get_for_model(Comment)
    request = RequestFactory().get("/page/")
    request.user = other
    for comment in (comments[0], comments[1], comments[4]):
        link = report_link({"request": request, "user": other}, comment)
        assert link["url"] == reverse("moderation:report", args=[content_type.pk, comment.pk])
    assert report_link({"request": None, "user": other}, comments[0])["url"] == reverse(
        "moderation:report", args=[content_type.pk, comments[0].pk]
    )


@pytest.mark.parametrize("body", ["Court.", "é" * 80, "e\u0301" * 50, "x" * 81, "mot " * 40])
def test_a_comments_title_is_what_truncator_gives(body):
    comment = Comment(body=body)
    assert str(comment) == Truncator(body).chars(80)
