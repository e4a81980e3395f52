"""Benchmark: server time of search over a large index (1,000,000 items by default).

Usage (from the project root):

    .venv/bin/python bench/search.py --items 100000          # a temporary SQLite file
    DATABASE_URL=postgres://user:pass@host/db .venv/bin/python bench/search.py --items 1000000

Options: --items 1000000 --runs 20 --reuse. It migrates the configured database, then fills the search index
directly (bulk inserts in raw SQL: entries, territory and theme rows, and on SQLite the FTS5 rows, normalised the
way ``participe.search.services`` does; on PostgreSQL the tsvector is a generated column) with French-looking
text whose word frequencies follow a Zipf law, so that there are very common words and rare ones. Then it runs
realistic queries (a common word, a rare word, two words, a phrase, a plural with accents, a filter, no query but
a filter, a deep page) through the selector ``participe.search.selectors.search`` and through the page
``/recherche/`` (Django's test client, templates included), and prints the median and the 95th percentile.
On PostgreSQL, use a database made for it: the entries it creates stay there (``--reuse`` keeps them for the
next run; without it, the previous benchmark entries are deleted first).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "participe.settings_test")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"

KIND = "bench.item"  # a content type of its own: the benchmark's entries are easy to find and remove
BATCH = 5000
COMMON = [
    "projet",
    "quartier",
    "école",
    "parc",
    "jardin",
    "vélo",
    "piste",
    "cyclable",
    "rue",
    "place",
    "marché",
    "bibliothèque",
    "piscine",
    "gymnase",
    "arbre",
    "banc",
    "éclairage",
    "trottoir",
    "stationnement",
    "bus",
    "tramway",
    "navette",
    "jeunes",
    "enfants",
    "seniors",
    "familles",
    "association",
    "habitants",
    "conseil",
    "budget",
    "participatif",
    "idée",
    "proposition",
    "travaux",
    "rénovation",
    "sécurité",
    "propreté",
    "déchets",
    "compost",
    "recyclage",
    "énergie",
    "solaire",
    "isolation",
    "logement",
    "culture",
    "musée",
    "concert",
    "fête",
    "sport",
    "stade",
    "terrain",
    "santé",
    "maison",
    "centre",
    "social",
    "crèche",
    "cantine",
    "repas",
    "local",
    "circulation",
    "vitesse",
    "zone",
    "piétonne",
    "accès",
    "handicap",
    "ascenseur",
    "toilettes",
    "fontaine",
    "eau",
    "ombre",
    "chaleur",
    "été",
    "hiver",
    "nuit",
    "bruit",
    "commerce",
    "emploi",
    "formation",
]
LINK = [
    "le",
    "la",
    "les",
    "des",
    "du",
    "de",
    "un",
    "une",
    "et",
    "pour",
    "avec",
    "dans",
    "sur",
    "près",
    "plus",
    "nouveau",
    "nouvelle",
    "grand",
    "petite",
]
SYLLABLES = [
    "ba",
    "be",
    "bi",
    "bo",
    "bu",
    "da",
    "de",
    "di",
    "do",
    "du",
    "fa",
    "fe",
    "fi",
    "lo",
    "lu",
    "ma",
    "me",
    "mi",
    "mo",
    "mu",
    "na",
    "ne",
    "ni",
    "no",
    "nu",
    "ra",
    "re",
    "ri",
    "ro",
    "ru",
    "sa",
    "se",
    "si",
    "so",
]


def setup() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False
    call_command("migrate", verbosity=0, interactive=False)


def vocabulary(rng: random.Random, size: int) -> list[str]:
    """Common words first, then invented ones: with Zipf weights, the last ones are rare."""
    words = list(dict.fromkeys(COMMON))
    while len(words) < size:
        words.append("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 4))))
    return list(dict.fromkeys(words))


class TextMaker:
    """Random titles and texts, with their normalised form computed once per word (fast for millions)."""

    def __init__(self, rng: random.Random, size: int = 20000) -> None:
        from participe.search import text

        self.rng = rng
        self.words = vocabulary(rng, size)
        self.normal = [text.normalise(w) for w in self.words]
        self.weights = [1 / (rank + 1) for rank in range(len(self.words))]
        self.cumulative = list(self._accumulate(self.weights))
        self.link_normal = [text.normalise(w) for w in LINK]

    @staticmethod
    def _accumulate(values: list[float]) -> Iterator[float]:
        total = 0.0
        for v in values:
            total += v
            yield total

    def sentence(self, length: int) -> tuple[str, str]:
        picks = self.rng.choices(range(len(self.words)), cum_weights=self.cumulative, k=length)
        original, normal = [], []
        for n, index in enumerate(picks):
            if n % 3 == 1:
                link = self.rng.randrange(len(LINK))
                original.append(LINK[link])
                normal.append(self.link_normal[link])
            original.append(self.words[index])
            normal.append(self.normal[index])
        return " ".join(original), " ".join(normal)


def fill(total: int, reuse: bool) -> dict[str, Any]:
    """Spaces, territories, themes, and ``total`` index entries spread over them."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone

    from participe.organisation.models import Territory, Theme
    from participe.search.models import SearchEntry
    from participe.spaces.models import Space

    ct, _created = ContentType.objects.get_or_create(app_label="bench", model="item")
    existing = SearchEntry.objects.filter(kind=KIND).count()
    territories = _make_places(Territory, "bench-quartier", 20, kind="quartier")
    themes = _make_places(Theme, "bench-theme", 12)
    spaces = _make_spaces(40)
    if reuse and existing >= total:
        print(f"Index reused: {existing} benchmark entries.")
        return {"territory": territories[0], "space": spaces[0], "count": existing}
    if existing:
        print(f"Removing {existing} previous benchmark entries…")
        _delete_previous(ct.pk)
    rng = random.Random(2026)
    maker = TextMaker(rng)
    now = timezone.now()
    first_id = (SearchEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    started = time.monotonic()
    for start in range(0, total, BATCH):
        size = min(BATCH, total - start)
        entries, fts, places = [], [], []
        for n in range(size):
            pk = first_id + start + n
            space = spaces[rng.randrange(len(spaces))]
            title, title_normal = maker.sentence(rng.randint(3, 6))
            body, body_normal = maker.sentence(rng.randint(25, 60))
            hidden = rng.random() < 0.01
            entries.append(
                (
                    pk,
                    ct.pk,
                    pk,
                    KIND,
                    space.pk,
                    title.capitalize(),
                    body,
                    f"/bench/{pk}/",
                    now - datetime.timedelta(minutes=rng.randrange(3 * 365 * 24 * 60)),
                    space.status,
                    space.visibility == Space.Visibility.PUBLIC,
                    True,
                    "hidden" if hidden else "published",
                )
            )
            fts.append((pk, title_normal, body_normal))
            places.append((pk, territories[rng.randrange(len(territories))].pk, themes[rng.randrange(len(themes))].pk))
        with transaction.atomic(), connection.cursor() as cursor:
            _insert(cursor, entries, fts, places)
        done = start + size
        if done % 50000 == 0 or done == total:
            rate = done / (time.monotonic() - started)
            print(f"  {done:>9} entries ({rate:,.0f}/s)", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('search_searchentry', 'id'), max(id)) FROM search_searchentry"
            )
            cursor.execute("ANALYZE search_searchentry")
            cursor.execute("ANALYZE search_searchentrytheme")
            cursor.execute("ANALYZE search_searchentryterritory")
    else:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
    return {"territory": territories[0], "space": spaces[0], "count": total}


def _insert(
    cursor: Any, entries: list[tuple[Any, ...]], fts: list[tuple[Any, ...]], places: list[tuple[int, int, int]]
) -> None:
    from django.db import connection

    columns = (
        "id, content_type_id, object_id, kind, space_id, title, body, url, date, "
        "space_status, space_public, module_published, moderation_status"
    )
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY search_searchentry ({columns}) FROM STDIN") as copy:
            for row in entries:
                copy.write_row(row)
        with cursor.cursor.copy("COPY search_searchentryterritory (entry_id, territory_id) FROM STDIN") as copy:
            for pk, territory, _theme in places:
                copy.write_row((pk, territory))
        with cursor.cursor.copy("COPY search_searchentrytheme (entry_id, theme_id) FROM STDIN") as copy:
            for pk, _territory, theme in places:
                copy.write_row((pk, theme))
        return
    marks = ", ".join(["%s"] * 13)
    cursor.executemany(f"INSERT INTO search_searchentry ({columns}) VALUES ({marks})", entries)
    cursor.executemany("INSERT INTO search_fts(rowid, title, body) VALUES (%s, %s, %s)", fts)
    cursor.executemany(
        "INSERT INTO search_searchentryterritory (entry_id, territory_id) VALUES (%s, %s)",
        [(p, t) for p, t, _ in places],
    )
    cursor.executemany(
        "INSERT INTO search_searchentrytheme (entry_id, theme_id) VALUES (%s, %s)", [(p, th) for p, _, th in places]
    )


def _delete_previous(content_type_id: int) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        subquery = "SELECT id FROM search_searchentry WHERE content_type_id = %s"
        cursor.execute(f"DELETE FROM search_searchentryterritory WHERE entry_id IN ({subquery})", [content_type_id])
        cursor.execute(f"DELETE FROM search_searchentrytheme WHERE entry_id IN ({subquery})", [content_type_id])
        cursor.execute(
            "DELETE FROM search_searchentry WHERE content_type_id = %s", [content_type_id]
        )  # FTS rows: trigger


def _make_places(model: Any, prefix: str, count: int, **extra: Any) -> list[Any]:
    return [
        model.objects.get_or_create(slug=f"{prefix}-{n}", defaults={"name": f"{prefix} {n}", **extra})[0]
        for n in range(count)
    ]


def _make_spaces(count: int) -> list[Any]:
    from participe.spaces.models import Space

    spaces = []
    for n in range(count):
        private = n % 10 == 9
        draft = n % 20 == 19
        space, _created = Space.objects.get_or_create(
            slug=f"bench-search-{n}",
            defaults={
                "title": f"Démarche de test {n}",
                "summary": "Benchmark",
                "status": Space.Status.DRAFT if draft else Space.Status.PUBLISHED,
                "visibility": Space.Visibility.PRIVATE if private else Space.Visibility.PUBLIC,
            },
        )
        spaces.append(space)
    return spaces


def timed(function: Callable[[], Any], runs: int) -> tuple[list[float], Any]:
    function()  # warm the caches once: the database's pages and Django's templates
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    return times, result


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def rare_word(maker_size: int = 20000) -> str:
    """One of the least frequent words of the vocabulary (a few hundred items in a million)."""
    words = vocabulary(random.Random(2026), maker_size)
    return words[len(words) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--reuse", action="store_true", help="keep an index already filled by a previous run")
    args = parser.parse_args()
    setup()
    from django.db import connection
    from django.test import Client

    from participe.search.selectors import SearchFilters, cursor_at, search

    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    started = time.monotonic()
    data = fill(args.items, args.reuse)
    print(f"Index ready: {data['count']} items in {time.monotonic() - started:.0f} s.\n")
    rare = rare_word()
    territory, space = data["territory"], data["space"]
    queries: list[tuple[str, str, SearchFilters, str | None]] = [
        ("common word", "projet", SearchFilters(), None),
        ("common word, sorted by date", "projet", SearchFilters(sort="date"), None),
        ("rare word", rare, SearchFilters(), None),
        ("two words", "jardin vélo", SearchFilters(), None),
        ("phrase", '"piste cyclable"', SearchFilters(), None),
        ("plural with accents", "ÉCOLES", SearchFilters(), None),
        ("word + territory filter", "parc", SearchFilters(territory=territory), None),
        ("word + space filter", "parc", SearchFilters(space=space), None),
        ("filter only (no words)", "", SearchFilters(territory=territory), None),
        ("common word, page 10", "projet", SearchFilters(), cursor_at(180)),
        ("no match", "introuvablexyz", SearchFilters(), None),
    ]
    client = Client()
    rows = []
    for label, query, filters, cursor in queries:
        selector_times, page = timed(
            lambda q=query, f=filters, c=cursor: search(user=None, query=q, filters=f, cursor=c), args.runs
        )
        params = {"q": query, "apres": cursor or ""}
        if filters.territory:
            params["territory"] = filters.territory.slug
        if filters.space:
            params["space"] = filters.space.slug
        if filters.sort != "relevance":
            params["sort"] = filters.sort
        page_times, response = timed(lambda p=params: client.get("/recherche/", p), args.runs)
        assert response.status_code == 200, response.status_code
        found = f"{'>' if page.total_is_bounded else ''}{page.total}"
        rows.append((label, query, found, selector_times, page_times))
    print(f"{'query':<30} {'q':<18} {'found':>6}  {'selector median':>15} {'p95':>8}  {'page median':>11} {'p95':>8}")
    for label, query, found, selector_times, page_times in rows:
        print(
            f"{label:<30} {query[:18]:<18} {found:>6}  {statistics.median(selector_times):>12.1f} ms "
            f"{percentile(selector_times, 0.95):>5.1f} ms  {statistics.median(page_times):>8.1f} ms {percentile(page_times, 0.95):>5.1f} ms"
        )


if __name__ == "__main__":
    main()
