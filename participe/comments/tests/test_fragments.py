"""Comments' HTML kept under what they show (``participe.comments.fragments``, issue #12, decision 0044).

The kept fragments must give, for every viewer, the page the templates alone give; a change of anything a comment
shows must show at once (the key is computed from it: nothing to invalidate); nothing personal (an author's links, a
CSRF token, a form's one-time token) may pass from one visitor to another.
"""

from __future__ import annotations

import html
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from participe.comments import fragments
from participe.comments.models import Comment
from participe.comments.tests.factories import CommentFactory
from participe.core import idempotency
from participe.core.models import ModerationStatus
from participe.supports import services as supports
from tests.factories import ItemFactory, UserFactory, make_space_role

pytestmark = pytest.mark.django_db

TOKENS = re.compile(rf'(name="(?:csrfmiddlewaretoken|{idempotency.FORM_FIELD})" value=")[^"]*(")')


def thread_url(item) -> str:
    content_type = ContentType.objects.get_for_model(item)
    return f"/commentaires/{content_type.pk}/{item.pk}/"


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def comparable(text: str) -> str:
    """The page with its per-request tokens blanked out."""
    return TOKENS.sub(r"\1…\2", text)


@pytest.fixture(autouse=True)
def empty_fragments():
    caches["fragments"].clear()
    yield
    caches["fragments"].clear()


@pytest.fixture
def thread():
    item = ItemFactory()
    author, other = UserFactory(pseudonym="autrice"), UserFactory(pseudonym="voisin")
    tops = [CommentFactory(item=item, author=author, body="Premier avis.\nSur deux lignes.")]
    tops += [CommentFactory(item=item, author=other, body=f"Avis {n}") for n in range(3)]
    for n in range(4):  # more replies than the page shows under their parent
        CommentFactory(item=item, author=other if n % 2 else author, parent=tops[0], body=f"Réponse {n}")
    CommentFactory(item=item, author=None, body="Un compte supprimé.")
    return item, author, other, tops


def clients(item, author, other) -> dict[str, Client]:
    viewers: dict[str, Client] = {"anonymous": Client()}
    for name, user in {
        "author": author,
        "other": other,
        "newcomer": UserFactory(),
        "moderator": make_space_role(item.module.space, "moderator"),
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }.items():
        viewers[name] = Client()
        viewers[name].force_login(user)
    return viewers


def test_every_viewer_gets_the_page_the_templates_alone_give(thread, settings):
    item, author, other, _tops = thread
    url = thread_url(item)
    viewers = clients(item, author, other)
    settings.PARTICIPE_COMMENT_FRAGMENTS = False
    expected = {name: comparable(page(c, url)) for name, c in viewers.items()}
    settings.PARTICIPE_COMMENT_FRAGMENTS = True
    for _round in range(2):  # the first round fills the fragments, the second is served from them
        for name, viewer in viewers.items():
            assert comparable(page(viewer, url)) == expected[name], name
    assert len(caches["fragments"]._cache) > 0  # type: ignore[attr-defined]
    # The author's own links went to the author only, although the others' views of those comments were kept.
    own = viewers["author"]
    assert f"/commentaires/{_tops[0].pk}/modifier/" in page(own, url)
    for name in ("anonymous", "other", "newcomer"):
        assert f"/commentaires/{_tops[0].pk}/modifier/" not in page(viewers[name], url), name


def test_a_comment_is_kept_for_its_author_alone_with_what_they_may_do(thread, settings, monkeypatch):
    item, author, other, tops = thread
    url = thread_url(item)
    own = Client()
    own.force_login(author)
    first = page(own, url)
    assert f"/commentaires/{tops[0].pk}/modifier/" in first
    rendered: list[int] = []
    real = fragments._template

    class Counted:
        def __init__(self, name: str) -> None:
            self.template = real(name)

        def render(self, context):
            rendered.append(context.get("comment").pk)
            return self.template.render(context)

    monkeypatch.setattr(
        fragments, "_template", lambda name: Counted(name) if name == fragments.OWN_TEMPLATE else real(name)
    )
    assert comparable(page(own, url)) == comparable(first)
    assert rendered == []  # every part, the author's own included, from the fragments
    # Another reader of the same page gets the comment without the author's links, from a key of their own.
    reader = Client()
    reader.force_login(other)
    assert f"/commentaires/{tops[0].pk}/modifier/" not in page(reader, url)
    # The edit window closed: another key, the edit link gone, the delete link still there.
    settings.PARTICIPE_COMMENT_EDIT_MINUTES = 0  # nothing the comment shows changed: only what its author may do
    later = page(own, url)
    assert f"/commentaires/{tops[0].pk}/modifier/" not in later
    assert f"/commentaires/{tops[0].pk}/supprimer/" in later


def test_what_a_comment_shows_changes_at_once(thread):
    item, _author, other, tops = thread
    url = thread_url(item)
    visitor = Client()
    reader = Client()
    reader.force_login(UserFactory())
    for viewer in (visitor, reader):
        assert "Avis 1" in page(viewer, url)
    # Its text edited, its author renamed: a new key, the new text.
    Comment.objects.filter(pk=tops[2].pk).update(body="Avis 1, corrigé", edited_at=timezone.now())
    other.pseudonym = "voisine"
    other.save(update_fields=["pseudonym"])
    for viewer in (visitor, reader):
        shown = page(viewer, url)
        assert "Avis 1, corrigé" in shown and "modifié" in shown and "voisine" in shown
        assert "voisin<" not in shown
    # A support: the count for everyone, the button's state for the one who gave it.
    supporter = UserFactory()
    supports.support_add(actor=supporter, target=tops[3])
    supporting = Client()
    supporting.force_login(supporter)
    for viewer in (visitor, reader, supporting):
        assert "1 soutien" in page(viewer, url)
    assert "Vous soutenez ceci" in page(supporting, url)
    assert "Vous soutenez ceci" not in page(reader, url)
    # Hidden by moderation: gone for visitors, shown marked to its author (rendered, never kept).
    Comment.objects.filter(pk=tops[1].pk).update(moderation_status=ModerationStatus.HIDDEN, moderated_at=timezone.now())
    assert "Avis 0" not in page(visitor, url) and "Avis 0" not in page(reader, url)
    # Deleted by its author.
    Comment.objects.filter(pk=tops[3].pk).update(deleted_at=timezone.now())
    assert "Commentaire supprimé par son auteur" in page(visitor, url)


def test_the_same_comment_in_english_is_kept_apart(thread):
    item, _author, _other, _tops = thread
    url = thread_url(item)
    visitor = Client()
    assert "Aucun soutien" in page(visitor, url)
    visitor.cookies["django_language"] = "en"
    english = page(visitor, url)
    assert "No supports" in english and "Aucun soutien" not in english
    del visitor.cookies["django_language"]
    assert "Aucun soutien" in page(visitor, url)


def test_no_token_passes_from_one_visitor_to_another(thread):
    item, _author, _other, tops = thread
    url = thread_url(item)
    first, second = Client(), Client()
    first.force_login(UserFactory())
    second.force_login(UserFactory())
    pages = [page(first, url), page(second, url), page(first, url)]
    assert fragments.CSRF_PLACEHOLDER not in "".join(pages)
    assert fragments.TOKEN_PLACEHOLDER not in "".join(pages)
    tokens = [re.findall(rf'name="{idempotency.FORM_FIELD}" value="([^"]+)"', p) for p in pages]
    every = [t for ts in tokens for t in ts]
    assert len(tokens[0]) >= len(tops) and len(every) == len(set(every))  # one reply form per comment, all new
    csrf = [set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', p)) for p in pages]
    assert csrf[0] and csrf[1] and not csrf[0] & csrf[1]
    # Those tokens work: a reply posted from the kept form is written once, and again is not written twice.
    form_token = tokens[1][0]
    data = {"body": "Merci pour cet avis.", idempotency.FORM_FIELD: form_token}
    target = re.search(r'<form method="post" action="(/commentaires/\d+/repondre/)"', pages[1]).group(1)
    assert second.post(target, data).status_code == 302
    assert second.post(target, data).status_code == 302
    assert Comment.objects.filter(body="Merci pour cet avis.").count() == 1


def test_a_reply_form_shown_again_with_its_errors_is_never_kept(thread):
    item, _author, _other, tops = thread
    reader = Client()
    reader.force_login(UserFactory())
    answer = reader.post(f"/commentaires/{tops[1].pk}/repondre/", {"body": ""}, HTTP_HX_REQUEST="true")
    assert answer.status_code in (200, 422)
    assert 'aria-invalid="true"' in answer.content.decode()
    assert 'aria-invalid="true"' not in page(reader, thread_url(item))


def test_a_page_of_comments_reads_their_kept_parts_at_once(thread, monkeypatch):
    """One round trip to the cache for the page's comments and the replies shown under them, not one each."""
    item, _author, other, tops = thread
    viewer = Client()
    viewer.force_login(other)
    url = thread_url(item)
    expected = comparable(page(viewer, url))  # fills the fragments
    store = caches["fragments"]  # the comments' parts (keys "comment:…") and the page's kept parts (decision 0046)
    asked: list[tuple[str, int]] = []
    inside: list[bool] = []  # Django's memory cache answers get_many with one get per key; Redis in one request
    get, get_many = store.get, store.get_many

    def one(key, *args, **kwargs):
        if key.startswith("comment:") and not inside:
            asked.append(("get", 1))
        return get(key, *args, **kwargs)

    def many(keys, *args, **kwargs):
        asked.append(("get_many", len([k for k in keys if k.startswith("comment:")])))
        inside.append(True)
        try:
            return get_many(keys, *args, **kwargs)
        finally:
            inside.pop()

    monkeypatch.setattr(store, "get", one)
    monkeypatch.setattr(store, "get_many", many)
    assert comparable(page(viewer, url)) == expected
    assert [kind for kind, _n in asked] == ["get_many"] and asked[0][1] > 1  # every comment shown, at once
    asked.clear()
    replies = page(viewer, f"/commentaires/{tops[0].pk}/reponses/")
    assert "Réponse 3" in replies and [kind for kind, _n in asked] == ["get", "get_many"]  # the parent, its replies
