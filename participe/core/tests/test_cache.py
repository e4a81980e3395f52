"""The Redis cache with its client made once (participe/core/cache.py), over a Redis of its own."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from participe.core.cache import RedisCache


@pytest.fixture
def redis_cache(redis_server: int) -> Any:
    return RedisCache(f"redis://127.0.0.1:{redis_server}/0", {"KEY_PREFIX": "t"})


def test_it_answers_as_django_s_redis_cache(redis_cache: Any) -> None:
    redis_cache.set("a", {"page": "<p>é</p>"}, 30)
    redis_cache.set_many({"b": 1, "c": (2, "deux")}, 30)
    assert redis_cache.get("a") == {"page": "<p>é</p>"}
    assert redis_cache.get_many(["a", "b", "c", "missing"]) == {"a": {"page": "<p>é</p>"}, "b": 1, "c": (2, "deux")}
    assert redis_cache.add("a", "other") is False
    assert redis_cache.incr("b") == 2
    redis_cache.delete("a")
    assert redis_cache.get("a", "gone") == "gone"
    redis_cache.clear()
    assert redis_cache.get("b") is None


def test_one_client_serves_every_operation_and_every_thread(redis_cache: Any) -> None:
    client = redis_cache._cache.get_client()
    assert redis_cache._cache.get_client(write=True) is client
    redis_cache.set("n", 0, 30)
    failures: list[BaseException] = []

    def count() -> None:
        try:
            for _ in range(50):
                redis_cache.incr("n")
                redis_cache.get_many(["n", "x"])
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=count) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    assert redis_cache.get("n") == 200
    assert redis_cache._cache.get_client() is client


def test_reads_go_to_a_replica_when_there_are_some(redis_server: int) -> None:
    cache = RedisCache([f"redis://127.0.0.1:{redis_server}/0", f"redis://127.0.0.1:{redis_server}/1"], {})
    cache.set("k", "written to the first server", 30)
    assert cache._cache.get_client(write=True) is not cache._cache.get_client()  # reads: the replica's pool
    assert cache.get("k") is None  # database 1 stands for a replica that has not received it
