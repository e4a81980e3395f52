"""Django's Redis cache, with its client made once per connection pool instead of once per operation (issue #12).

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every ``get``, ``get_many`` or ``set``; the
connection pool underneath is kept, but each ``redis.Redis`` copies its table of about 160 response callbacks into a
case-insensitive dictionary when it is made. A page served from the page cache asks Redis twice, a signed-in proposal
page about fifteen times: that copying was an eighth of a kept page's CPU (``bench/cpu_per_request.py``,
docs/benchmarks.md « The Redis client made once »). A ``redis.Redis`` over a pool is safe to share between threads
(each command takes a connection from the pool and gives it back), and Django keeps one cache object per thread
anyway; so the client is made once for each of the cache's pools and used again.

Settings: ``"BACKEND": "participe.core.cache.RedisCache"`` where Django's ``RedisCache`` would be named; the
``LOCATION`` and ``OPTIONS`` are Django's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient

BACKEND = "participe.core.cache.RedisCache"


class RedisCacheClient(DjangoRedisCacheClient):
    _client: Any  # Django's (its stubs do not declare it)
    _get_connection_pool: Callable[[bool], Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}  # by the pool's id: Django keeps its pools for the cache's lifetime

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)  # Django's choice of server (a replica at random for a read)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
