"""Asserting that something wrote nothing: no INSERT, UPDATE or DELETE reached the database.

``no_writes()`` captures the statements of its block; ``assert_refused(call, code)`` checks that a service refuses its
actor with the permission layer's ``Refused`` (carrying ``code``) before writing anything.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from participe.permissions.refusals import Refused

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def writes(queries: list[dict[str, Any]], *, ignore: tuple[str, ...] = ()) -> list[str]:
    """The statements among ``queries`` that write, except those on the tables named in ``ignore``."""
    return [
        q["sql"] for q in queries if WRITE.match(q["sql"]) and not any(f'"{table}"' in q["sql"] for table in ignore)
    ]


@contextmanager
def no_writes(*, ignore: tuple[str, ...] = ()) -> Iterator[CaptureQueriesContext]:
    """Fail if the block sends an INSERT, UPDATE or DELETE (except on the tables named in ``ignore``)."""
    with CaptureQueriesContext(connection) as captured:
        yield captured
    written = writes(captured.captured_queries, ignore=ignore)
    assert not written, "wrote:\n" + "\n".join(written)


def assert_refused(call: Callable[[], Any], code: str = "not_allowed") -> Refused:
    """``call()`` raises ``Refused`` with a reason of code ``code``, and nothing was written."""
    with no_writes(), pytest.raises(Refused) as refused:
        call()
    assert code in refused.value.codes, refused.value.codes
    return refused.value
