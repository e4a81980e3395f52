"""Reads of the proposals module: filters, visibility, keyset pages for every sort, the map feed, similar titles."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from participe.core.models import ModerationStatus
from participe.core.pagination import InvalidCursor, encode_cursor
from participe.modules.proposals.models import Proposal
from participe.modules.proposals.selectors import proposals as selectors
from participe.modules.proposals.selectors.proposals import Filters
from participe.modules.proposals.tests.factories import ProposalFactory, ProposalModuleFactory
from participe.search import matching
from participe.search.services import index_object
from tests.factories import TerritoryFactory, ThemeFactory, UserFactory, make_space_role

pytestmark = pytest.mark.django_db


def titles(qs) -> set[str]:
    return set(qs.values_list("title", flat=True))


def all_pages(qs, filters: Filters, size: int) -> list[Proposal]:
    """Walk every page, as "afficher plus" does."""
    seen: list[Proposal] = []
    cursor = None
    for _ in range(1000):
        page = selectors.proposals_page(qs, Filters(**{**filters.__dict__, "cursor": cursor}), size=size)
        seen.extend(page.items)
        if not page.has_next:
            return seen
        cursor = page.next_cursor
    raise AssertionError("pagination does not end")


# --- Filters.from_query ---------------------------------------------------------------------------------------
def test_filters_are_parsed_from_the_query_string():
    theme = ThemeFactory(slug="mobilite")
    territory = TerritoryFactory(slug="centre")
    query = QueryDict(
        "q=  piste   cyclable &theme=mobilite&territoire=centre&statut=retenue&mes=1&tri=soutenues&apres=abc&graine=42"
    )
    filters = Filters.from_query(query)
    assert filters.q == "piste cyclable"
    assert filters.theme == theme and filters.territory == territory
    assert filters.status == "selected" and filters.mine and filters.sort == "supported"
    assert filters.cursor == "abc" and filters.seed == 42 and filters.errors == {}
    assert filters.to_query() == {
        "q": "piste cyclable",
        "theme": "mobilite",
        "territoire": "centre",
        "statut": "retenue",
        "mes": "1",
        "tri": "soutenues",
    }


def test_bad_values_are_dropped_with_a_french_message():
    filters = Filters.from_query(QueryDict("theme=nope&territoire=nope&statut=nope&tri=nope&graine=-3&zone=1,2"))
    assert set(filters.errors) == {"theme", "territoire", "statut", "tri", "graine", "zone"}
    assert filters.theme is None and filters.status == "" and filters.sort == "random" and filters.seed is None
    assert "n'existe pas" in filters.errors["theme"]


def test_internal_values_are_accepted_for_api_clients():
    filters = Filters.from_query({"tri": "recent", "statut": "analysis"})
    assert filters.sort == "recent" and filters.status == "analysis" and not filters.errors


def test_a_zone_is_four_numbers_within_bounds():
    assert Filters.from_query({"zone": "2.1,48.8,2.5,48.9"}).bbox == (2.1, 48.8, 2.5, 48.9)
    assert "zone" in Filters.from_query({"zone": "2,95,3,96"}).errors


# --- visibility and filters -----------------------------------------------------------------------------------
def test_public_proposals_are_published_and_not_moderated_away():
    module = ProposalModuleFactory()
    author = UserFactory()
    ProposalFactory(module=module, title="publiée")
    ProposalFactory(module=module, title="brouillon", status=Proposal.Status.DRAFT, author=author)
    ProposalFactory(module=module, title="retirée", status=Proposal.Status.WITHDRAWN)
    ProposalFactory(module=module, title="en attente", moderation_status=ModerationStatus.PENDING, author=author)
    ProposalFactory(module=module, title="masquée", moderation_status=ModerationStatus.HIDDEN)
    ProposalFactory(title="autre module")
    visitor = UserFactory()
    assert titles(selectors.public_proposals(module, visitor)) == {"publiée"}
    assert titles(selectors.public_proposals(module, author)) == {"publiée", "en attente"}
    moderator = make_space_role(module.space, "moderator")
    assert titles(selectors.public_proposals(module, moderator)) == {"publiée", "en attente", "masquée"}
    assert titles(selectors.public_proposals(module, visitor, Filters(status="withdrawn"))) == {"retirée"}


def test_each_filter():
    module = ProposalModuleFactory()
    city = TerritoryFactory(slug="ville")
    district = TerritoryFactory(slug="quartier-nord", parent=city)
    theme = ThemeFactory()
    author = UserFactory()
    ProposalFactory(module=module, title="thème", theme=theme)
    ProposalFactory(module=module, title="quartier", territory=district)
    ProposalFactory(module=module, title="à moi", author=author)
    ProposalFactory(module=module, title="retenue", answer_status=Proposal.AnswerStatus.SELECTED)
    ProposalFactory(module=module, title="seuil", retained_at=timezone.now())
    user = UserFactory()
    assert titles(selectors.public_proposals(module, user, Filters(theme=theme))) == {"thème"}
    assert titles(selectors.public_proposals(module, user, Filters(territory=city))) == {"quartier"}
    assert titles(selectors.public_proposals(module, author, Filters(mine=True))) == {"à moi"}
    assert titles(selectors.public_proposals(module, None, Filters(mine=True))) == set()
    assert titles(selectors.public_proposals(module, user, Filters(status="selected"))) == {"retenue"}
    assert titles(selectors.public_proposals(module, user, Filters(status="retained"))) == {"seuil"}
    assert "retenue" not in titles(selectors.public_proposals(module, user, Filters(status="none")))


def test_text_search_goes_through_the_search_index():
    module = ProposalModuleFactory()
    for title, body in [("Des écoles plus vertes", "<p>Planter des arbres.</p>"), ("Un parking", "<p>Voitures.</p>")]:
        index_object(ProposalFactory(module=module, title=title, body=body))
    user = UserFactory()
    assert titles(selectors.public_proposals(module, user, Filters(q="ecole"))) == {"Des écoles plus vertes"}
    assert titles(selectors.public_proposals(module, user, Filters(q="ARBRES"))) == {"Des écoles plus vertes"}
    assert titles(selectors.public_proposals(module, user, Filters(q="piscine"))) == set()


@pytest.mark.parametrize(("limit", "drive"), [(10_000, 1_000), (10_000, 1), (1, 1_000)])
def test_text_search_matches_once_and_gives_the_same_set_beyond_the_cap(monkeypatch, limit, drive):
    """Up to IDS_LIMIT matches the list filters on their ids (the full-text match runs once, not in the page and
    again in its count; on SQLite read through the ids or, beyond SQLITE_IDS_DRIVE, in the list's order); beyond
    it, each row is checked against its index entry: the same proposals every way."""
    monkeypatch.setattr(matching, "IDS_LIMIT", limit)
    monkeypatch.setattr(matching, "SQLITE_IDS_DRIVE", drive)
    module = ProposalModuleFactory()
    other = ProposalModuleFactory()
    for n in range(3):
        index_object(ProposalFactory(module=module, title=f"Des bancs rue {n}", supports_count=n))
    index_object(ProposalFactory(module=module, title="Un parking"))
    index_object(ProposalFactory(module=module, title="Des bancs cachés", moderation_status=ModerationStatus.HIDDEN))
    index_object(ProposalFactory(module=other, title="Des bancs ailleurs"))
    filters = Filters(q="banc", sort="supported")
    with CaptureQueriesContext(connection) as queries:
        qs = selectors.public_proposals(module, None, filters)
        page = selectors.proposals_page(qs, filters)
        count = selectors.bounded_count(qs)
    assert [p.title for p in page.items] == ["Des bancs rue 2", "Des bancs rue 1", "Des bancs rue 0"]
    assert count == (3, False)
    full_text = [q for q in queries.captured_queries if "search_fts" in q["sql"] or "search_vector" in q["sql"]]
    assert len(full_text) == (1 if limit > 3 else 3)  # the match, then the page and the count without it


@pytest.mark.parametrize("dense", [8000, 1])
def test_a_zone_keeps_the_proposals_inside_it(monkeypatch, dense):
    monkeypatch.setattr(selectors, "DENSE_ZONE", dense)  # 1: read as a dense zone (SQLite: not on the zone's index)
    module = ProposalModuleFactory()
    ProposalFactory(module=module, title="dedans", latitude=Decimal("48.85"), longitude=Decimal("2.35"))
    ProposalFactory(module=module, title="dehors", latitude=Decimal("45.75"), longitude=Decimal("4.85"))
    ProposalFactory(module=module, title="sans lieu")
    qs = selectors.public_proposals(module, None, Filters(bbox=(2.0, 48.0, 3.0, 49.0)))
    assert titles(qs) == {"dedans"}
    ProposalFactory(module=module, title="au bord", latitude=Decimal("48.000000"), longitude=Decimal("3.000000"))
    ProposalFactory(module=module, title="à l'est", latitude=Decimal("48.5"), longitude=Decimal("179.5"))
    ProposalFactory(module=module, title="à l'ouest", latitude=Decimal("48.5"), longitude=Decimal("-179.5"))
    assert titles(selectors.public_proposals(module, None, Filters(bbox=(2.0, 48.0, 3.0, 49.0)))) == {
        "dedans",
        "au bord",
    }
    across = selectors.public_proposals(module, None, Filters(bbox=(179.0, 48.0, -179.0, 49.0)))
    assert titles(across) == {"à l'est", "à l'ouest"}  # across the antimeridian
    feed = selectors.map_features(
        selectors.public_proposals(module, None, Filters(bbox=(2.0, 48.0, 3.0, 49.0))), module
    )
    assert sorted(f["properties"]["title"] for f in feed["features"]) == ["au bord", "dedans"]


def test_bounded_count():
    module = ProposalModuleFactory()
    ProposalFactory.create_batch(3, module=module)
    assert selectors.bounded_count(selectors.public_proposals(module, None)) == (3, False)


# --- keyset pages ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sort", "key"),
    [
        ("recent", lambda p: (p.published_at, p.pk)),
        ("supported", lambda p: (p.supports_count, p.pk)),
        ("commented", lambda p: (p.comments_count, p.pk)),
    ],
)
def test_every_sort_pages_through_every_proposal_once_in_order(sort, key):
    module = ProposalModuleFactory()
    now = timezone.now()
    for n in range(23):
        ProposalFactory(
            module=module,
            supports_count=n % 4,  # ties, so the id breaks them
            comments_count=n % 3,
            published_at=now - datetime.timedelta(minutes=n % 5),
        )
    qs = selectors.public_proposals(module, None)
    seen = all_pages(qs, Filters(sort=sort), size=5)
    assert [p.pk for p in seen] == [p.pk for p in sorted(qs, key=key, reverse=True)]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    shuffles=st.lists(st.integers(min_value=0, max_value=50), min_size=0, max_size=18),
    seed=st.integers(min_value=0, max_value=60),
    size=st.integers(min_value=1, max_value=7),
)
def test_the_random_order_goes_round_once_from_the_seed(shuffles, seed, size):
    module = ProposalModuleFactory()
    for value in shuffles:
        ProposalFactory(module=module, shuffle=value)
    qs = selectors.public_proposals(module, None)
    seen = all_pages(qs, Filters(sort="random", seed=seed), size=size)
    expected = sorted(qs, key=lambda p: (p.shuffle < seed, p.shuffle, p.pk))
    assert [p.pk for p in seen] == [p.pk for p in expected]


def test_different_seeds_start_at_different_proposals():
    module = ProposalModuleFactory()
    for n in range(10):
        ProposalFactory(module=module, shuffle=n * 100)
    qs = selectors.public_proposals(module, None)
    first = selectors.proposals_page(qs, Filters(sort="random", seed=0), size=3).items
    later = selectors.proposals_page(qs, Filters(sort="random", seed=550), size=3).items
    assert [p.shuffle for p in first] == [0, 100, 200]
    assert [p.shuffle for p in later] == [600, 700, 800]


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "%%%",
        "eyJ4Ijog",
        "WyJyZWNlbnQiLCAibm9uIiwgMV0",  # ["recent", "non", 1]: the shape of the cursors before the shared encoding
        "WyJyYW5kb20iLCA1XQ",
        encode_cursor(["hier", 1], order="-published_at,-pk"),
        encode_cursor([1.5, 1], order="-supports_count,-pk"),
        encode_cursor([0, 2, 10, 1], order="random"),  # a lap that is not one
        encode_cursor([0, True, 10], order="random"),
    ],
)
def test_a_tampered_cursor_is_refused(cursor):
    """Issue #19, finding 8: never silently the first page; the API answers 400, the page a notice."""
    module = ProposalModuleFactory()
    ProposalFactory.create_batch(3, module=module)
    qs = selectors.public_proposals(module, None)
    for sort in ("recent", "random", "supported"):
        if not cursor:  # no cursor: the first page
            assert len(selectors.proposals_page(qs, Filters(sort=sort, cursor=cursor, seed=0), size=10).items) == 3
            continue
        with pytest.raises(InvalidCursor):
            selectors.proposals_page(qs, Filters(sort=sort, cursor=cursor, seed=0), size=10)


@pytest.mark.parametrize("sort", ["recent", "supported", "random"])
def test_the_cursor_after_a_proposal_continues_with_the_next_one(sort):
    module = ProposalModuleFactory()
    for n in range(6):
        ProposalFactory(module=module, supports_count=n % 2, shuffle=n * 10)
    qs = selectors.public_proposals(module, None)
    ordered = selectors.proposals_page(qs, Filters(sort=sort, seed=25), size=6).items
    cursor = selectors.cursor_after(ordered[2], sort, seed=25, lap=0)
    assert selectors.proposals_page(qs, Filters(sort=sort, cursor=cursor), size=2).items == ordered[3:5]


def test_a_cursor_of_another_sort_is_refused():
    module = ProposalModuleFactory()
    ProposalFactory.create_batch(4, module=module)
    qs = selectors.public_proposals(module, None)
    recent = selectors.proposals_page(qs, Filters(sort="recent"), size=2)
    with pytest.raises(InvalidCursor):
        selectors.proposals_page(qs, Filters(sort="supported", cursor=recent.next_cursor), size=10)


def test_the_page_sets_the_module_on_its_items(django_assert_num_queries):
    module = ProposalModuleFactory()
    ProposalFactory.create_batch(2, module=module)
    page = selectors.proposals_page(selectors.public_proposals(module, None), Filters(sort="recent"), module=module)
    with django_assert_num_queries(0):
        assert all(p.module.pk == module.pk for p in page.items)


# --- the map --------------------------------------------------------------------------------------------------
def test_map_features_are_geojson_points_most_supported_first():
    module = ProposalModuleFactory()
    ProposalFactory(module=module, title="a", latitude=Decimal("48.1"), longitude=Decimal("2.1"), supports_count=1)
    ProposalFactory(module=module, title="b", latitude=Decimal("48.2"), longitude=Decimal("2.2"), supports_count=5)
    ProposalFactory(module=module, title="c", latitude=Decimal("48.3"), longitude=Decimal("2.3"))
    ProposalFactory(module=module, title="sans lieu")
    data = selectors.map_features(selectors.public_proposals(module, None), module, limit=2)
    assert data["truncated"] is True and data["limit"] == 2
    assert [f["properties"]["title"] for f in data["features"]] == ["b", "a"]
    assert data["features"][0]["geometry"]["coordinates"] == [2.2, 48.2]
    assert data["features"][0]["properties"]["url"].endswith(f"/propositions/{data['features'][0]['id']}/")


def test_map_features_hold_what_the_popup_shows_only():
    module = ProposalModuleFactory()
    ProposalFactory(
        module=module,
        title="Un banc",
        address="Place du Marché",
        latitude=Decimal("48.5"),
        longitude=Decimal("2.25"),
        supports_count=4,
        comments_count=2,
        answer_status=Proposal.AnswerStatus.SELECTED,
    )
    data = selectors.map_features(selectors.public_proposals(module, None), module)
    assert data["truncated"] is False and data["limit"] == selectors.MAP_LIMIT
    feature = data["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [2.25, 48.5]}
    assert set(feature["properties"]) == {"title", "url", "supports", "comments", "answer"}
    assert feature["properties"]["answer"] == "retenue" and feature["properties"]["supports"] == 4


def test_map_features_make_one_query(django_assert_num_queries):
    module = ProposalModuleFactory()
    for n in range(5):
        ProposalFactory(module=module, latitude=Decimal("48") + n, longitude=Decimal("2"))
    qs = selectors.public_proposals(module, None)
    module = type(module).objects.select_related("space").get(pk=module.pk)
    with django_assert_num_queries(1):
        assert len(selectors.map_features(qs, module)["features"]) == 5


# --- similar titles -------------------------------------------------------------------------------------------
def test_similar_proposals_share_words_of_the_title():
    module = ProposalModuleFactory()
    close = ProposalFactory(module=module, title="Installer des bancs place du Marché")
    partial = ProposalFactory(module=module, title="Des bancs au parc")
    ProposalFactory(module=module, title="Une piscine couverte")
    draft = ProposalFactory(module=module, title="Bancs place du Marché (brouillon)", status=Proposal.Status.DRAFT)
    for proposal in (close, partial, draft):
        index_object(proposal)
    found = selectors.similar_proposals(module, "Des bancs sur la place du marché")
    assert found == [close, partial]
    assert selectors.similar_proposals(module, "Des bancs place du Marché", exclude_pk=close.pk) == [partial]
    assert selectors.similar_proposals(module, "le la les") == []


def test_drafts_of_and_history():
    module = ProposalModuleFactory()
    author = UserFactory()
    draft = ProposalFactory(module=module, author=author, status=Proposal.Status.DRAFT)
    ProposalFactory(module=module, author=author)
    assert selectors.drafts_of(author, module) == [draft]
    assert selectors.drafts_of(None, module) == []


def test_module_statistics():
    module = ProposalModuleFactory()
    ProposalFactory(module=module, supports_count=3, latitude=Decimal("48"), longitude=Decimal("2"))
    ProposalFactory(module=module, comments_count=2, answer_status="done", answered_at=timezone.now())
    figures = selectors.module_statistics(module)
    assert figures["proposals"] == 2 and figures["supports"] == 3 and figures["comments"] == 2
    assert figures["located"] == 1 and figures["answered"] == 1 and figures["selected"] == 1
