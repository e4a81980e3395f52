"""Fixtures shared by the whole suite."""

import pytest
from hypothesis import HealthCheck, settings

# The suite runs on a shared two-core machine, in parallel workers: the speed of example generation and of each
# example says nothing about what a property test checks.
settings.register_profile("participe", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("participe")


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres_only`` run on PostgreSQL and are skipped on SQLite."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: run with DATABASE_URL=postgres://…")
    for item in items:
        if item.get_closest_marker("postgres_only"):
            item.add_marker(skip)


@pytest.fixture(autouse=True, scope="session")
def _force_login_types_the_code():
    """``force_login`` stands for signing in as a person does: staff type their authenticator's code, so their roles
    count (tests/sessions.py; ``sign_in_without_second_factor`` for a session that did not)."""
    from django.test import Client

    from tests.sessions import pass_second_factor

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        pass_second_factor(self, user)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Client, "force_login", force_login)
        yield


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    yield
    cache.clear()


@pytest.fixture
def queued():
    """Background tasks enqueued, not run (as with a worker): the list of their results (tests/tasks.py)."""
    from tests.tasks import queued_tasks

    with queued_tasks() as results:
        yield results


@pytest.fixture
def page_cache_on(settings):
    """The page cache on, as in production (a 10 s grace for visitors without a session), its stores empty before
    and after: the tokens every write renews, the parts and threads kept under them."""
    from django.core.cache import caches

    settings.PARTICIPE_PAGE_CACHE = True
    settings.PARTICIPE_PAGE_CACHE_GRACE_SECONDS = 10
    for name in ("pages", "fragments", "default"):
        caches[name].clear()
    yield
    for name in ("pages", "fragments"):
        caches[name].clear()


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """``with commits():`` runs what the writes inside leave for after their commit (the page cache's new tokens)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def redis_server(tmp_path):
    """A Redis of its own (Debian's redis-server, which ``make test`` installs) on a free port, nothing saved: its
    port. Skips the test where redis-server is missing."""
    import shutil
    import subprocess

    from tests.ports import free_port, wait_for

    if not shutil.which("redis-server"):
        pytest.skip("Debian's redis-server is not installed (make test installs it: system-test-deps)")
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for(port)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)
