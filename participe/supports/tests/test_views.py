"""The support button: a plain form POST and redirect, an htmx fragment, the tag on a list page."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participe.supports import services
from participe.supports.models import Support
from participe.supports.tests.factories import limited_module
from participe.verifications.services import managed_account_create
from tests.factories import ItemFactory, UserFactory, make_agent

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, item):
    return reverse(name, kwargs={"content_type_id": ContentType.objects.get_for_model(item).pk, "object_id": item.pk})


def render_tag(item, user, text="{% load supports %}{% support_button item %}", **context):
    request = RequestFactory().get("/une-page/?tri=recent")
    request.user = user
    return Template(text).render(Context({"item": item, "request": request, **context}))


def test_without_javascript_it_supports_and_goes_back_to_the_page(client):
    item, user = ItemFactory(), UserFactory()
    client.force_login(user)
    response = client.post(url("supports:add", item), {"next": "/une-page/?tri=recent"})
    assert response.status_code == 302 and response.url == "/une-page/?tri=recent"
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Votre soutien est enregistré."]
    item.refresh_from_db()
    assert item.supports_count == 1


def test_an_unsafe_next_falls_back_to_the_item(client):
    item, user = ItemFactory(), UserFactory()
    client.force_login(user)
    response = client.post(url("supports:add", item), {"next": "https://ailleurs.example/piege"})
    assert response.url == item.get_absolute_url()


def test_without_javascript_it_withdraws(client):
    item, user = ItemFactory(), UserFactory()
    services.support_add(actor=user, target=item)
    client.force_login(user)
    response = client.post(url("supports:withdraw", item), {"next": "/"})
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Votre soutien est retiré."]
    assert not Support.objects.exists()


def test_the_limit_message_is_shown_after_the_redirect(client):
    module = limited_module(1)
    user = UserFactory()
    services.support_add(actor=user, target=ItemFactory(module=module))
    other = ItemFactory(module=module)
    client.force_login(user)
    response = client.post(url("supports:add", other), {"next": "/"})
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Vous avez déjà utilisé votre soutien dans ce module : retirez-le pour soutenir ce projet."
    ]


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    item = ItemFactory()
    response = client.post(url("supports:add", item), {"next": "/une-page/"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login")) and "une-page" in response.url
    assert not Support.objects.exists()


def test_with_htmx_an_expired_session_goes_to_sign_in(client):
    response = client.post(url("supports:add", ItemFactory()), {"next": "/une-page/"}, **HTMX)
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("account_login"))


def test_get_is_not_allowed(client):
    client.force_login(UserFactory())
    assert client.get(url("supports:add", ItemFactory())).status_code == 405


def test_an_unknown_or_invisible_target_is_404(client):
    client.force_login(UserFactory())
    item = ItemFactory()
    module_type = ContentType.objects.get_for_model(item.module).pk
    assert client.post(reverse("supports:add", args=[module_type, item.module.pk])).status_code == 404
    item.module.space.visibility = "private"
    item.module.space.save()
    assert client.post(url("supports:add", item)).status_code == 404


def test_with_htmx_it_returns_the_fragment_and_updates_the_count(client):
    module = limited_module(3)
    item, user = ItemFactory(module=module), UserFactory()
    client.force_login(user)
    response = client.post(url("supports:add", item), {"next": "/une-page/"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-pressed="true"' in html
    assert 'hx-swap-oob="innerHTML"' in html
    assert "1 soutien" in html
    assert "Votre soutien est enregistré. Il vous reste 2 soutiens." in html
    assert url("supports:withdraw", item) in html
    assert 'name="next" value="/une-page/"' in html
    # The allowance shown under the other items of the page is updated too.
    assert f'hx-swap-oob="innerHTML:.support-left-{module.pk}">Il vous reste 2 soutiens.' in html


def test_with_htmx_an_error_is_announced_in_place(client):
    module = limited_module(1)
    user = UserFactory()
    services.support_add(actor=user, target=ItemFactory(module=module))
    other = ItemFactory(module=module)
    client.force_login(user)
    html = client.post(url("supports:add", other), **HTMX).content.decode()
    assert 'role="alert"' in html and "retirez-le pour soutenir ce projet" in html
    # The allowance is used up: instead of the button, why, and where to free a support.
    assert 'aria-pressed="false"' not in html and reverse("supports:mine", kwargs={"module_id": module.pk}) in html


def test_an_agent_acting_for_a_resident_supports_in_their_name(client):
    agent = make_agent()
    resident = managed_account_create(
        agent=agent, first_name="Odette", last_name="Lemoine", territory=None, birth_date=None
    )
    client.force_login(agent)
    session = client.session
    session["acting_for"] = resident.pk
    session.save()
    item = ItemFactory()
    client.post(url("supports:add", item))
    support = Support.objects.get()
    assert support.user == resident and support.entered_by == agent


def test_the_tag_for_an_anonymous_visitor_links_to_sign_in():
    from django.contrib.auth.models import AnonymousUser

    item = ItemFactory(supports_count=12)
    html = render_tag(item, AnonymousUser())
    assert "12 soutiens" in html and 'aria-live="polite"' in html
    assert "Connectez-vous pour soutenir" in html and "next=%2Fune-page%2F%3Ftri%3Drecent" in html
    assert "<form" not in html


def test_the_tag_shows_the_button_the_count_and_what_is_left():
    module = limited_module(3)
    item, user = ItemFactory(module=module), UserFactory()
    services.support_add(actor=user, target=item)
    html = render_tag(item, user)
    assert 'aria-pressed="true"' in html and "1 soutien" in html
    assert "Il vous reste 2 soutiens." in html
    assert reverse("supports:mine", kwargs={"module_id": module.pk}) in html
    assert 'name="next" value="/une-page/?tri=recent"' in html


def test_the_tag_explains_why_one_may_not_support():
    item = ItemFactory()
    item.module.phases.update(phase_type="information")
    html = render_tag(item, UserFactory())
    assert "Les soutiens ne sont pas ouverts pendant cette étape." in html  # the phase step's reason
    assert "<form" not in html


def test_the_tag_on_a_list_page_has_no_n_plus_one():
    from tests.testapp.models import Item

    module = limited_module(5)
    user = UserFactory()
    for _ in range(12):
        ItemFactory(module=module)
    services.support_add(actor=user, target=Item.objects.first())
    text = "{% load supports %}{% supported_ids items as mine %}{% for item in items %}{% support_button item supported_ids=mine %}{% endfor %}"

    def queries(size):
        items = list(Item.objects.select_related("module__space").order_by("pk")[:size])
        with CaptureQueriesContext(connection) as context:
            html = render_tag(items[0], user, text, items=items)
        assert html.count("<form") == size
        return len(context)

    assert queries(12) == queries(2)


def test_my_supports_page_lists_them_with_their_buttons(client):
    module = limited_module(2)
    user = UserFactory()
    item = ItemFactory(module=module, title="Des bancs au parc")
    services.support_add(actor=user, target=item)
    client.force_login(user)
    response = client.get(reverse("supports:mine", kwargs={"module_id": module.pk}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Des bancs au parc" in html and "Il vous reste 1 soutien." in html
    assert url("supports:withdraw", item) in html


def test_my_supports_page_needs_a_session(client):
    module = limited_module(2)
    response = client.get(reverse("supports:mine", kwargs={"module_id": module.pk}))
    assert response.status_code == 302
