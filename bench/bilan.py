"""Benchmark: the bilan of a démarche with many contributions — its page's reads (figures, contributions with their
answers, commitments), its page through Django's test client, its PDF and its DOCX.

Usage (from the project root):

    nice -n 10 .venv/bin/python bench/bilan.py                      # a temporary SQLite file
    DATABASE_URL=postgres://user:pass@host/db nice -n 10 .venv/bin/python bench/bilan.py

Options: --items 2000 --comments 20000 --runs 5. It builds, in the configured database (migrated first), a published
démarche with a module of the test type (``testapp.Item``, hence the test settings), ``--items`` contributions and
``--comments`` comments on them (a tenth answered officially, a tenth entered by an agent), 2,000 residents spread
over five quartiers with their population, and a published bilan; then prints, for each measure, the median and
maximum wall time, the median CPU time of this process (the steadier on a shared machine) and the number of queries.
On PostgreSQL, use a database made for it: the data it creates stays there.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "participe.settings_test")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"

from bench.proposals import setup  # noqa: E402


def build(items: int, comments: int) -> Any:
    """A published démarche with ``items`` contributions and ``comments`` comments, and its published bilan."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from participe.accounts.models import User
    from participe.comments.models import Comment
    from participe.organisation.models import Territory
    from participe.restitution.models import Bilan
    from participe.spaces.models import Module, Phase, Space
    from tests.testapp.models import Item

    now = timezone.now()
    tag = str(int(time.time() * 1000))
    commune = Territory.objects.create(name=f"Commune {tag}", slug=f"commune-{tag}", kind="commune")
    quartiers = [
        Territory.objects.create(name=f"Q{n} {tag}", slug=f"q{n}-{tag}", parent=commune, population=3_000 + 1_000 * n)
        for n in range(5)
    ]
    space = Space.objects.create(
        title=f"Bilan {tag}", slug=f"bilan-{tag}", summary="Mesure", status="published", visibility="public"
    )
    module = Module.objects.create(space=space, module_type="testmodule", title="Test", slug="test")
    Phase.objects.create(
        module=module,
        phase_type="participation",
        name="Participation",
        start=now - datetime.timedelta(days=30),
        end=now + datetime.timedelta(days=30),
    )
    users = User.objects.bulk_create(
        [
            User(
                email=f"{tag}-{n}@example.org",
                pseudonym=f"{tag}-{n}",
                territory=quartiers[n % 7 % 5] if n % 7 else None,
            )
            for n in range(2_000)
        ]
    )
    rows = Item.objects.bulk_create(
        [Item(module=module, title=f"Idée {n}", author=users[n % len(users)]) for n in range(items)], batch_size=1_000
    )
    item_type = ContentType.objects.get_for_model(Item)
    top = Comment.objects.bulk_create(
        [
            Comment(
                content_type=item_type,
                object_id=rows[n % len(rows)].pk,
                module=module,
                author=users[(n * 7) % len(users)],
                body=f"Contribution {n}",
                entered_by=users[0] if n % 10 == 3 else None,
            )
            for n in range(comments)
        ],
        batch_size=1_000,
    )
    Comment.objects.bulk_create(
        [
            Comment(
                content_type=item_type,
                object_id=c.object_id,
                module=module,
                parent=c,
                author=users[1],
                official_role="service",
                body="Réponse de la ville",
            )
            for c in top[::10]
        ],
        batch_size=1_000,
    )
    Bilan.objects.create(space=space, state=Bilan.State.PUBLISHED, published_at=now, introduction="<p>Mesure.</p>")
    return space


def measure(label: str, function: Callable[[], Any], runs: int) -> None:
    """Wall time (what a visitor waits, inflated on a loaded machine) and this process's CPU time (what it costs)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    walls, cpus = [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start, cpu = time.perf_counter(), time.process_time()
            function()
            walls.append((time.perf_counter() - start) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
    print(
        f"{label:<28} wall median {statistics.median(walls):8.1f} ms  max {max(walls):8.1f} ms   "
        f"CPU median {statistics.median(cpus):8.1f} ms   {len(queries):3d} queries"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=2_000)
    parser.add_argument("--comments", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    setup()
    from django.contrib.auth.models import AnonymousUser
    from django.test import Client

    from participe.restitution.documents.pdf import bilan_pdf
    from participe.restitution.documents.word import bilan_docx
    from participe.restitution.selectors import bilan_of

    start = time.perf_counter()
    space = build(options.items, options.comments)
    print(f"built {options.items} items and {options.comments} comments in {time.perf_counter() - start:.1f} s")
    report = bilan_of(space, AnonymousUser())
    print(
        f"participants {report.figures.participants}, contributions {report.figures.contributions}, "
        f"answered {report.answered}, unanswered {report.unanswered}"
    )
    client = Client()
    url = f"/bilans/{space.slug}/"
    assert client.get(url).status_code == 200
    measure("reads (bilan_of)", lambda: bilan_of(space, AnonymousUser()), options.runs)
    measure("page (test client)", lambda: client.get(url), options.runs)
    measure(
        "PDF (reads + WeasyPrint)",
        lambda: bilan_pdf(bilan_of(space, AnonymousUser()), base_url="http://x/"),
        options.runs,
    )
    measure("DOCX (reads + python-docx)", lambda: bilan_docx(bilan_of(space, AnonymousUser())), options.runs)
    # What a request for a document costs since decision 0042: the reads and the fingerprint (the build is the
    # worker's), then serving the kept file.
    from participe.restitution.documents import builds

    reader = builds.Reader(None, True, "fr", "http://x/")
    for kind in ("pdf", "docx"):
        measure(
            f"{kind.upper()} fingerprint (request)",
            lambda kind=kind: builds.rendering(kind, bilan_of(space, AnonymousUser()), reader),
            options.runs,
        )
        assert client.get(f"{url}bilan.pdf" if kind == "pdf" else url).status_code in (200, 202)
    client.get(f"{url}bilan.pdf")  # built now (immediate backend) or by a worker
    measure("PDF kept (test client)", lambda: b"".join(client.get(f"{url}bilan.pdf").streaming_content), options.runs)


if __name__ == "__main__":
    main()
