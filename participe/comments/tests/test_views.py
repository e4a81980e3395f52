"""Comment pages and actions, without JavaScript (POST and redirect) and with htmx (fragments)."""

from __future__ import annotations

import html
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from participe.comments import services
from participe.comments.models import Comment, Stance
from participe.comments.tests.factories import CommentFactory
from participe.core.models import ModerationStatus
from participe.spaces.models import Space, SpaceMembership
from tests.factories import ItemFactory, ModuleFactory, PhaseFactory, UserFactory, make_space_role

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def text(response) -> str:
    return html.unescape(response.content.decode())


def thread_url(item, action: str = "") -> str:
    content_type = ContentType.objects.get_for_model(item)
    return f"/commentaires/{content_type.pk}/{item.pk}/{action}"


def test_the_thread_page_shows_counts_comments_and_marks(client):
    item = ItemFactory(comments_count=2, comments_favorable_count=1, comments_unfavorable_count=1)
    agent = UserFactory()
    CommentFactory(item=item, body="Oui !\nVraiment.", author__pseudonym="alice")
    CommentFactory(
        item=item,
        stance=Stance.UNFAVORABLE,
        author=None,
        entered_by=agent,
        official_role="service",
        official_label="Voirie",
    )
    page = text(client.get(thread_url(item)))
    assert "Favorable : <strong>1</strong> (50 %)" in page
    assert "Défavorable : <strong>1</strong> (50 %)" in page
    assert "alice" in page
    assert "Oui !<br>Vraiment." in page
    assert "participant supprimé" in page
    assert "saisi par un agent" in page
    assert "service : Voirie" in page
    assert "Position : défavorable" in page
    assert "Connectez-vous pour commenter" in page


def test_the_template_tag_drops_the_section_into_a_resource_page():
    item = ItemFactory()
    CommentFactory(item=item, body="Un avis.")
    request = RequestFactory().get("/")
    request.user = UserFactory()
    request.htmx = False
    request.acting_for = None
    request.session = {}
    page = Template("{% load comments %}{% comments_section item %}").render(
        Context({"request": request, "item": item})
    )
    assert 'id="commentaires"' in page
    assert "Un avis." in page
    assert 'name="stance"' in page
    assert "<legend>Votre position" in page


def test_a_resident_posts_without_javascript_and_is_sent_back_to_the_resource(client):
    item = ItemFactory()
    client.force_login(UserFactory())
    response = client.post(thread_url(item, "ajouter/"), {"body": "Très bonne idée.", "stance": "favorable"})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{item.get_absolute_url().split('#')[0]}#commentaire-{comment.pk}"
    item.refresh_from_db()
    assert item.comments_favorable_count == 1


def test_errors_keep_what_the_resident_typed(client):
    item = ItemFactory()
    client.force_login(UserFactory())
    response = client.post(thread_url(item, "ajouter/"), {"body": "Mon long avis que je ne veux pas perdre"})
    page = text(response)
    assert response.status_code == 200
    assert "Choisissez votre position" in page
    assert "Mon long avis que je ne veux pas perdre</textarea>" in page
    assert 'aria-invalid="true"' in page
    assert not Comment.objects.exists()


def test_htmx_posts_get_the_form_back_with_the_new_comment_and_counts_out_of_band(client):
    item = ItemFactory()
    client.force_login(UserFactory())
    response = client.post(thread_url(item, "ajouter/"), {"body": "Avec htmx.", "stance": "neutral"}, **HTMX)
    page = text(response)
    assert response.status_code == 200
    assert '<div id="comment-form"' in page
    assert 'hx-swap-oob="afterbegin:#comments-new"' in page
    assert "Avec htmx." in page
    assert 'id="comments-counts" class="comments__counts" hx-swap-oob="true"' in page
    assert "Neutre : <strong>1</strong>" in page
    assert "Votre commentaire est publié." in page
    assert "<html" not in page


def test_htmx_errors_come_back_in_the_form_fragment(client):
    item = ItemFactory()
    client.force_login(UserFactory())
    response = client.post(thread_url(item, "ajouter/"), {"body": "", "stance": "neutral"}, **HTMX)
    assert response.status_code == 200
    assert "Écrivez votre commentaire." in text(response)
    assert "<html" not in text(response)


def test_a_visitor_cannot_post(client):
    item = ItemFactory()
    response = client.post(thread_url(item, "ajouter/"), {"body": "Anonyme", "stance": "neutral"})
    assert response.status_code == 200
    assert not Comment.objects.exists()


def test_the_page_explains_why_one_may_not_comment(client):
    module = ModuleFactory(module_type="testmodule")
    PhaseFactory(module=module, phase_type="information")
    item = ItemFactory(module=module)
    client.force_login(UserFactory())
    page = text(client.get(thread_url(item)))
    assert "Les commentaires ne sont pas ouverts pendant cette étape." in page
    assert 'name="stance"' not in page


def test_replies_without_javascript_and_with_htmx(client):
    item = ItemFactory()
    top = CommentFactory(item=item)
    client.force_login(UserFactory())
    assert "Répondre à un commentaire" in text(client.get(f"/commentaires/{top.pk}/repondre/"))
    response = client.post(f"/commentaires/{top.pk}/repondre/", {"body": "Je réponds."})
    assert response.status_code == 302
    response = client.post(f"/commentaires/{top.pk}/repondre/", {"body": "Encore."}, **HTMX)
    page = text(response)
    assert page.startswith('<article class="comment"')
    assert "Je réponds." in page and "Encore." in page
    top.refresh_from_db()
    assert top.replies_count == 2


def test_a_page_of_comments_continues_with_a_cursor(client):
    item = ItemFactory()
    for n in range(25):
        CommentFactory(item=item, body=f"Avis {n:02d}")
    page = text(client.get(thread_url(item)))
    assert "Avis 19" in page and "Avis 20" not in page
    cursor = re.search(r'href="[^"]+\?tri=anciens&cursor=([^"]+)"', page).group(1)
    following = text(client.get(f"{thread_url(item)}?tri=anciens&cursor={cursor}"))
    assert "Avis 20" in following and "Avis 24" in following and "Avis 19" not in following
    fragment = text(client.get(f"{thread_url(item)}?tri=anciens&cursor={cursor}", **HTMX))
    assert 'hx-swap-oob="beforeend:#comments-list"' in fragment
    assert "5 commentaires de plus sont affichés." in fragment
    assert "<html" not in fragment


def test_the_page_costs_the_same_number_of_queries_with_many_comments(client):
    item = ItemFactory()
    for _n in range(30):
        top = CommentFactory(item=item)
        for _m in range(4):
            CommentFactory(item=item, parent=top, stance="")
    client.get(thread_url(item))
    with CaptureQueriesContext(connection) as few:
        client.get(thread_url(ItemFactory()))
    with CaptureQueriesContext(connection) as many:
        response = client.get(thread_url(item))
    assert "Afficher les 1 autres réponses" not in text(response)
    assert "Afficher l'autre réponse" in text(response)
    assert len(many) <= len(few) + 3  # replies, and the count of the hidden ones


def test_sorts_by_support(client):
    item = ItemFactory()
    CommentFactory(item=item, body="Peu soutenu", supports_count=1)
    CommentFactory(item=item, body="Très soutenu", supports_count=9)
    page = text(client.get(f"{thread_url(item)}?tri=soutenus"))
    assert page.index("Très soutenu") < page.index("Peu soutenu")


def test_the_author_edits_and_deletes_without_javascript(client):
    item = ItemFactory()
    author = UserFactory()
    comment = services.comment_create(actor=author, target=item, body="Premier jet.", stance=Stance.FAVORABLE)
    client.force_login(author)
    assert "Premier jet." in text(client.get(f"/commentaires/{comment.pk}/modifier/"))
    response = client.post(f"/commentaires/{comment.pk}/modifier/", {"body": "Version corrigée.", "stance": "neutral"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Version corrigée."
    assert "modifié" in text(client.get(thread_url(item)))
    response = client.post(f"/commentaires/{comment.pk}/supprimer/")
    assert response.status_code == 302
    assert "Commentaire supprimé par son auteur" in text(client.get(thread_url(item)))


def test_someone_else_cannot_edit_or_delete(client):
    comment = CommentFactory()
    client.force_login(UserFactory())
    assert client.post(f"/commentaires/{comment.pk}/modifier/", {"body": "x", "stance": "neutral"}).status_code == 403
    assert client.post(f"/commentaires/{comment.pk}/supprimer/").status_code == 403


def test_waiting_and_hidden_comments(client):
    item = ItemFactory()
    author = UserFactory()
    CommentFactory(item=item, body="En attente", author=author, moderation_status=ModerationStatus.PENDING)
    CommentFactory(item=item, body="Masqué", moderation_status=ModerationStatus.HIDDEN)
    CommentFactory(item=item, body="Le mien, retiré", author=author, moderation_status=ModerationStatus.HIDDEN)
    page = text(client.get(thread_url(item)))
    assert "En attente" not in page and "Le mien, retiré" not in page
    client.force_login(author)
    page = text(client.get(thread_url(item)))
    assert "En attente" in page and "en attente de modération" in page and "Masqué" not in page
    assert "Le mien, retiré" in page and "masqué par la modération" in page  # their own, marked (decision 0006)
    client.force_login(make_space_role(item.module.space, SpaceMembership.Role.MODERATOR))
    page = text(client.get(thread_url(item)))
    assert "Masqué" in page and "masqué par la modération" in page


def test_a_private_space_hides_its_comments(client):
    item = ItemFactory(module__space__visibility=Space.Visibility.PRIVATE)
    assert client.get(thread_url(item)).status_code == 404


def test_unknown_or_not_commentable_targets_are_404(client):
    user = UserFactory()
    content_type = ContentType.objects.get_for_model(user)
    assert client.get(f"/commentaires/{content_type.pk}/{user.pk}/").status_code == 404
    assert client.get(thread_url(ItemFactory()).replace("/commentaires/", "/commentaires/99999/", 1)).status_code == 404


def test_all_replies_of_a_comment(client):
    item = ItemFactory()
    top = CommentFactory(item=item)
    for n in range(6):
        CommentFactory(item=item, parent=top, stance="", body=f"Réponse {n}")
    page = text(client.get(f"/commentaires/{top.pk}/reponses/"))
    assert all(f"Réponse {n}" in page for n in range(6))


def test_a_signed_in_page_also_costs_the_same_whatever_the_thread(client):
    item = ItemFactory()
    for _n in range(25):
        top = CommentFactory(item=item)
        for _m in range(4):
            CommentFactory(item=item, parent=top, stance="")
    small = ItemFactory(module=item.module)
    CommentFactory(item=small)
    client.force_login(UserFactory())
    client.get(thread_url(item))
    with CaptureQueriesContext(connection) as few:
        client.get(thread_url(small))
    with CaptureQueriesContext(connection) as many:
        client.get(thread_url(item))
    assert len(many) <= len(few) + 3


def test_a_visitor_is_told_the_phase_is_closed_rather_than_asked_to_sign_in(client):
    module = ModuleFactory(module_type="testmodule")
    PhaseFactory(module=module, phase_type="information")
    page = text(client.get(thread_url(ItemFactory(module=module))))
    assert "Les commentaires ne sont pas ouverts pendant cette étape." in page
    assert "Connectez-vous pour commenter" not in page


def test_the_eligibility_rule_explains_itself(client):
    from participe.core.capabilities import Cap
    from participe.verifications.models import EligibilityRule

    item = ItemFactory()
    EligibilityRule.objects.create(module=item.module, action=Cap.COMMENT, require_verification=True)
    client.force_login(UserFactory())
    assert "Il faut d'abord vérifier votre lieu de résidence." in text(client.get(thread_url(item)))
