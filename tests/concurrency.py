"""Concurrent requests in tests (PostgreSQL): each call runs in its own thread with its own database connection,
as concurrent web requests would; a barrier releases them together."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection


def race(calls: list[Callable[[], Any]], refused: tuple[type[BaseException], ...] = (ValidationError,)) -> list[str]:
    """Run ``calls`` at the same time; return what became of each: "ok", or "refused" when it raised one of
    ``refused``. Any other exception fails the test."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            call()
            outcome = "ok"
        except refused:
            outcome = "refused"
        except Exception as error:  # reported by the assertion below
            outcome = f"error: {error!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not [o for o in outcomes if o.startswith("error")], outcomes
    assert len(outcomes) == len(calls)
    return outcomes
