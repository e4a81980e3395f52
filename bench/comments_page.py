"""Benchmark: server time of a comment page, for a resource with 10,000 comments, one with 100 and one with 10.

The 100-comment thread fills its first page as the big thread does (top-level comments and their first replies):
compare the big thread with it to see the cost of the thread's size; the 10-comment page shows less content.

Usage (from the project root):

    .venv/bin/python bench/comments_page.py                 # a temporary SQLite file
    DATABASE_URL=postgres://user:pass@host/db .venv/bin/python bench/comments_page.py

Options: --comments 10000 --runs 30. It builds its data in the configured database (migrating it first), with the
test-only resource type ``testapp.Item`` (hence the test settings), then renders through Django's test client:
the first page of each thread, a page deep in the big thread (keyset cursor), the same as an htmx fragment,
the most-supported sort, and the first page for a signed-in resident (with the forms and permission checks).
It prints the median and the 95th percentile of the server time of each. On PostgreSQL, use a database made for it:
the data it creates stays there.
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
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "participe.settings_test")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"


def setup() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0, interactive=False)


def build(total: int, label: str) -> Any:
    """A published space, a module of the test type with a participation phase, an item and its ``total`` comments."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from participe.accounts.models import User
    from participe.comments.models import Comment, Stance
    from participe.comments.services import recount_for
    from participe.spaces.models import Module, Phase, Space
    from tests.testapp.models import Item

    now = timezone.now()
    tag = f"{label}-{int(time.time() * 1000)}"
    space = Space.objects.create(
        title=f"Banc d'essai {tag}", slug=f"banc-{tag}", summary="Mesure", status="published", visibility="public"
    )
    module = Module.objects.create(space=space, module_type="testmodule", title="Test", slug="test")
    Phase.objects.create(
        module=module,
        phase_type="participation",
        name="Participation",
        start=now - datetime.timedelta(days=1),
        end=now + datetime.timedelta(days=30),
    )
    users = User.objects.bulk_create(
        [User(email=f"{tag}-{n}@example.org", pseudonym=f"{tag}-{n}") for n in range(min(500, max(total, 1)))]
    )
    item = Item.objects.create(module=module, title=f"Idée {tag}", author=users[0])
    content_type = ContentType.objects.get_for_model(Item)
    rng = random.Random(42)
    top_level = total * 8 // 10
    stances = list(Stance.values)
    start = now - datetime.timedelta(days=20)

    def comment(n: int, parent: Comment | None = None) -> Comment:
        return Comment(
            content_type=content_type,
            object_id=item.pk,
            module=module,
            parent=parent,
            author=users[n % len(users)],
            stance="" if parent else rng.choice(stances),
            body=f"Commentaire {n} : " + "des bancs, de l'ombre et des arbres. " * rng.randint(1, 8),
            supports_count=rng.randint(0, 50),
        )

    tops = Comment.objects.bulk_create([comment(n) for n in range(top_level)], batch_size=1000)
    replies = Comment.objects.bulk_create(
        [comment(top_level + n, parent=rng.choice(tops[: max(1, top_level // 4)])) for n in range(total - top_level)],
        batch_size=1000,
    )
    # Spread the dates, as a real thread has them (bulk_create gives them all the same time).
    everything = [*tops, *replies]
    for n, row in enumerate(everything):
        row.created_at = start + datetime.timedelta(seconds=60 * n)
    Comment.objects.bulk_update(everything, ["created_at"], batch_size=1000)
    recount_for(item)
    return item, users[1]


def measure(client: Any, url: str, runs: int, **headers: Any) -> tuple[float, float]:
    client.get(url, secure=True, **headers)  # warm-up
    timings = []
    for _run in range(runs):
        began = time.perf_counter()
        response = client.get(url, secure=True, **headers)
        timings.append((time.perf_counter() - began) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    timings.sort()
    return statistics.median(timings), timings[max(0, round(0.95 * len(timings)) - 1)]


def deep_cursor(item: Any, position: int) -> str:
    """The keyset cursor after the ``position``-th top-level comment (oldest first), as the pages would give it."""
    from participe.comments.models import Comment
    from participe.comments.selectors import SORTS, thread_of
    from participe.core.pagination import cursor_of

    row = Comment.objects.filter(thread_of(item), parent__isnull=True).order_by("created_at", "pk")[position]
    return cursor_of(row, SORTS["anciens"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--comments", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    setup()
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.test import Client

    print(f"Database: {connection.vendor}; building the data…", flush=True)
    began = time.perf_counter()
    big, resident = build(args.comments, "grand")
    small, _user = build(10, "petit")
    full, _user = build(100, "moyen")  # a full first page, like the big thread's: the same work per page
    print(f"Data built in {time.perf_counter() - began:.1f} s", flush=True)
    content_type = ContentType.objects.get_for_model(big)

    def url(item: Any) -> str:
        return f"/commentaires/{content_type.pk}/{item.pk}/"

    deep = deep_cursor(big, big.comments_count * 8 // 10 - 30)
    cases = [
        ("10 comments, first page", url(small), {}),
        ("100 comments, first page", url(full), {}),
        (f"{args.comments} comments, first page", url(big), {}),
        (f"{args.comments} comments, most supported", url(big) + "?tri=soutenus", {}),
        (f"{args.comments} comments, deep cursor page", f"{url(big)}?tri=anciens&cursor={deep}", {}),
        (
            f"{args.comments} comments, deep page (htmx)",
            f"{url(big)}?tri=anciens&cursor={deep}",
            {"HTTP_HX_REQUEST": "true"},
        ),
    ]
    anonymous = Client()
    print(f"{'case':<48} {'median ms':>10} {'p95 ms':>10}")
    for name, address, headers in cases:
        median, p95 = measure(anonymous, address, args.runs, **headers)
        print(f"{name:<48} {median:>10.1f} {p95:>10.1f}", flush=True)
    signed_in = Client()
    signed_in.force_login(resident)
    median, p95 = measure(signed_in, url(big), args.runs)
    print(f"{f'{args.comments} comments, first page, signed in':<48} {median:>10.1f} {p95:>10.1f}")


if __name__ == "__main__":
    main()
