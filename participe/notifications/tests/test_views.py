"""Pages: notifications list, opening one, marking all read, following, preferences, unsubscribing."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from participe.accounts.models import User
from participe.core.registry import registry
from participe.notifications import services
from participe.notifications.models import Follow, Notification, NotificationPreference
from participe.notifications.tests.factories import following
from participe.notifications.tokens import make_token
from participe.spaces.models import Space
from tests.factories import ItemFactory, SpaceFactory, UserFactory

pytestmark = pytest.mark.django_db

EVENT = "notifications.test"


def follow_url(obj):
    return reverse("notifications:follow", args=[ContentType.objects.get_for_model(obj).pk, obj.pk])


@pytest.fixture
def user(item):
    return following(item, pseudonym="lectrice")


@pytest.fixture
def user_client(client, user):
    client.force_login(user)
    return client


def test_the_list_needs_a_session(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_list_shows_unread_notifications_and_the_header_count(user_client, item):
    services.notify(event=EVENT, target=item)
    html = user_client.get(reverse("notifications:list")).content.decode()
    assert "1 notification non lue." in html
    assert "Non lue" in html
    assert item.title in html
    assert "Événement de test" in html
    # Header link: the count is visible and spelled out for screen readers.
    assert 'class="notifications-link__count" aria-hidden="true">1<' in html
    assert '<span class="visually-hidden"> (1 non lue)</span>' in html


def test_the_list_is_paginated_by_keyset_with_and_without_htmx(user_client, user, item):
    for n in range(25):
        services.notify(event=EVENT, target=item, context={"subject": f"Sujet {n:02d}"})
    html = user_client.get(reverse("notifications:list")).content.decode()
    assert "Sujet 24" in html and "Sujet 04" not in html
    cursor = html.split("?apres=")[1].split('"')[0]
    plain = user_client.get(reverse("notifications:list") + f"?apres={cursor}").content.decode()
    assert "Sujet 04" in plain and "Sujet 24" not in plain
    fragment = user_client.get(reverse("notifications:list") + f"?apres={cursor}", HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert "<html" not in body and "Sujet 00" in body
    assert 'hx-swap-oob="beforeend:#notifications-list"' in body


def test_opening_a_notification_marks_it_read_and_goes_to_its_target(user_client, user, item):
    services.notify(event=EVENT, target=item)
    notification = Notification.objects.get()
    assert (
        user_client.get(reverse("notifications:open", args=[notification.pk])).status_code == 405
    )  # GET writes nothing
    response = user_client.post(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == item.get_absolute_url()
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_nobody_opens_someone_elses_notification(client, user, item):
    services.notify(event=EVENT, target=item)
    client.force_login(UserFactory())
    assert client.post(reverse("notifications:open", args=[Notification.objects.get().pk])).status_code == 404


def test_mark_all_read(user_client, user, item):
    services.notify(event=EVENT, target=item)
    response = user_client.post(reverse("notifications:mark_all_read"))
    assert response.status_code == 302
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_follow_and_unfollow_without_javascript(client, item):
    user = UserFactory()
    client.force_login(user)
    next_url = item.module.get_absolute_url()
    response = client.post(follow_url(item), {"action": "follow", "next": next_url})
    assert response["Location"] == next_url
    item.refresh_from_db()
    assert item.followers_count == 1
    client.post(follow_url(item), {"action": "unfollow", "next": next_url})
    item.refresh_from_db()
    assert item.followers_count == 0


def test_follow_with_htmx_returns_the_button_pressed_and_announces_it(client, item):
    client.force_login(UserFactory())
    response = client.post(follow_url(item), {"action": "follow"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'aria-pressed="true"' in html
    assert "hx-swap-oob" in html and "Vous suivez ce contenu." in html and "1 abonné" in html
    assert "<html" not in html


def test_anonymous_visitors_are_sent_to_sign_in(client, item):
    response = client.post(follow_url(item), {"action": "follow"})
    assert reverse("account_login") in response["Location"]
    assert not Follow.objects.exists()


def test_an_offsite_next_is_ignored(client, item):
    client.force_login(UserFactory())
    response = client.post(follow_url(item), {"action": "follow", "next": "https://evil.example/"})
    assert response["Location"] == item.get_absolute_url()


def test_a_non_followable_model_or_a_private_space_answers_404(client):
    user = UserFactory()
    client.force_login(user)
    assert client.post(follow_url(user), {"action": "follow"}).status_code == 404
    private = SpaceFactory(visibility=Space.Visibility.PRIVATE)
    assert client.post(follow_url(private), {"action": "follow"}).status_code == 404


def render_button(obj, user):
    request = RequestFactory().get("/demarches/")
    request.user = user
    template = Template("{% load follows %}{% follow_button obj %}")
    return template.render(Context({"obj": obj, "request": request, "user": user}))


def test_the_follow_button_tag(item):
    user = UserFactory()
    html = render_button(item, user)
    assert 'aria-pressed="false"' in html and "Suivre" in html and "0 abonné" in html
    assert f'action="{follow_url(item)}"' in html and "hx-post" in html
    services.follow(actor=user, target=item)
    item.refresh_from_db()
    html = render_button(item, user)
    assert 'aria-pressed="true"' in html and "ne plus suivre" in html and "1 abonné" in html


def test_the_follow_button_for_visitors_links_to_sign_in(item):
    from django.contrib.auth.models import AnonymousUser

    html = render_button(item, AnonymousUser())
    assert "Se connecter pour suivre" in html and "<form" not in html


def test_the_follow_button_is_silent_for_non_followable_objects():
    user = UserFactory()
    assert render_button(user, user).strip() == ""


def test_the_header_link_is_only_for_signed_in_users(client, item):
    html = client.get("/").content.decode()
    assert reverse("notifications:list") not in html


def test_preferences_page_saves_rhythm_and_per_event_choices(user_client, user):
    url = reverse("notifications:preferences")
    html = user_client.get(url).content.decode()
    assert "Événement de test" in html and "<legend>" in html
    data = {"email_frequency": "weekly", f"{EVENT}__in_app": "on"}
    for event in registry.events():
        if event.key != EVENT:
            data[f"{event.key}__in_app"] = "on"
            data[f"{event.key}__email"] = "on"
    response = user_client.post(url, data)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email_frequency == "weekly"
    preference = NotificationPreference.objects.get(user=user)
    assert (preference.event, preference.in_app, preference.email) == (EVENT, True, False)


def test_preferences_list_what_the_user_follows_with_an_unfollow_button(user_client, item):
    html = user_client.get(reverse("notifications:preferences")).content.decode()
    assert item.title in html and "Ne plus suivre" in html


def test_an_invalid_rhythm_keeps_the_page_with_an_error(user_client):
    response = user_client.post(reverse("notifications:preferences"), {"email_frequency": "hourly"})
    assert response.status_code == 200
    assert 'id="id_email_frequency-error"' in response.content.decode()


# --- Unsubscribe ----------------------------------------------------------------------------------------------------


def test_unsubscribe_get_asks_for_confirmation_and_changes_nothing(client, user):
    token = make_token(user.pk)
    response = client.get(reverse("notifications:unsubscribe", args=[token]))
    assert response.status_code == 200
    assert "Confirmer le désabonnement" in response.content.decode()
    user.refresh_from_db()
    assert user.email_frequency == User.EmailFrequency.DAILY


def test_unsubscribe_post_without_session_or_csrf_stops_every_email(user, item):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    services.notify(event=EVENT, target=item)
    response = client.post(reverse("notifications:unsubscribe", args=[make_token(user.pk)]))
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.email_frequency == User.EmailFrequency.NEVER
    assert Notification.objects.get().email_status == "skipped"


def test_one_click_post_per_rfc_8058_for_one_event(user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    url = reverse("notifications:unsubscribe", args=[make_token(user.pk, EVENT)])
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert NotificationPreference.objects.get(user=user, event=EVENT).email is False
    user.refresh_from_db()
    assert user.email_frequency == User.EmailFrequency.DAILY


def test_a_tampered_token_is_refused(client, user):
    token = make_token(user.pk)
    other = make_token(user.pk + 1)
    forged = other.split(":")[0] + ":" + token.split(":", 1)[1]
    for bad in (forged, token[:-2] + "xx", "n-importe-quoi"):
        response = client.post(reverse("notifications:unsubscribe", args=[bad]))
        assert response.status_code == 400
    user.refresh_from_db()
    assert user.email_frequency == User.EmailFrequency.DAILY


def test_a_token_of_a_deleted_user_is_refused(client):
    response = client.get(reverse("notifications:unsubscribe", args=[make_token(987654)]))
    assert response.status_code == 400


def test_notifications_for_an_item_of_another_module_have_their_own_target(user_client, item):
    other = ItemFactory()
    services.follow(actor=User.objects.get(pseudonym="lectrice"), target=other)
    services.notify(event=EVENT, target=other)
    assert Notification.objects.get().target == other
