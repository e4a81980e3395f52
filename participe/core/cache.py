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
    # What Django's client sets up (its stubs do not declare them).
    _servers: list[str]
    _pools: dict[int, Any]
    _pool_class: Any
    _pool_options: dict[str, Any]
    _client: Any
    _get_connection_pool_index: Callable[[bool], int]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._pool_for(index))
        return client

    def _pool_for(self, index: int) -> Any:
        """The pool of the server at ``index`` (as Django's ``_get_connection_pool``, once the index is drawn: with
        replicas, Django picks one at random for each read)."""
        if index not in self._pools:
            self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
        return self._pools[index]


class RedisCache(DjangoRedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
