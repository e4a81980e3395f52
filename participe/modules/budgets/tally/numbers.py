"""Exact rationals for the rules: gmpy2's ``mpq`` (GMP, about ten times faster) when installed, else ``Fraction``.

Both are exact, so an outcome never depends on which one ran; what leaves the engine is always a ``Fraction``.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

try:
    from gmpy2 import mpq as _mpq
except ImportError:  # pragma: no cover - gmpy2 is in requirements/base.in; Fraction gives the same answers, slower
    _mpq = None

Q: Any = _mpq if _mpq is not None else Fraction
FAST = _mpq is not None


def to_fraction(value: Any) -> Fraction:
    """A ``Fraction`` of an ``mpq``, a ``Fraction`` or an integer."""
    return Fraction(int(value.numerator), int(value.denominator))
