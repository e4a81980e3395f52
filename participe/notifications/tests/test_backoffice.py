"""Back-office: write to the followers of a space or module, preview, send, history; permissions; audit."""

import pytest
from django.urls import reverse

from participe.activity.models import AuditEntry
from participe.notifications.models import FollowerMessage, Notification
from participe.notifications.tests.factories import following
from participe.spaces.models import SpaceMembership
from tests.factories import make_agent, make_org_admin, make_space_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def space(item):
    return item.module.space


@pytest.fixture
def admin_client(client, space):
    client.force_login(make_space_role(space, SpaceMembership.Role.ADMIN, pseudonym="admin-espace"))
    return client


def data(**overrides):
    return {"module": "", "subject": "Réunion publique", "body": "Bonjour,\n\nRendez-vous jeudi à 18 h.", **overrides}


def test_the_index_lists_the_spaces_an_admin_may_write_to(admin_client, space):
    html = admin_client.get(reverse("notifications_backoffice:index")).content.decode()
    assert space.title in html
    assert reverse("notifications_backoffice:space", args=[space.pk]) in html


def test_the_preview_shows_the_email_and_the_number_of_recipients_and_sends_nothing(
    admin_client, space, item, mailoutbox
):
    following(space, email_frequency="daily")
    following(item.module)  # follows a module only: not a recipient of a message to the whole space
    response = admin_client.post(reverse("notifications_backoffice:compose", args=[space.pk]), data(etape="apercu"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ce message sera envoyé à 1 abonné" in html
    assert "Réunion publique" in html and "Rendez-vous jeudi à 18 h." in html
    assert "Ne plus recevoir les courriels" in html  # the footer, as in the email
    assert 'name="etape" value="envoyer"' in html
    assert mailoutbox == [] and not FollowerMessage.objects.exists()


def test_a_message_to_a_module_reaches_its_followers_and_the_spaces(admin_client, space, item):
    following(space)
    following(item.module)
    response = admin_client.post(
        reverse("notifications_backoffice:compose", args=[space.pk]), data(module=item.module.pk, etape="apercu")
    )
    assert "Ce message sera envoyé à 2 abonnés" in response.content.decode()


def test_sending_notifies_followers_emails_them_at_once_and_is_audited(
    admin_client, space, mailoutbox, django_capture_on_commit_callbacks
):
    daily = following(space, email_frequency="daily")
    never = following(space, email_frequency="never")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("notifications_backoffice:compose", args=[space.pk]), data(etape="envoyer")
        )
    message = FollowerMessage.objects.get()
    assert response["Location"] == reverse("notifications_backoffice:detail", args=[message.pk])
    assert message.recipients_count == 2
    assert message.status == FollowerMessage.Status.SENT
    assert set(Notification.objects.values_list("recipient", flat=True)) == {daily.pk, never.pk}
    # A message to followers is not held for the digest; "never" means never.
    assert [m.to for m in mailoutbox] == [[daily.email]]
    email = mailoutbox[0]
    assert email.subject == "Réunion publique"
    assert "Rendez-vous jeudi à 18 h." in email.body
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    entry = AuditEntry.objects.get(action="notifications.message")
    assert entry.after["subject"] == "Réunion publique" and entry.after["recipients"] == 2


def test_the_history_and_the_detail_page(admin_client, space, django_capture_on_commit_callbacks):
    following(space)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("notifications_backoffice:compose", args=[space.pk]), data(etape="envoyer"))
    message = FollowerMessage.objects.get()
    html = admin_client.get(reverse("notifications_backoffice:space", args=[space.pk])).content.decode()
    assert "Réunion publique" in html and "envoyé" in html
    detail = admin_client.get(reverse("notifications_backoffice:detail", args=[message.pk])).content.decode()
    assert "Rendez-vous jeudi à 18 h." in detail and "1 destinataire" in detail


def test_going_back_to_edit_keeps_what_was_typed(admin_client, space):
    response = admin_client.post(reverse("notifications_backoffice:compose", args=[space.pk]), data(etape="modifier"))
    html = response.content.decode()
    assert 'value="Réunion publique"' in html and "Rendez-vous jeudi" in html
    assert not FollowerMessage.objects.exists()


def test_an_empty_message_is_refused_with_the_subject_kept(admin_client, space):
    response = admin_client.post(
        reverse("notifications_backoffice:compose", args=[space.pk]), data(body="  ", etape="apercu")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_body-error"' in html and 'value="Réunion publique"' in html


def test_a_module_of_another_space_is_refused(admin_client, space):
    from tests.factories import ModuleFactory

    other = ModuleFactory()
    response = admin_client.post(
        reverse("notifications_backoffice:compose", args=[space.pk]), data(module=other.pk, etape="envoyer")
    )
    assert response.status_code == 200
    assert not FollowerMessage.objects.exists()


def test_agents_and_moderators_of_the_space_may_not_write(client, space):
    for user in (make_agent(), make_space_role(space, SpaceMembership.Role.MODERATOR)):
        client.force_login(user)
        assert client.get(reverse("notifications_backoffice:compose", args=[space.pk])).status_code == 403
        assert client.get(reverse("notifications_backoffice:space", args=[space.pk])).status_code == 403


def test_the_organisation_admin_may_write_to_any_space(client, space, django_capture_on_commit_callbacks):
    following(space)
    admin = make_org_admin()  # no role in this space
    client.force_login(admin)
    compose = reverse("notifications_backoffice:compose", args=[space.pk])
    assert 'name="subject"' in client.get(compose).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(compose, data(etape="envoyer"))
    message = FollowerMessage.objects.get()
    assert response["Location"] == reverse("notifications_backoffice:detail", args=[message.pk])
    assert (message.space, message.recipients_count, message.status) == (space, 1, FollowerMessage.Status.SENT)
    assert AuditEntry.objects.get(action="notifications.message").actor == admin


def test_residents_do_not_reach_the_back_office(client, space):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(reverse("notifications_backoffice:index")).status_code == 403


def test_markup_typed_in_a_message_is_shown_as_text_in_both_versions_of_the_preview(admin_client, space):
    payload = '<script>alert("x")</script><a href="javascript:alert(1)">lien</a>'
    space.title = f"Place {payload}"
    space.save(update_fields=["title"])
    response = admin_client.post(
        reverse("notifications_backoffice:compose", args=[space.pk]),
        data(subject=f"Objet {payload}", body=f"Bonjour {payload}", etape="apercu"),
    )
    html = response.content.decode()
    assert "<script>alert" not in html and 'href="javascript:' not in html
    assert "&lt;script&gt;alert" in html
