"""``explain(user, perm, obj)``: allowed, or the reasons why not, for any permission.

A permission is explained by the explainer registered for it (``register(perm, explainer)``), written from the same
predicates that decide it; permissions without one get a generic refusal. (Extended by the permission-layer work:
see docs/decisions/.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from participe.permissions.refusals import Verdict

Explainer = Callable[[Any, Any], Verdict]

_explainers: dict[str, Explainer] = {}


def register(perm: str, explainer: Explainer) -> None:
    """Name the function that explains ``perm`` (``explainer(user, obj) -> Verdict``)."""
    _explainers[perm] = explainer


def explain(user: Any, perm: str, obj: Any = None) -> Verdict:
    """Allowed, or why not: the registered explanation of ``perm``, else the rule's yes or a generic no."""
    explainer = _explainers.get(perm)
    if explainer is not None:
        return explainer(user, obj)
    return Verdict.yes() if user is not None and user.has_perm(perm, obj) else Verdict.no()
