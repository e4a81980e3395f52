"""Security headers, CSRF, the page language, and the accessibility statement linked from every page."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from participe.spaces.models import Space
from tests.factories import ModuleFactory, PhaseFactory, SpaceFactory, UserFactory

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/demarches/",
    "/demarches/?type=assembly",
    "/mentions-legales/",
    "/donnees-personnelles/",
    "/accessibilite/",
    "/compte/login/",
    "/compte/signup/",
    "/compte/password/reset/",
    "/demarches/absente/",  # the 404 page too
]
SIGNED_IN_PAGES = [
    "/compte/profil/",
    "/compte/supprimer/",
    "/verification/",
    "/verification/recensement/",
    "/compte/email/",
]


def visitor_and_member(space_pages):
    """(client, url) for every page: public pages as a visitor, account pages signed in."""
    visitor, member = Client(), Client()
    member.force_login(UserFactory())
    return [(visitor, url) for url in PUBLIC_PAGES + space_pages] + [(member, url) for url in SIGNED_IN_PAGES]


@pytest.fixture
def space_pages():
    phase = PhaseFactory(module__space__slug="budget", module__slug="infos")
    return [phase.module.space.get_absolute_url(), phase.module.get_absolute_url()]


def csp_directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_it_sends_the_security_headers(client, url):
    response = client.get(url)
    assert response.status_code == (404 if url == "/demarches/absente/" else 200)
    directives = csp_directives(response)
    for directive in ("script-src", "style-src"):
        assert directives[directive] == ["'self'"], directive
        assert "'unsafe-inline'" not in directives[directive]
        assert "'unsafe-eval'" not in directives[directive]
    assert directives["default-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_it_sends_the_security_headers_on_the_api(client):
    response = client.get("/api/v1/spaces")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "'unsafe-inline'" not in csp_directives(response)["script-src"]


def test_it_has_no_inline_script_or_style_in_the_pages(client, space_pages):
    for url in PUBLIC_PAGES + space_pages:
        page = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), url
        assert "<style" not in page, url
        assert not re.search(r"\sstyle=", page), url
        assert not re.search(r"\son[a-z]+=", page), url


def test_htmx_is_configured_for_the_strict_policy(client):
    """htmx neither inserts its indicator styles, nor runs scripts or eval, nor copies an element's style attribute
    when it settles a swap (a style set at run time, by our scripts or the browser's tools, would break the policy and
    log a console error)."""
    import json

    page = client.get("/").content.decode()
    config = json.loads(html.unescape(re.search(r'<meta name="htmx-config" content=\'([^\']*)\'', page).group(1)))
    assert config["includeIndicatorStyles"] is False and config["allowScriptTags"] is False
    assert config["allowEval"] is False
    assert "style" not in config["attributesToSettle"]


def test_it_marks_cookies_httponly_and_samesite(client):
    client.get("/compte/login/")
    response = client.post("/compte/login/", {"login": UserFactory().email, "password": "motdepasse-solide-2024"})
    session = response.cookies["sessionid"]
    assert session["httponly"]
    assert session["samesite"] == "Lax"


def csrf_token(client: Client, url: str) -> str:
    page = client.get(url).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


@pytest.mark.parametrize(
    "url, data",
    [
        ("/compte/login/", {"login": "a@example.org", "password": "x"}),
        ("/compte/signup/", {"email": "a@example.org"}),
        ("/langue/", {"language": "en", "next": "/"}),
    ],
)
def test_it_refuses_a_form_posted_without_its_csrf_token(url, data):
    client = Client(enforce_csrf_checks=True)
    assert client.post(url, data).status_code == 403
    token = csrf_token(client, "/compte/login/")
    assert client.post(url, data | {"csrfmiddlewaretoken": token}).status_code != 403


@pytest.mark.parametrize(
    "url", ["/compte/profil/", "/compte/supprimer/", "/verification/recensement/", "/compte/logout/"]
)
def test_it_refuses_a_signed_in_form_posted_without_its_csrf_token(url):
    user = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(url, {"confirm": "SUPPRIMER", "pseudonym": "pirate"})
    assert response.status_code == 403
    user.refresh_from_db()
    assert not user.is_deleted
    assert user.pseudonym != "pirate"
    assert client.get("/compte/profil/").status_code == 200  # still signed in


def test_it_puts_a_csrf_token_in_every_form(space_pages):
    for client, url in visitor_and_member(space_pages):
        page = client.get(url).content.decode()
        for form in re.findall(r"<form\b[^>]*>.*?</form>", page, re.S):
            if re.search(r'method="post"', form, re.I):
                assert 'name="csrfmiddlewaretoken"' in form, (url, form[:120])


def test_it_speaks_french_by_default_and_english_once_chosen(client, space_pages):
    pages = visitor_and_member(space_pages)
    for page_client, url in pages:
        assert '<html lang="fr">' in page_client.get(url).content.decode(), url
    for page_client in {id(c): c for c, _url in pages}.values():
        response = page_client.post("/langue/", {"language": "en", "next": "/demarches/"})
        assert response.status_code == 302
        assert response.url == "/demarches/"
    for page_client, url in pages:
        assert '<html lang="en">' in page_client.get(url).content.decode(), url
    client.post("/langue/", {"language": "fr", "next": "/"})
    assert '<html lang="fr">' in client.get("/").content.decode()


def test_it_ignores_the_browser_language(client):
    response = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="fr">' in response.content.decode()


def test_it_ignores_an_unknown_language(client):
    client.post("/langue/", {"language": "xx", "next": "/"})
    assert '<html lang="fr">' in client.get("/").content.decode()


RGAA_SECTIONS = [
    "Déclaration d'accessibilité",
    "État de conformité",
    "Résultats des tests",
    "Contenus non accessibles",
    "Établissement de cette déclaration d'accessibilité",
    "Retour d'information et contact",
    "Voies de recours",
]


def test_it_publishes_the_accessibility_statement_with_the_rgaa_sections(client):
    page = html.unescape(client.get("/accessibilite/").content.decode())
    headings = [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h[12][^>]*>(.*?)</h[12]>", page, re.S)]
    for section in RGAA_SECTIONS:
        assert section in headings, section
    assert headings.index("État de conformité") < headings.index("Voies de recours")
    assert "Défenseur des droits" in page
    assert "RGAA" in page
    assert "partiellement conforme" in page  # the default conformity state


def test_it_fills_the_statement_from_the_organisation(client):
    from participe.organisation.models import Organisation

    organisation = Organisation.get()
    organisation.a11y_conformity = Organisation.Conformity.TOTAL
    organisation.a11y_rate = 87
    organisation.a11y_contact = "accessibilite@lumerac.example"
    organisation.a11y_non_accessible = "<p>Les cartes interactives.</p><script>x()</script>"
    organisation.save()
    page = html.unescape(client.get("/accessibilite/").content.decode())
    assert "totalement conforme" in page
    assert "87 % des critères" in page
    assert "accessibilite@lumerac.example" in page
    assert "<p>Les cartes interactives.</p>" in page
    assert "<script>x()" not in page


def test_it_links_the_accessibility_statement_from_every_page_footer(space_pages):
    for client, url in visitor_and_member(space_pages):
        page = html.unescape(client.get(url).content.decode())
        footer = page[page.index('<footer class="site-footer">') :]
        assert re.search(r'<a href="/accessibilite/">Accessibilité : [^<]*conforme</a>', footer), url
        assert 'href="/mentions-legales/"' in footer
        assert 'href="/donnees-personnelles/"' in footer


def test_it_has_a_skip_link_to_the_main_content(client):
    page = client.get("/").content.decode()
    assert '<a class="skip-link" href="#contenu">' in page
    assert '<main id="contenu"' in page


def test_it_serves_private_space_pages_with_the_same_headers(client):
    space = SpaceFactory(visibility=Space.Visibility.PRIVATE)
    ModuleFactory(space=space)
    client.force_login(UserFactory())
    response = client.get(space.get_absolute_url())
    assert response.status_code == 403
    assert response.headers["X-Frame-Options"] == "DENY"
    assert '<html lang="fr">' in response.content.decode()


def test_attachments_are_not_served_as_public_media(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "attachments").mkdir()
    (tmp_path / "attachments" / "secret.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "logo.png").write_bytes(b"png")
    assert client.get("/media/attachments/secret.pdf").status_code == 404
    assert client.get("/media//attachments/secret.pdf").status_code == 404
    assert client.get("/media/logo.png").status_code == 200
    assert client.get("/media/logo/../attachments/secret.pdf").status_code == 404
