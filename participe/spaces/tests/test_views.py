"""Public pages: home, space list (filters, keyset pages, htmx), space page, module page."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.module_loading import import_string

from participe.core.registry import registry
from participe.spaces.models import Space, SpaceMembership
from tests.factories import (
    ModuleFactory,
    PhaseFactory,
    SpaceFactory,
    TerritoryFactory,
    ThemeFactory,
    UserFactory,
    make_space_role,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def text(response) -> str:
    return html.unescape(response.content.decode())


def listed_titles(response) -> list[str]:
    return re.findall(r'<h3 class="card__title"><a href="/demarches/[^"]+/"[^>]*>([^<]+)</a>', text(response))


def test_it_shows_the_home_page_with_what_is_open_and_the_deadlines(client):
    phase = PhaseFactory(
        name="Dépôt",
        phase_type="depot",
        module__module_type="proposals",
        module__title="Boîte à idées",
        module__space__title="Budget participatif",
    )
    SpaceFactory(title="Conseil de quartier des Tilleuls", kind=Space.Kind.ASSEMBLY, start_date=None, end_date=None)
    SpaceFactory(title="Instance archivée", kind=Space.Kind.ASSEMBLY, status=Space.Status.ARCHIVED)
    SpaceFactory(title="Brouillon secret", status=Space.Status.DRAFT)
    response = client.get("/")
    assert response.status_code == 200
    page = text(response)
    assert "Ouvert en ce moment" in page
    assert f'href="{phase.module.get_absolute_url()}"' in page
    assert "Déposez une proposition" in page  # the action in words (issue #18)
    assert "Conseil de quartier des Tilleuls" in page
    assert "Instance archivée" not in page
    assert "Brouillon secret" not in page


def test_it_shows_an_empty_home_page(client):
    page = text(client.get("/"))
    assert "Aucune participation n'est ouverte en ce moment." in page
    assert "Aucune démarche en cours." in page


@pytest.fixture
def catalogue():
    today = timezone.localdate()
    commune = TerritoryFactory(slug="lumerac", name="Lumerac")
    quartier = TerritoryFactory(slug="tilleuls", name="Les Tilleuls", parent=commune)
    port = TerritoryFactory(slug="port", name="Le Port", parent=commune)
    mobility = ThemeFactory(slug="mobilite", name="Mobilité")
    spaces = {
        "Rue apaisée": dict(territories=[quartier], themes=[mobility]),
        "Quai piéton": dict(
            territories=[port], themes=[mobility], start_date=today + 5 * DAY, end_date=today + 50 * DAY
        ),
        "Budget 2025": dict(territories=[commune], start_date=today - 400 * DAY, end_date=today - 30 * DAY),
        "Conseil des jeunes": dict(kind=Space.Kind.ASSEMBLY, start_date=None, end_date=None),
        "Ancienne concertation": dict(status=Space.Status.ARCHIVED),
    }
    for title, values in spaces.items():
        territories, themes = values.pop("territories", []), values.pop("themes", [])
        space = SpaceFactory(title=title, **values)
        space.territories.set(territories)
        space.themes.set(themes)
    SpaceFactory(title="Privée", visibility=Space.Visibility.PRIVATE)
    SpaceFactory(title="Brouillon", status=Space.Status.DRAFT)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", {"Rue apaisée", "Quai piéton", "Budget 2025", "Conseil des jeunes", "Ancienne concertation"}),
        ("?quand=ongoing", {"Rue apaisée", "Conseil des jeunes"}),
        ("?quand=upcoming", {"Quai piéton"}),
        ("?quand=finished", {"Budget 2025", "Ancienne concertation"}),
        (
            "?quand=nimporte",
            {"Rue apaisée", "Quai piéton", "Budget 2025", "Conseil des jeunes", "Ancienne concertation"},
        ),
        ("?territoire=tilleuls", {"Rue apaisée", "Budget 2025"}),
        ("?territoire=port", {"Quai piéton", "Budget 2025"}),
        ("?territoire=lumerac", {"Rue apaisée", "Quai piéton", "Budget 2025"}),
        (
            "?territoire=inconnu",
            {"Rue apaisée", "Quai piéton", "Budget 2025", "Conseil des jeunes", "Ancienne concertation"},
        ),
        ("?theme=mobilite", {"Rue apaisée", "Quai piéton"}),
        ("?type=assembly", {"Conseil des jeunes"}),
        ("?type=process&quand=ongoing&theme=mobilite&territoire=lumerac", {"Rue apaisée"}),
    ],
)
def test_it_filters_the_space_list(client, catalogue, query, expected):
    response = client.get(f"/demarches/{query}")
    assert response.status_code == 200
    assert set(listed_titles(response)) == expected


def test_it_says_when_nothing_matches(client, catalogue):
    assert "Aucun espace ne correspond à ces critères." in text(client.get("/demarches/?theme=absent"))


def test_it_shows_private_spaces_in_the_list_to_their_members_only(client, catalogue):
    member = UserFactory()
    SpaceMembership.objects.create(space=Space.objects.get(title="Privée"), user=member, role="member")
    client.force_login(member)
    assert "Privée" in listed_titles(client.get("/demarches/"))
    client.force_login(UserFactory())
    assert "Privée" not in listed_titles(client.get("/demarches/"))


def follow_pages(client, url):
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        pages.append(listed_titles(response))
        match = re.search(r'<a class="button button--secondary" href="(\?[^"]+)">Page suivante</a>', text(response))
        url = f"/demarches/{match.group(1)}" if match else None
    return pages


def test_it_pages_the_list_with_a_cursor_without_duplicates_or_gaps(client):
    today = timezone.localdate()
    # Ties on the start date, and spaces without dates, across page boundaries.
    for n in range(30):
        start = None if n % 7 == 0 else today - (n % 3) * DAY
        SpaceFactory(title=f"Espace {n:02d}", start_date=start, end_date=None)
    pages = follow_pages(client, "/demarches/")
    assert [len(p) for p in pages] == [12, 12, 6]
    flat = [t for page in pages for t in page]
    assert sorted(flat) == [f"Espace {n:02d}" for n in range(30)]
    expected = [s.title for s in Space.objects.order_by("-start_date", "-pk")]
    undated = [s.title for s in Space.objects.filter(start_date=None).order_by("-pk")]
    assert flat == [t for t in expected if t not in undated] + undated  # spaces without dates come last


def test_it_keeps_the_filters_on_the_next_page(client):
    theme = ThemeFactory(slug="mobilite")
    for n in range(14):
        SpaceFactory(title=f"Mobilité {n:02d}").themes.set([theme])
    SpaceFactory(title="Autre")
    pages = follow_pages(client, "/demarches/?theme=mobilite")
    assert [len(p) for p in pages] == [12, 2]
    assert "Autre" not in {t for p in pages for t in p}


@pytest.mark.parametrize("cursor", ["nimporte-quoi", "W251bGwsICJ4Il0", "eyJhIjogMX0"])
def test_it_starts_again_from_the_top_on_a_bad_cursor_with_a_notice(client, cursor):
    for n in range(3):
        SpaceFactory(title=f"Espace {n}")
    response = client.get(f"/demarches/?apres={cursor}", follow=True)
    assert response.redirect_chain == [("/demarches/", 302)]  # issue #19, finding 8: said, not silent
    assert len(listed_titles(response)) == 3
    assert "Ce lien de page n'est pas valable" in text(response)


def test_it_returns_only_the_results_to_htmx(client, catalogue):
    response = client.get("/demarches/?type=assembly", headers={"HX-Request": "true"})
    assert response.status_code == 200
    page = text(response)
    assert "<html" not in page
    assert "<form" not in page
    assert listed_titles(response) == ["Conseil des jeunes"]
    assert "<html" in text(client.get("/demarches/?type=assembly"))


def test_it_lists_spaces_in_a_constant_number_of_queries(client, django_assert_max_num_queries):
    def add_spaces(count):
        territory, theme = TerritoryFactory(), ThemeFactory()
        for _n in range(count):
            space = SpaceFactory()
            space.territories.set([territory, TerritoryFactory()])
            space.themes.set([theme])

    add_spaces(2)
    filtered = "/demarches/?territoire=" + Space.objects.first().territories.first().slug
    # Each address against itself (the first request no longer creates the organisation's row: a GET writes nothing).
    with CaptureQueriesContext(connection) as few:
        client.get("/demarches/")
    with CaptureQueriesContext(connection) as few_filtered:
        client.get(filtered)
    add_spaces(20)
    with django_assert_max_num_queries(len(few_filtered.captured_queries)):
        response = client.get(filtered)
    assert response.status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/demarches/")


def test_it_shows_a_space_with_its_timeline_and_current_modules(client):
    now = timezone.now()
    space = SpaceFactory(title="Budget participatif", description="<p>Présentation</p><script>alert(1)</script>")
    info = ModuleFactory(space=space, title="Informations")
    result = ModuleFactory(space=space, title="Résultats")
    PhaseFactory(module=info, name="Dépôt des idées", start=now - 5 * DAY, end=now + 5 * DAY)
    PhaseFactory(module=result, name="Annonce", phase_type="restitution", start=now + 5 * DAY, end=now + 9 * DAY)
    PhaseFactory(module=result, name="Lancement", phase_type="information", start=now - 20 * DAY, end=now - 10 * DAY)
    response = client.get(space.get_absolute_url())
    assert response.status_code == 200
    page = text(response)
    steps = re.findall(
        r'<li class="timeline__step timeline__step--(\w+)"[^>]*>.*?<h3 class="timeline__name">([^<]+)</h3>', page, re.S
    )
    assert steps == [("finished", "Lancement"), ("ongoing", "Dépôt des idées"), ("upcoming", "Annonce")]
    assert page.count('aria-current="step"') == 1
    assert "Participer maintenant" in page
    assert "<script>alert(1)" not in page
    assert "<p>Présentation</p>" in page


def test_it_shows_the_page_module_through_the_registry(client):
    module = ModuleFactory(title="Le projet")
    PhaseFactory(module=module)
    seed = import_string(registry["page"].seeds)
    seed(module, body='<h2>Le projet</h2><p>En détail</p><img src=x onerror="alert(1)">')
    response = client.get(module.get_absolute_url())
    assert response.status_code == 200
    page = text(response)
    assert "<h2>Le projet</h2><p>En détail</p>" in page
    assert "onerror" not in page


def test_it_shows_an_empty_page_module(client):
    module = ModuleFactory()
    assert "Cette page n'a pas encore de contenu." in text(client.get(module.get_absolute_url()))


def test_it_hides_an_unpublished_module_but_not_from_the_space_admin(client):
    module = ModuleFactory(is_published=False)
    assert client.get(module.get_absolute_url()).status_code == 404
    client.force_login(make_space_role(module.space, SpaceMembership.Role.ADMIN))
    assert client.get(module.get_absolute_url()).status_code == 200


def test_it_answers_404_for_a_module_of_an_unknown_type(client):
    module = ModuleFactory(module_type="retire")
    assert client.get(module.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("suffix", ["", "module/"])
def test_it_refuses_a_private_space_to_non_members(client, suffix):
    space = SpaceFactory(visibility=Space.Visibility.PRIVATE)
    ModuleFactory(space=space, slug="module")
    url = space.get_absolute_url() + suffix
    response = client.get(url)
    assert response.status_code == 302  # visitors are asked to sign in
    assert response.url == f"/compte/login/?next={url}"
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(make_space_role(space, SpaceMembership.Role.MEMBER))
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("suffix", ["", "module/"])
def test_it_hides_a_draft_space(client, suffix):
    space = SpaceFactory(status=Space.Status.DRAFT)
    ModuleFactory(space=space, slug="module")
    url = space.get_absolute_url() + suffix
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(make_space_role(space, SpaceMembership.Role.MEMBER))
    assert client.get(url).status_code == 404
    client.force_login(make_space_role(space, SpaceMembership.Role.ADMIN))
    assert client.get(url).status_code == 200


def test_it_shows_an_archived_space(client):
    space = SpaceFactory(status=Space.Status.ARCHIVED)
    response = client.get(space.get_absolute_url())
    assert response.status_code == 200
    assert "Archivé" in text(response)


def test_it_answers_404_for_an_unknown_space(client):
    assert client.get("/demarches/absent/").status_code == 404


def test_it_shows_a_news_post_of_a_visible_space_only(client):
    from participe.spaces.models import NewsPost

    post = NewsPost.objects.create(space=SpaceFactory(), title="Réunion publique", body="<p>Mardi</p>")
    assert "Réunion publique" in text(client.get(f"/demarches/{post.space.slug}/actualites/{post.pk}/"))
    assert "Réunion publique" in text(client.get(post.space.get_absolute_url()))
    hidden = NewsPost.objects.create(space=SpaceFactory(status=Space.Status.DRAFT), title="Secret", body="x")
    assert client.get(f"/demarches/{hidden.space.slug}/actualites/{hidden.pk}/").status_code == 404


def test_the_site_map_lists_the_spaces_and_published_modules_a_visitor_sees(client):
    space = SpaceFactory(title="Budget participatif")
    ModuleFactory(space=space, title="Boîte à idées")
    ModuleFactory(space=space, title="Module en préparation", is_published=False)
    SpaceFactory(title="Démarche en brouillon", status=Space.Status.DRAFT)
    page = html.unescape(client.get("/plan-du-site/").content.decode())
    assert "Budget participatif" in page
    assert "Boîte à idées" in page
    assert "Module en préparation" not in page
    assert "Démarche en brouillon" not in page
