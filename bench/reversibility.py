"""Benchmark: the whole platform out and back in (export_platform / import_platform) at two sizes, ×10 apart.

Usage (from the project root):

    nice -n 10 .venv/bin/python bench/reversibility.py
    nice -n 10 .venv/bin/python bench/reversibility.py --sizes 2000/10/20000 20000/100/200000
    nice -n 10 .venv/bin/python bench/reversibility.py --sizes 500000/2000/2000000      # the 2 M run, idle machine

Each size is ``accounts/spaces/contributions`` (``seed_volume``'s options). For each size, on SQLite files in a
temporary folder (a migrated template copied, so every database starts fresh): ``seed_volume``, then in a process of
its own each time: ``export_platform``, ``import_platform --no-reindex`` into a fresh database (the search index is
search's own cost, see docs/benchmarks.md « Shared services »), ``export_platform`` again; the two archives must be
identical (the manifest's date aside). Each step prints its wall time and its peak resident memory (``ru_maxrss`` of
the process that ran it): memory stays flat while the size grows ×10, since rows are streamed by chunks and written
line by line. ``--database-url`` runs the source and the target on PostgreSQL instead (databases it may drop and
create: ``…/reversibility_bench``; the targets get ``_target`` and ``_again`` suffixes).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import secrets
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "PARTICIPE_HARNESS": "1",
    "PARTICIPE_DEMO": "1",
    "DJANGO_DEBUG": "0",  # DEBUG would keep every query in memory: the peak RSS would measure that
    "SECRET_KEY": secrets.token_urlsafe(64),  # one for the whole run: the census hashes stay readable
    "SITE_URL": "http://127.0.0.1:8000",
    "ALLOWED_HOSTS": "127.0.0.1",
}


def manage(url: str, media: Path, *args: str) -> str:
    env = {**ENV, "DATABASE_URL": url, "MEDIA_ROOT": str(media)}
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def measured(url: str, media: Path, *args: str) -> dict[str, float]:
    """Run one command in a process of its own; its wall time and its peak RSS."""
    env = {**ENV, "DATABASE_URL": url, "MEDIA_ROOT": str(media)}
    code = (
        "import json, resource, sys, time, django; django.setup();"
        "from django.core.management import call_command; t = time.monotonic();"
        f"call_command(*{list(args)!r}, verbosity=0);"
        "print(json.dumps({'seconds': time.monotonic() - t,"
        " 'rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode:
        sys.exit(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def same_archive(first: Path, second: Path) -> bool:
    def files(directory: Path) -> dict[str, bytes]:
        found = {str(p.relative_to(directory)): p.read_bytes() for p in directory.rglob("*") if p.is_file()}
        manifest = json.loads(found.pop("manifest.json"))
        manifest.pop("exported_at")
        found["manifest.json"] = json.dumps(manifest).encode()
        return found

    return files(first) == files(second)


def size_of(directory: Path) -> float:
    return sum(p.stat().st_size for p in directory.rglob("*") if p.is_file()) / 1e6


class Databases:
    """Fresh databases: copies of a migrated SQLite template, or PostgreSQL databases dropped and migrated."""

    def __init__(self, work: Path, postgres: str | None) -> None:
        self.work, self.postgres = work, postgres
        if not postgres:
            self.template = work / "template.sqlite3"
            manage(f"sqlite:///{self.template}", work / "media-template", "migrate", "-v0")
            manage(f"sqlite:///{self.template}", work / "media-template", "createcachetable")

    def fresh(self, name: str) -> str:
        if self.postgres:
            import psycopg

            base, _, dbname = self.postgres.rpartition("/")
            target = f"{dbname}_{name}".replace("-", "_")
            with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{target}"')
                conn.execute(f'CREATE DATABASE "{target}"')
            url = f"{base}/{target}"
            manage(url, self.work / "media-template", "migrate", "-v0")
            manage(url, self.work / "media-template", "createcachetable")
            return url
        path = self.work / f"{name}.sqlite3"
        shutil.copy(self.template, path)
        return f"sqlite:///{path}"


def run_size(dbs: Databases, work: Path, label: str, accounts: int, spaces: int, contributions: int) -> dict:
    source = dbs.fresh(f"source-{label}")
    media = work / f"media-{label}"
    started = time.monotonic()
    seed = ["seed_volume", "--accounts", str(accounts), "--spaces", str(spaces)]
    manage(source, media, *seed, "--contributions", str(contributions), "--no-progress")
    seeded = time.monotonic() - started
    first, second = work / f"archive-{label}", work / f"again-{label}"
    export = measured(source, media, "export_platform", str(first))
    manifest = json.loads((first / "manifest.json").read_text())
    rows = sum(item["count"] for item in manifest["entities"])
    target = dbs.fresh(f"target-{label}")
    target_media = work / f"media-target-{label}"
    load = measured(target, target_media, "import_platform", str(first), "--no-reindex")
    measured(target, target_media, "export_platform", str(second))
    return {
        "size": f"{accounts}/{spaces}/{contributions}",
        "rows": rows,
        "archive_mb": size_of(first),
        "seed_s": seeded,
        "export": export,
        "import": load,
        "identical": same_archive(first, second),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["2000/10/20000", "20000/100/200000"])
    parser.add_argument("--database-url", default="", help="PostgreSQL base URL (databases dropped and created)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    print("command:", shlex.join([Path(sys.executable).name, *sys.argv]))
    work = Path(tempfile.mkdtemp(prefix="reversibility-"))
    dbs = Databases(work, args.database_url or None)
    print(
        f"{'size (accounts/spaces/contributions)':>38} {'rows':>9} {'MB':>7} {'seed s':>7} "
        f"{'export s':>9} {'RSS MB':>7} {'import s':>9} {'RSS MB':>7} identical"
    )
    try:
        for number, size in enumerate(args.sizes):
            accounts, spaces, contributions = (int(x) for x in size.split("/"))
            r = run_size(dbs, work, str(number), accounts, spaces, contributions)
            print(
                f"{r['size']:>38} {r['rows']:>9} {r['archive_mb']:>7.1f} {r['seed_s']:>7.1f} "
                f"{r['export']['seconds']:>9.1f} {r['export']['rss_mb']:>7.0f} "
                f"{r['import']['seconds']:>9.1f} {r['import']['rss_mb']:>7.0f} {r['identical']}",
                flush=True,
            )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"peak RSS of this driver: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
