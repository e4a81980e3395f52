"""Staff roles need the second factor everywhere, not only under /gestion/ (issue #19, finding 2).

A staff member whose session passed only the password — an account made administrator without an authenticator, or
one with an authenticator whose session did not type its code — gets what a resident gets on every route that needs
a role: the API (moderation queue, services' queues, unpublished results), the module pages (unpublished results,
their open-data files, the questionnaire's test mode), draft and private spaces. The back-office asks them for the
code (or to activate an authenticator) and lets them in once it is typed.
"""

from __future__ import annotations

import re

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.urls import reverse
from django.utils import timezone

from participe.modules.surveys.tests.results_data import full_answers, sample_questionnaire, submit
from participe.spaces.models import Space
from tests.factories import PASSWORD, TEST_TOTP_SECRET, SpaceFactory, UserFactory, make_org_admin, with_totp
from tests.sessions import sign_in_without_second_factor

pytestmark = pytest.mark.django_db


def current_code(secret: str = TEST_TOTP_SECRET) -> str:
    return format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // mfa_settings.TOTP_PERIOD))


@pytest.fixture
def survey():
    """A questionnaire with answers, its results neither public nor open data."""
    sample = sample_questionnaire()
    submit(sample.questionnaire, full_answers(sample))
    return sample.questionnaire.module


def routes(module) -> dict[str, str]:
    """Routes outside the back-office that need a role to show what they hold."""
    space = module.space
    kwargs = {"slug": space.slug, "module_slug": module.slug}
    draft = SpaceFactory(status=Space.Status.DRAFT)
    private = SpaceFactory(visibility=Space.Visibility.PRIVATE)
    return {
        "moderation queue (API)": "/api/v1/moderation/queue",
        "services' queue (API)": "/api/v1/assignments/",
        "services' figures (API)": "/api/v1/assignments/services",
        "unpublished results (API)": f"/api/v1/surveys/modules/{module.pk}/results",
        "unpublished results (page)": reverse("spaces:surveys:results", kwargs=kwargs),
        "results as CSV": reverse("spaces:surveys:open_data", kwargs={**kwargs, "extension": "csv"}),
        "results as JSON": reverse("spaces:surveys:open_data", kwargs={**kwargs, "extension": "json"}),
        "test mode": reverse("spaces:surveys:answer", kwargs={**kwargs, "page": 1}) + "?test=1",
        "draft space": draft.get_absolute_url(),
        "private space": private.get_absolute_url(),
    }


def outcome(client, url: str) -> tuple[int, bool]:
    response = client.get(url)
    return response.status_code, "Mode test :" in response.content.decode(errors="replace")


def org_admin_with_an_authenticator():
    return make_org_admin()


def org_admin_without_one():
    return UserFactory(is_org_admin=True)


def superuser_with_an_authenticator():
    return with_totp(UserFactory(is_superuser=True, is_org_admin=True))


@pytest.mark.parametrize(
    "make_staff", [org_admin_with_an_authenticator, org_admin_without_one, superuser_with_an_authenticator]
)
def test_staff_without_the_second_factor_get_what_a_resident_gets(client, survey, make_staff):
    urls = routes(survey)
    staff = make_staff()
    client.force_login(UserFactory())
    as_resident = {name: outcome(client, url) for name, url in urls.items()}
    sign_in_without_second_factor(client, staff)
    as_staff_without = {name: outcome(client, url) for name, url in urls.items()}
    assert as_staff_without == as_resident
    if Authenticator.objects.filter(user=staff).exists():
        client.force_login(staff)  # the same account, its code typed: every route answers differently
        as_staff = {name: outcome(client, url) for name, url in urls.items()}
        assert all(as_staff[name] != as_resident[name] for name in urls), as_staff


@pytest.mark.parametrize(
    ("make_staff", "step"),
    [
        (org_admin_with_an_authenticator, "/compte/2fa/reauthenticate/"),
        (org_admin_without_one, "/compte/2fa/totp/activate/"),
    ],
)
def test_the_back_office_asks_for_the_second_factor(client, survey, make_staff, step):
    sign_in_without_second_factor(client, make_staff())
    for url in ["/gestion/", f"/gestion/m/surveys/{survey.pk}/resultats/", f"/gestion/m/surveys/{survey.pk}/exports/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == f"{step}?next={url}"
    assert 'href="/gestion/"' in client.get("/").content.decode()  # the header still leads there


def test_typing_the_code_opens_the_back_office_and_the_api(client):
    admin = make_org_admin()
    sign_in_without_second_factor(client, admin)
    assert client.get("/api/v1/moderation/queue").status_code == 403
    response = client.post("/compte/2fa/reauthenticate/?next=/gestion/", {"code": current_code()})
    assert response.status_code == 302 and response.url == "/gestion/"
    assert client.get("/gestion/").status_code == 200
    assert client.get("/api/v1/moderation/queue").status_code == 200


def test_signing_in_with_the_password_and_the_code_unlocks_the_roles(client):
    admin = make_org_admin()
    response = client.post("/compte/login/", {"login": admin.email, "password": PASSWORD})
    assert response.url == "/compte/2fa/authenticate/"
    response = client.post("/compte/2fa/authenticate/", {"code": current_code()})
    assert response.status_code == 302
    assert client.get("/api/v1/moderation/queue").status_code == 200


@pytest.mark.django_db(transaction=True)  # allauth tells of the activation once committed, as in production
def test_activating_an_authenticator_counts_as_the_second_factor(client):
    admin = UserFactory(is_org_admin=True)
    client.post("/compte/login/", {"login": admin.email, "password": PASSWORD})
    assert client.get("/gestion/").url == "/compte/2fa/totp/activate/?next=/gestion/"
    client.post("/compte/reauthenticate/", {"password": PASSWORD})  # allauth asks for it before activating
    page = client.get("/compte/2fa/totp/activate/?next=/gestion/").content.decode()
    assert re.search(r"[A-Z2-7]{32}", page)  # the secret to type into the application
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post("/compte/2fa/totp/activate/?next=/gestion/", {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get("/gestion/").status_code == 200
    assert client.get("/api/v1/moderation/queue").status_code == 200


def test_removing_the_authenticator_ends_what_it_unlocked(client):
    admin = make_org_admin()
    client.force_login(admin)
    assert client.get("/api/v1/moderation/queue").status_code == 200
    Authenticator.objects.filter(user=admin).delete()
    assert client.get("/api/v1/moderation/queue").status_code == 403
