"""The counter: what a page view costs the request (an append to a buffer in memory), and the background flush that
turns the buffered views into counts per day (docs/statistics.md, decision 0036).

The request never waits for a cache or a database: :class:`AudienceMiddleware` appends a :class:`Hit` to
:data:`recorder`'s buffer (a bounded ``deque``: when the flush is stuck, the oldest views are dropped, never the
page). A thread of each process (started with its first hit) flushes every ``PARTICIPE_AUDIENCE_FLUSH_SECONDS``
seconds, or sooner when ``PARTICIPE_AUDIENCE_FLUSH_SIZE`` views wait:

1. each view's visitor is a hash of its address and browser keyed with the secret of its day (a random value kept in
   the cache ``audience`` — memory, or Redis —, never in the database), so that a second view of the same thing the
   same day is not a second visit; the address and the browser are forgotten there;
2. the views are added up per day and thing measured (site, page, space, module, referring domain, device class);
3. the sums are added to the table in one transaction (``services.counts_add``), with a time limit. When the database
   fails, the sums are kept and added at the next flush; a page is never touched by any of it.

With ``PARTICIPE_AUDIENCE_FLUSH_SECONDS = 0`` (the tests) no thread starts: ``recorder.flush()`` flushes.
"""

from __future__ import annotations

import atexit
import datetime
import hashlib
import logging
import os
import secrets
import threading
from collections import deque
from typing import NamedTuple

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.utils import timezone

from participe.audience import classify
from participe.audience.models import Dimension

logger = logging.getLogger(__name__)

CACHE = "audience"


class Hit(NamedTuple):
    """One page view as the request leaves it: forgotten once flushed (only sums are kept)."""

    at: float  # seconds since the epoch
    address: str
    user_agent: str
    referer: str
    host: str
    path: str
    space: str  # the space's slug, or ""
    module: str  # the module's slug in that space, or ""


class Key(NamedTuple):
    """What a count is about, as the flush knows it (slugs: the service finds the spaces and modules)."""

    day: datetime.date
    dimension: str
    key: str  # a path, a domain, a device class; a space's slug; "space-slug/module-slug" for a module
    space: str = ""
    module: str = ""


class Tally:
    __slots__ = ("views", "visits")

    def __init__(self) -> None:
        self.views = 0
        self.visits = 0


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


class Recorder:
    """The buffer of one process and its flush."""

    def __init__(self) -> None:
        self.hits: deque[Hit] = deque(maxlen=_setting("PARTICIPE_AUDIENCE_BUFFER", 100_000))
        self.pending: dict[Key, Tally] = {}  # sums not yet in the database (kept when it fails)
        self._flush_lock = threading.Lock()
        self._start_lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._thread_pid: int | None = None
        self._local_salts: dict[datetime.date, bytes] = {}  # when the cache fails
        self._local_seen: set[bytes] = set()
        self._local_day: datetime.date | None = None
        self.failures = 0

    # The request's side: an append, and a thread started once per process.
    def add(self, hit: Hit) -> None:
        self.hits.append(hit)
        if self._thread_pid != os.getpid():
            self._start()
        if len(self.hits) >= _setting("PARTICIPE_AUDIENCE_FLUSH_SIZE", 1000):
            self._wake.set()

    def _start(self) -> None:
        interval = _setting("PARTICIPE_AUDIENCE_FLUSH_SECONDS", 10)
        with self._start_lock:
            if self._thread_pid == os.getpid():
                return
            self._thread_pid = os.getpid()  # a forked worker starts its own thread
            if interval <= 0:
                return
            self._thread = threading.Thread(target=self._run, args=(interval,), name="audience-flush", daemon=True)
            self._thread.start()
            atexit.register(self._flush_quietly)

    def _run(self, interval: int) -> None:
        while not self._stop.is_set():
            self._wake.wait(interval)
            self._wake.clear()
            if not self._stop.is_set():
                self._flush_quietly()

    def stop(self) -> None:
        """Stop the flush's thread (the tests; a process's exit needs nothing: the thread is a daemon)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _flush_quietly(self) -> None:
        try:
            self.flush()
        except Exception as exc:  # the counts wait for the next flush; nothing identifying is logged
            self.failures += 1
            logger.warning("Audience counts kept for the next flush: %s", type(exc).__name__)
        finally:
            if threading.current_thread() is self._thread:
                connections.close_all()  # the flush thread's own connections, between two flushes

    # The flush's side.
    def flush(self) -> int:
        """Add the buffered views to the table; the number of counts written. Raises when the database fails (the
        sums stay in ``pending`` for the next flush)."""
        from participe.audience import services

        with self._flush_lock:
            drained: list[Hit] = []
            while True:
                try:
                    drained.append(self.hits.popleft())
                except IndexError:
                    break
            if drained:
                self._sum(drained)
            if not self.pending:
                return 0
            written = services.counts_add(self.pending, timeout=_setting("PARTICIPE_AUDIENCE_FLUSH_TIMEOUT", 5))
            self.pending = {}
            return written

    def _sum(self, hits: list[Hit]) -> None:
        zone = timezone.get_current_timezone()
        salts: dict[datetime.date, bytes] = {}  # read from the cache once per day and flush
        for hit in hits:
            if classify.is_bot(hit.user_agent):
                continue
            day = datetime.datetime.fromtimestamp(hit.at, tz=zone).date()
            if day not in salts:
                salts[day] = self._salt(day)
            visitor = _visitor(salts[day], hit.address, hit.user_agent)
            for key in self._keys(day, hit):
                tally = self.pending.get(key)
                if tally is None:
                    tally = self.pending[key] = Tally()
                tally.views += 1
                if self._first_visit(day, visitor, key):
                    tally.visits += 1

    @staticmethod
    def _keys(day: datetime.date, hit: Hit) -> list[Key]:
        keys = [
            Key(day, Dimension.SITE, ""),
            Key(day, Dimension.PAGE, hit.path[:255], hit.space, hit.module),
            Key(day, Dimension.DEVICE, classify.device_class(hit.user_agent)),
        ]
        if hit.space:
            keys.append(Key(day, Dimension.SPACE, hit.space, hit.space))
            if hit.module:
                keys.append(Key(day, Dimension.MODULE, f"{hit.space}/{hit.module}", hit.space, hit.module))
        domain = classify.referrer_domain(hit.referer, hit.host)
        if domain:
            keys.append(Key(day, Dimension.REFERRER, domain))
        return keys

    def _salt(self, day: datetime.date) -> bytes:
        """The secret of ``day``, shared by the processes through the cache (one value per day: whoever sets it
        first), and forgotten by the cache two days later."""
        name = f"audience:salt:{day.isoformat()}"
        try:
            cache = caches[CACHE]
            cache.add(name, secrets.token_hex(32), timeout=2 * 86_400)
            value = cache.get(name)
            if value:
                return bytes.fromhex(value)
        except Exception as exc:  # the cache is down: this process's own secret (its visits count apart)
            logger.warning("Audience cache unavailable: %s", type(exc).__name__)
        if day not in self._local_salts:
            self._local_salts = {d: s for d, s in self._local_salts.items() if d >= day - datetime.timedelta(days=1)}
            self._local_salts[day] = secrets.token_bytes(32)
        return self._local_salts[day]

    def _first_visit(self, day: datetime.date, visitor: bytes, key: Key) -> bool:
        """Whether ``visitor`` is seen for the first time on ``key``'s thing that day (the cache remembers it until
        the day is over; a hash of a hash: the cache never holds the visitor's own hash next to what they read)."""
        mark = hashlib.blake2b(b"\0".join((visitor, key.dimension.encode(), key.key.encode())), digest_size=16).digest()
        try:
            return bool(caches[CACHE].add(f"audience:seen:{mark.hex()}", 1, timeout=_seconds_left(day)))
        except Exception:  # the cache is down: remembered in this process until the day changes
            if self._local_day != day:
                self._local_day, self._local_seen = day, set()
            if mark in self._local_seen:
                return False
            self._local_seen.add(mark)
            return True


def _visitor(salt: bytes, address: str, user_agent: str) -> bytes:
    """The visitor of a day: their address and browser, hashed with the day's secret (``key``: at most 64 bytes)."""
    return hashlib.blake2b(f"{address}\n{user_agent}".encode(), key=salt[:64], digest_size=16).digest()


def _seconds_left(day: datetime.date) -> int:
    """Seconds until the end of ``day`` (local time), at least one minute: the visits of a day are told apart that
    day only."""
    zone = timezone.get_current_timezone()
    end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    return max(60, int((end - timezone.now()).total_seconds()))


recorder = Recorder()
