"""SQLite → PostgreSQL → SQLite: the demo's three exports are one, byte for byte (the manifest's date aside).

Each step is ``manage.py`` in its own process, on its own database: a fresh SQLite file, this run's PostgreSQL test
database (empty: a transactional test), another fresh SQLite file. Runs in the PostgreSQL run of the suite.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from participe.interchange.tests.helpers import assert_same_archive

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

ROOT = Path(settings.BASE_DIR)


def manage(database_url: str, media: Path, *args: str) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media),
        "DJANGO_SETTINGS_MODULE": "participe.settings_test",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def postgres_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def test_sqlite_to_postgresql_and_back(tmp_path):
    first_db, second_db = tmp_path / "first.sqlite3", tmp_path / "second.sqlite3"
    manage(f"sqlite:///{first_db}", tmp_path / "media-1", "migrate", "-v0")
    shutil.copy(first_db, second_db)  # both fresh
    manage(f"sqlite:///{first_db}", tmp_path / "media-1", "load_demo")
    manage(f"sqlite:///{first_db}", tmp_path / "media-1", "export_platform", str(tmp_path / "from-sqlite"))

    manage(postgres_url(), tmp_path / "media-pg", "import_platform", str(tmp_path / "from-sqlite"))
    manage(postgres_url(), tmp_path / "media-pg", "export_platform", str(tmp_path / "from-postgresql"))
    assert_same_archive(tmp_path / "from-sqlite", tmp_path / "from-postgresql")

    manage(f"sqlite:///{second_db}", tmp_path / "media-2", "import_platform", str(tmp_path / "from-postgresql"))
    manage(f"sqlite:///{second_db}", tmp_path / "media-2", "export_platform", str(tmp_path / "back-in-sqlite"))
    assert_same_archive(tmp_path / "from-sqlite", tmp_path / "back-in-sqlite")
