"""Comments' tests: notifications and the search index are other apps' work, so they are recorded, not run."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def notified(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The calls to notify() (the notifications app is built separately)."""
    calls: list[dict[str, Any]] = []
    record = lambda **kwargs: calls.append(kwargs)  # noqa: E731
    monkeypatch.setattr("participe.notifications.services.notify", record)  # as moderation calls it
    monkeypatch.setattr("participe.comments.services.notify", record)
    return calls


@pytest.fixture(autouse=True)
def indexed(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Any]]:
    """The calls to the search index (the search app is built separately)."""
    calls: dict[str, list[Any]] = {"index": [], "unindex": []}
    for where in ("participe.search.services", "participe.comments.services"):  # as moderation, comments call them
        monkeypatch.setattr(f"{where}.index_object", lambda obj, **_kw: calls["index"].append(obj))
        monkeypatch.setattr(f"{where}.unindex_object", lambda obj: calls["unindex"].append(obj))
    return calls
