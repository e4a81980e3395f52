"""The report form (without and with htmx), the queue, its filters and decisions, account blocks."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from participe.activity.models import AuditEntry
from participe.moderation import services
from participe.moderation.models import ModerationCase, Report
from participe.spaces.models import SpaceMembership
from tests.factories import ItemFactory, UserFactory, make_space_role

pytestmark = pytest.mark.django_db


def report_url(item, name="moderation:report"):
    return reverse(name, args=[ContentType.objects.get_for_model(item).pk, item.pk])


def report(item, n=1, reason="spam"):
    for _ in range(n):
        services.report_create(actor=UserFactory(), target=item, reason=reason, details="")


# --- Public side -----------------------------------------------------------------------------------------------


def test_an_anonymous_visitor_is_asked_to_sign_in(client, item):
    response = client.get(report_url(item))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_a_participant_reports_without_javascript(client, item):
    person = UserFactory()
    client.force_login(person)
    html = client.get(report_url(item)).content.decode()
    assert "<fieldset" in html and "<legend>Pourquoi signalez-vous ce contenu ?" in html
    assert "Propos injurieux ou haineux" in html and item.title in html
    response = client.post(report_url(item), {"reason": "abusive", "details": "Insulte envers un voisin"})
    assert response.status_code == 302 and response["Location"] == report_url(item, "moderation:report_done")
    assert Report.objects.get().reporter == person
    html = client.get(response["Location"]).content.decode()
    assert "Merci pour votre signalement" in html and item.get_absolute_url() in html
    html = client.get(report_url(item)).content.decode()
    assert "Vous avez déjà signalé ce contenu" in html


def test_an_invalid_report_keeps_what_was_typed(client, item):
    client.force_login(UserFactory())
    response = client.post(report_url(item), {"reason": "other", "details": "  "})
    html = response.content.decode()
    assert response.status_code == 200 and "Précisez ce qui pose problème" in html
    assert 'value="other" ' in html and "checked" in html and 'aria-invalid="true"' in html
    response = client.post(report_url(item), {"details": "Mon texte gardé"})
    html = response.content.decode()
    assert "Choisissez le motif du signalement." in html and "Mon texte gardé" in html
    assert not Report.objects.exists()


def test_with_htmx_the_form_and_the_thanks_come_as_fragments(client, item):
    client.force_login(UserFactory())
    html = client.get(report_url(item), headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in html and 'hx-post="' in html
    html = client.post(report_url(item), {"reason": "spam"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in html and "Merci pour votre signalement" in html


def test_a_blocked_account_sees_why_it_cannot_report(client, item, org_admin):
    person = UserFactory()
    services.user_block(actor=org_admin, user=person, reason="Insultes répétées")
    client.force_login(person)
    response = client.get(report_url(item))
    assert response.status_code == 403 and "Votre compte est bloqué" in response.content.decode()
    html = client.get(reverse("moderation:account_blocked")).content.decode()
    assert "Insultes répétées" in html


def test_a_content_not_reportable_or_hidden_answers_404(client, item):
    client.force_login(UserFactory())
    module_type = ContentType.objects.get_for_model(item.module)
    assert client.get(reverse("moderation:report", args=[module_type.pk, item.module.pk])).status_code == 404
    assert client.get(reverse("moderation:report", args=[module_type.pk + 999, 1])).status_code == 404
    item.moderation_status = "hidden"
    item.save()
    assert client.get(report_url(item)).status_code == 404


def render(template, **context):
    request = RequestFactory().get("/")
    request.user = context.get("user")
    return Template("{% load moderation %}" + template).render(Context({"request": request, **context}))


def test_report_link_is_shown_to_others_than_the_author(item, django_assert_num_queries):
    html = render("{% report_link item %}", item=item, user=UserFactory())
    assert report_url(item) in html and "Signaler" in html and 'aria-live="polite"' in html
    assert render("{% report_link item %}", item=item, user=item.author).strip() == ""
    # The author is told by their key: their account is not read (a page asks for its item's and every comment's).
    fresh, reader = type(item).objects.get(pk=item.pk), UserFactory()
    ContentType.objects.get_for_model(item)
    with django_assert_num_queries(0):
        assert "Signaler" in render("{% report_link item %}", item=fresh, user=reader)
        assert render("{% report_link item %}", item=fresh, user=item.author).strip() == ""
    assert render("{% report_link module %}", module=item.module, user=UserFactory()).strip() == ""


def test_moderation_mark_shows_status_to_moderators_and_the_note_to_all(
    item, space_moderator, django_assert_num_queries
):
    reader = UserFactory()
    with django_assert_num_queries(0):
        assert render("{% moderation_mark item %}", item=item, user=reader).strip() == ""
    services.content_edit_formatting(
        actor=space_moderator, target=item, field="body", new_value="Propre", note="lien retiré"
    )
    services.content_hide(actor=space_moderator, target=item, reason="Hors charte")
    item.refresh_from_db()
    html = render("{% moderation_mark item %}", item=item, user=item.author)
    assert "Masqué par la modération" in html and "Modifié par la modération : lien retiré" in html
    html = render("{% moderation_mark item %}", item=item, user=UserFactory())
    assert "Masqué" not in html and "lien retiré" in html


# --- Back-office ------------------------------------------------------------------------------------------------


def test_the_queue_lists_reported_content_with_reasons_and_counts(client, item, org_admin):
    report(item, 2, reason="abusive")
    client.force_login(org_admin)
    html = client.get(reverse("moderation_backoffice:queue")).content.decode()
    assert item.title in html and "Propos injurieux ou haineux (2)" in html
    assert item.author.pseudonym in html
    nav = client.get(reverse("backoffice:dashboard")).content.decode()
    assert reverse("moderation_backoffice:queue") in nav
    assert 'badge--count">1<span class="visually-hidden"> contenu à traiter</span>' in nav


def test_queue_filters_by_status_space_and_reason(client, item, org_admin):
    other = ItemFactory(title="Autre idée signalée")
    report(item, reason="spam")
    report(other, reason="illegal")
    client.force_login(org_admin)
    url = reverse("moderation_backoffice:queue")
    html = client.get(url, {"motif": "illegal"}).content.decode()
    assert other.title in html and item.title not in html
    html = client.get(url, {"espace": item.module.space.pk}).content.decode()
    assert item.title in html and other.title not in html
    html = client.get(url, {"statut": "masques"}).content.decode()
    assert "Aucun contenu ne correspond" in html


def test_a_space_moderator_sees_and_acts_only_in_their_space(client, item, space_moderator):
    other = ItemFactory(title="Dans un autre espace")
    report(item)
    report(other)
    client.force_login(space_moderator)
    html = client.get(reverse("moderation_backoffice:queue")).content.decode()
    assert item.title in html and other.title not in html
    other_case = ModerationCase.objects.get(object_id=other.pk)
    assert client.get(reverse("moderation_backoffice:case", args=[other_case.pk])).status_code == 404
    response = client.post(
        reverse("moderation_backoffice:case_action", args=[other_case.pk, "masquer"]), {"masquer-reason": "x"}
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.moderation_status == "published"


def test_a_participant_has_no_queue(client, item):
    client.force_login(UserFactory())
    assert client.get(reverse("moderation_backoffice:queue")).status_code == 403


def test_a_moderator_hides_with_a_reason_from_the_case_page(
    client, item, space_moderator, notify, django_capture_on_commit_callbacks
):
    report(item)
    case = ModerationCase.objects.get()
    client.force_login(space_moderator)
    html = client.get(reverse("moderation_backoffice:case", args=[case.pk])).content.decode()
    assert (
        "Masquer le contenu" in html and "Classer les signalements sans suite" in html and "Publicité ou spam" in html
    )
    url = reverse("moderation_backoffice:case_action", args=[case.pk, "masquer"])
    response = client.post(url, {"masquer-reason": ""})
    assert response.status_code == 400 and "Indiquez le motif de la décision" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"masquer-reason": "Propos injurieux"}, follow=True)
    assert "Le contenu est masqué" in response.content.decode()
    item.refresh_from_db()
    assert item.moderation_status == "hidden"
    assert AuditEntry.objects.filter(
        action="moderation.hide", actor=space_moderator, reason="Propos injurieux"
    ).exists()
    assert notify.call_args.kwargs["recipients"] == [item.author]
    html = response.content.decode()
    assert "Rendre visible" in html and "moderation.hide" in html
    response = client.post(
        reverse("moderation_backoffice:case_action", args=[case.pk, "rendre-visible"]),
        {"rendre-visible-reason": "Finalement acceptable"},
        follow=True,
    )
    item.refresh_from_db()
    assert item.moderation_status == "published"


def test_a_moderator_publishes_a_pending_content(client, item, org_admin):
    item.moderation_status = "pending"
    item.save()
    case = services.content_submit(target=item)
    client.force_login(org_admin)
    html = client.get(reverse("moderation_backoffice:queue"), {"statut": "en-attente"}).content.decode()
    assert item.title in html
    client.post(reverse("moderation_backoffice:case_action", args=[case.pk, "publier"]), {"publier-reason": "Conforme"})
    item.refresh_from_db()
    assert item.moderation_status == "published"


def test_a_moderator_corrects_a_text(client, item, space_moderator):
    report(item)
    case = ModerationCase.objects.get()
    client.force_login(space_moderator)
    url = reverse("moderation_backoffice:case_edit", args=[case.pk])
    html = client.get(url, {"champ": "body"}).content.decode()
    assert item.body.replace("'", "&#x27;") in html
    response = client.post(url, {"field": "body", "new_value": "Texte corrigé", "note": ""})
    assert "Expliquez la modification" in response.content.decode() and "Texte corrigé" in response.content.decode()
    response = client.post(url, {"field": "body", "new_value": "Texte corrigé", "note": "mise en forme"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.body == "Texte corrigé"


def test_an_org_admin_blocks_the_author_from_the_case_then_unblocks(client, item, org_admin):
    report(item)
    case = ModerationCase.objects.get()
    client.force_login(org_admin)
    case_url = reverse("moderation_backoffice:case", args=[case.pk])
    block_url = reverse("moderation_backoffice:user_block", args=[item.author.pk])
    assert block_url in client.get(case_url).content.decode()
    response = client.post(block_url, {"reason": "", "next": case_url})
    assert "Indiquez le motif" in response.content.decode()
    response = client.post(block_url, {"reason": "Insultes", "next": case_url})
    assert response.status_code == 302 and response["Location"] == case_url
    item.author.refresh_from_db()
    assert item.author.blocked_at is not None
    html = client.get(reverse("backoffice:user_detail", args=[item.author.pk])).content.decode()
    assert "Débloquer le compte" in html
    client.post(block_url, {"reason": "Excuses", "next": "https://ailleurs.example/"})
    item.author.refresh_from_db()
    assert item.author.blocked_at is None


def test_a_space_moderator_cannot_block(client, item, space_moderator):
    client.force_login(space_moderator)
    assert client.get(reverse("moderation_backoffice:user_block", args=[item.author.pk])).status_code == 403


def test_the_queue_pages_with_a_cursor(client, org_admin):
    for _ in range(27):
        report(ItemFactory())
    client.force_login(org_admin)
    response = client.get(reverse("moderation_backoffice:queue"))
    page = response.context["page"]
    assert len(page.items) == 25 and page.has_next
    second = client.get(reverse("moderation_backoffice:queue"), {"apres": page.next_cursor}).context["page"]
    assert len(second.items) == 2 and not set(second.items) & set(page.items)


def test_space_admin_role_is_a_moderator_of_the_space(client, item):
    admin = make_space_role(item.module.space, SpaceMembership.Role.ADMIN)
    report(item)
    client.force_login(admin)
    assert item.title in client.get(reverse("moderation_backoffice:queue")).content.decode()
    assert timezone.now()


def test_the_queue_costs_the_same_for_5_or_20_contents(client, org_admin, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(5):
        report(ItemFactory())
    client.force_login(org_admin)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("moderation_backoffice:queue"))
    for _ in range(15):
        report(ItemFactory())
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("moderation_backoffice:queue"))
