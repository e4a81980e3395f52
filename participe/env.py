"""Strict parsing of settings read from the environment.

A bad value stops start-up with a message naming the variable, rather than being
silently replaced by a default.
"""

from __future__ import annotations

import builtins
import ipaddress
import os
from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class Env:
    """Typed accessors over an environment mapping."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self.environ = os.environ if environ is None else environ

    def str(self, name: str, default: str | None = None) -> str:
        value = self.environ.get(name)
        if value is None:
            if default is None:
                raise ImproperlyConfigured(f"The environment variable {name} is required.")
            return default
        return value

    def bool(self, name: builtins.str, default: builtins.bool) -> builtins.bool:
        value = self.environ.get(name)
        if value is None:
            return default
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ImproperlyConfigured(f"{name}={value!r} is not a boolean: use one of 1/0, true/false, yes/no, on/off.")

    def int(self, name: builtins.str, default: builtins.int) -> builtins.int:
        value = self.environ.get(name)
        if value is None:
            return default
        try:
            return builtins.int(value)
        except ValueError:
            raise ImproperlyConfigured(f"{name}={value!r} is not an integer.") from None

    def list(
        self, name: builtins.str, default: builtins.list[builtins.str] | None = None
    ) -> builtins.list[builtins.str]:
        value = self.environ.get(name)
        if value is None:
            return builtins.list(default or [])
        return [item.strip() for item in value.split(",") if item.strip()]

    def networks(self, name: builtins.str) -> builtins.list[builtins.str]:
        """Comma-separated addresses or networks (``10.0.0.1``, ``192.168.0.0/16``, ``::1``), each checked; ``unix``
        stands for the peers of a Unix socket."""
        found = []
        for item in self.list(name):
            if item == "unix":
                found.append(item)
                continue
            try:
                found.append(builtins.str(ipaddress.ip_network(item, strict=False)))
            except ValueError:
                raise ImproperlyConfigured(
                    f"{name}: {item!r} is not an IP address or network (e.g. 10.0.0.1, 192.168.0.0/16, ::1, unix)."
                ) from None
        return found

    def rates(self, name: builtins.str, default: builtins.str) -> builtins.str:
        """Comma-separated rates ``count/period`` (``30/m,600/h``; period ``s``, ``m``, ``h``, ``d``, optionally with
        a number: ``5/10m``), each checked (``parse_rates``); ``off`` for no limit."""
        value = self.environ.get(name, default)
        try:
            parse_rates(value)
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name}={value!r}: {exc}") from None
        return value

    def choice(self, name: builtins.str, choices: tuple[builtins.str, ...], default: builtins.str) -> builtins.str:
        value = self.environ.get(name, default)
        if value not in choices:
            raise ImproperlyConfigured(f"{name}={value!r} must be one of: {', '.join(choices)}.")
        return value


_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rates(text: str) -> tuple[tuple[int, int], ...]:
    """``"30/m,600/h"`` as ``((30, 60), (600, 3600))``: (count, seconds) pairs; ``"off"`` or ``""`` as ``()``.
    Raises ``ValueError`` saying what is wrong."""
    if text.strip().lower() in {"", "off"}:
        return ()
    found = []
    for item in text.split(","):
        count, _slash, period = item.strip().partition("/")
        unit = period[-1:].lower()
        number = period[:-1] or "1"
        if not (count.isdigit() and number.isdigit() and unit in _PERIODS and int(count) > 0 and int(number) > 0):
            raise ValueError(f"{item.strip()!r} is not a rate: write count/period, e.g. 30/m, 600/h, 5/10m, 1000/d.")
        found.append((int(count), int(number) * _PERIODS[unit]))
    return tuple(found)
