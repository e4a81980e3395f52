"""Background tasks in tests: enqueued and not run, as with a worker, then run when the test says so.

The suite's backend runs a task as soon as it is enqueued (``ImmediateBackend``); the ``queued`` fixture (conftest)
swaps in django-tasks' ``DummyBackend``, which only keeps what was enqueued, and ``run_queued`` runs it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.test import override_settings
from django_tasks import default_task_backend

QUEUED = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@contextmanager
def queued_tasks() -> Iterator[list[Any]]:
    """Tasks enqueued in the block are kept, not run: the list of their results."""
    with override_settings(TASKS=QUEUED):
        default_task_backend.clear()  # type: ignore[attr-defined]
        yield default_task_backend.results  # type: ignore[attr-defined]


def run_queued(results: list[Any]) -> list[Any]:
    """Run the tasks kept so far, in their order, as a worker would; forget them; return what each returned."""
    outcomes = [result.task.call(*result.args, **result.kwargs) for result in results]
    results.clear()
    return outcomes
