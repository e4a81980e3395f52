"""What the apps above spaces plug into them (registered in their ``AppConfig.ready()``, decision 0012).

Spaces are the top of the foundation: the participation services (search, comments…) build on them and they
import none of those. An app that keeps a copy of what a space, a module or a news post says (search's index)
registers a *change listener*, which the services of spaces call after each change, inside their transaction.
(Deletions go through ``core.registry.delete_shared``, the cleanup every shared app registers.)
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model

Listener = Callable[[Model], None]

_listeners: dict[str, Listener] = {}


def register_change_listener(key: str, listener: Listener) -> None:
    """``listener(obj)`` runs after a space, a module or a news post (``obj``) was created or changed."""
    _listeners[key] = listener


def changed(obj: Model) -> None:
    """Tell the listeners that ``obj`` was created or changed (the services of spaces call it after saving)."""
    for listener in _listeners.values():
        listener(obj)
