"""Benchmark: the CPU time one request costs the application, for the pages and writes of issue #12.

A proposal's page with 50 comments (anonymous, signed in as one of the commenters, as the space's moderator), and
three writes through HTTP as htmx sends them: a support (added, then withdrawn: two writes), a comment, a page of a
questionnaire's answers. Each runs through Django's test client (the whole middleware stack, templates, sessions; no
network, no WSGI server), and the figure is the CPU time of this process per request (``time.process_time``): on
a loaded machine the wall time follows the load, the CPU time does not. On SQLite it includes the database's work;
on PostgreSQL the backend's CPU per request is given apart (``db cpu``, mean over the runs, read from /proc).

Usage (from the project root):

    .venv/bin/python bench/cpu_per_request.py                       # a temporary SQLite file
    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/participe_perf_bench .venv/bin/python bench/cpu_per_request.py
    .venv/bin/python bench/cpu_per_request.py --profile "proposal, anonymous"   # cProfile of one case
    .venv/bin/python bench/cpu_per_request.py --page-cache          # as in production: kept pages and parts

Options: --runs 40 --comments 50 --followers 0 --redis redis://127.0.0.1:6379/5 (every cache in Redis, as in
production with REDIS_URL; that database is emptied) --only TEXT --profile CASE [--sort tottime|cumulative] [--lines 40] [--filter RE],
--sql (the queries of each case). Tasks go to the database queue, as in production; ``tasks`` is the CPU a
worker then spends per request on what the requests left it (the followers told of a comment, emails), run after
the timed requests (``db_worker --batch``, in this process; the mean, not the median). On PostgreSQL, a new database for each run (the test factories' slugs would
collide with the previous run's data): drop and create it again.
The write throttles are off (``bench/throttle.py`` measures what they cost); the CSRF middleware runs but, as the
test client does, does not refuse a request without a token.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "participe.settings_test")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"

from bench.proposals import backend as backend_cpu  # noqa: E402  (the backend's CPU, read the same way)


def use_redis(url: str) -> None:
    """The caches of production with ``REDIS_URL``: every store in Redis (the one at ``url``, emptied first), the
    sessions read from it."""
    from django.conf import settings
    from django.core.cache import caches
    from django.test import override_settings

    from participe.core.cache import BACKEND

    redis = {"BACKEND": BACKEND, "LOCATION": url}
    stores = {name: dict(redis) for name in settings.CACHES}
    for name in ("pages", "fragments"):
        stores[name]["KEY_PREFIX"] = name
    # and the sessions read from Redis, as production reads them with REDIS_URL
    override_settings(CACHES=stores, SESSION_ENGINE="django.contrib.sessions.backends.cached_db").enable()
    caches["default"].clear()


def setup() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import override_settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.PARTICIPE_THROTTLES = {}
    override_settings(TASKS=PRODUCTION_TASKS).enable()  # the queue of production: what a request leaves to a worker
    call_command("migrate", verbosity=0, interactive=False)


PRODUCTION_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_queued_tasks() -> float:
    """Run what the requests left in the queue, as a worker does (``db_worker --batch``); return its CPU seconds."""
    from django.core.management import call_command

    began = time.process_time()
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    return time.process_time() - began


@dataclass
class Data:
    proposal: Any
    commenter: Any
    moderator: Any
    supporter: Any
    survey: Any
    respondent: Any
    extra: dict[str, Any] = field(default_factory=dict)


def build(comments: int, followers: int = 0) -> Data:
    """A proposals module in its "dépôt" phase, a proposal with ``comments`` comments (a fifth of them replies, a few
    supported, one official answer-like stance mix), a moderator of the space, and a questionnaire open to all;
    ``followers`` accounts following the démarche (each told of every new comment)."""
    import random

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from participe.comments.models import Comment, Stance
    from participe.comments.services import recount_for
    from participe.modules.proposals.tests.factories import ProposalFactory
    from participe.modules.surveys.tests.answering_data import build_survey
    from tests.factories import UserFactory, make_space_role

    rng = random.Random(12)
    proposal = ProposalFactory()
    module = proposal.module
    users = [UserFactory() for _n in range(20)]
    content_type = ContentType.objects.get_for_model(proposal)
    top_level = comments * 8 // 10
    stances = list(Stance.values)
    start = timezone.now() - datetime.timedelta(days=3)

    def comment(n: int, parent: Any = None) -> Any:
        return Comment(
            content_type=content_type,
            object_id=proposal.pk,
            module=module,
            parent=parent,
            author=users[n % len(users)],
            stance="" if parent else rng.choice(stances),
            body=f"Commentaire {n} : " + "des bancs, de l'ombre et des arbres. " * rng.randint(1, 6),
            supports_count=rng.randint(0, 12),
        )

    tops = Comment.objects.bulk_create([comment(n) for n in range(top_level)])
    replies = Comment.objects.bulk_create(
        [comment(top_level + n, parent=tops[n % max(1, top_level // 4)]) for n in range(comments - top_level)]
    )
    everything = [*tops, *replies]
    for n, row in enumerate(everything):
        row.created_at = start + datetime.timedelta(minutes=n)
    Comment.objects.bulk_update(everything, ["created_at"])
    recount_for(proposal)
    if followers:
        from django.contrib.auth.hashers import make_password

        from participe.accounts.models import User
        from participe.notifications.models import Follow

        space_type = ContentType.objects.get_for_model(module.space)
        password = make_password(None)
        accounts = User.objects.bulk_create(
            User(email=f"suiveur-{n}@example.org", pseudonym=f"suiveur-{n}", password=password)
            for n in range(followers)
        )
        Follow.objects.bulk_create(Follow(user=a, content_type=space_type, object_id=module.space.pk) for a in accounts)
    moderator = make_space_role(module.space, "moderator")
    survey = build_survey()
    return Data(
        proposal=proposal,
        commenter=users[0],
        moderator=moderator,
        supporter=UserFactory(),
        survey=survey,
        respondent=UserFactory(),
    )


@dataclass
class Case:
    name: str
    who: str
    run: Callable[[Any, int], Any]  # (client, n) -> response
    expect: tuple[int, ...] = (200,)


def cases(data: Data) -> list[Case]:
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse

    from participe.modules.surveys.tests.answering_data import posted, valid_values

    proposal = data.proposal
    page = proposal.get_absolute_url()
    content_type = ContentType.objects.get_for_model(proposal)
    keys = {"content_type_id": content_type.pk, "object_id": proposal.pk}
    add = reverse("supports:add", kwargs=keys)
    withdraw = reverse("supports:withdraw", kwargs=keys)
    create = reverse("comments:create", kwargs=keys)
    htmx = {"HTTP_HX_REQUEST": "true"}
    survey = data.survey
    module = survey.module
    answer_url = reverse(
        "spaces:surveys:answer", kwargs={"slug": module.space.slug, "module_slug": module.slug, "page": 1}
    )
    values = valid_values(survey)
    first = [str(survey.come.pk), str(survey.why.pk), str(survey.transport.pk)]
    page_one = {**posted({k: values[k] for k in first}), "shown": [str(survey.why.pk)]}

    def support(client: Any, n: int) -> Any:
        return client.post(add if n % 2 == 0 else withdraw, {"next": page}, secure=True, **htmx)

    def comment(client: Any, n: int) -> Any:  # a new top-level comment each time (answered 200: the fragment)
        return client.post(
            create, {"body": f"Un commentaire de plus, le n° {n}.", "stance": "favorable"}, secure=True, **htmx
        )

    def answer(client: Any, n: int) -> Any:
        return client.post(answer_url, page_one, secure=True)

    return [
        Case("proposal, 50 comments, anonymous", "anonymous", lambda c, n: c.get(page, secure=True)),
        Case("proposal, 50 comments, signed-in commenter", "commenter", lambda c, n: c.get(page, secure=True)),
        Case("proposal, 50 comments, moderator", "moderator", lambda c, n: c.get(page, secure=True)),
        Case("write: support add/withdraw (htmx)", "supporter", support),
        Case("write: comment (htmx)", "commenter", comment),
        Case("write: questionnaire page 1 answer", "respondent", answer, expect=(302,)),
    ]


def measure(case: Case, client: Any, runs: int, sql: bool = False) -> tuple[float, float, float | None, int, float]:
    from django.db import connection

    for n in range(2):  # warm-up: templates, sessions, caches
        response = case.run(client, n)
        if response.status_code not in case.expect:
            raise SystemExit(f"{case.name}: answered {response.status_code}")
    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):  # a wrapper outlives the connection's closing (SQLite, each request)
        case.run(client, 2)
    if sql:
        print("\n".join(f"    {q[:160]}" for q in queries))
    run_queued_tasks()  # the warm-ups' tasks
    cpu, wall = [], []
    before = backend_cpu()
    for n in range(runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        case.run(client, n + 3)
        cpu.append((time.process_time() - began_cpu) * 1000)
        wall.append((time.perf_counter() - began) * 1000)
    after = backend_cpu()
    db = (after[1] - before[1]) * 1000 / runs if before and after and before[0] == after[0] else None
    tasks = run_queued_tasks() * 1000 / runs
    return statistics.median(cpu), statistics.median(wall), db, len(queries), tasks


def clients(data: Data) -> dict[str, Any]:
    from django.test import Client

    found: dict[str, Any] = {"anonymous": Client()}
    for role in ("commenter", "moderator", "supporter", "respondent"):
        found[role] = Client()
        found[role].force_login(getattr(data, role))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--comments", type=int, default=50)
    parser.add_argument("--redis", default="", help="a Redis URL (emptied): the caches in Redis, as in production")
    parser.add_argument("--followers", type=int, default=0, help="accounts following the démarche (told of a comment)")
    parser.add_argument("--only", default="")
    parser.add_argument("--profile", default="", help="a case's name (or part of it): print its cProfile")
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--lines", type=int, default=40)
    parser.add_argument("--sql", action="store_true", help="print the queries of one request of each case")
    parser.add_argument("--callers", help="with --profile: who calls the functions matching this pattern")
    parser.add_argument("--callees", help="with --profile: what the functions matching this pattern call")
    parser.add_argument("--filter", default="", help="with --profile: only the functions whose path matches")
    parser.add_argument(
        "--page-cache",
        action="store_true",
        help="the page cache on, as in production: the anonymous page is then a hit, the signed-in pages use the"
        " parts kept for every reader (decision 0046)",
    )
    args = parser.parse_args()
    setup()
    if args.redis:
        use_redis(args.redis)
    if args.page_cache:
        from django.conf import settings

        settings.PARTICIPE_PAGE_CACHE = True
    from django.db import connection

    data = build(args.comments, args.followers)
    who = clients(data)
    load = os.getloadavg()
    print(f"Database: {connection.vendor}; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}", flush=True)
    if args.profile:
        case = next(c for c in cases(data) if args.profile.lower() in c.name.lower())
        client = who[case.who]
        for n in range(3):
            case.run(client, n)
        profiler = cProfile.Profile()
        profiler.enable()
        for n in range(args.runs):
            case.run(client, n + 3)
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats(args.sort)
        stats.print_stats(*([args.filter] if args.filter else []), args.lines)
        if args.callers:
            stats.print_callers(args.callers)
        if args.callees:
            stats.print_callees(args.callees)
        print(f"{case.name}: {args.runs} requests\n{out.getvalue()}")
        return
    print(f"{'case':<46} {'cpu ms':>8} {'wall ms':>8} {'db cpu':>8} {'queries':>8} {'tasks':>8}")
    for case in cases(data):
        if args.only.lower() not in case.name.lower():
            continue
        cpu, wall, db, queries, tasks = measure(case, who[case.who], args.runs, args.sql)
        db_text = f"{db:>8.1f}" if db is not None else f"{'-':>8}"
        print(f"{case.name:<46} {cpu:>8.1f} {wall:>8.1f} {db_text} {queries:>8} {tasks:>8.1f}", flush=True)


if __name__ == "__main__":
    main()
