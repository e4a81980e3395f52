"""``explain(user, perm, obj)``: allowed, or the reasons why not, for any permission.

A permission that people may be refused for a reason they should read (taking part, writing one's own content) is
declared as a :class:`Requirement`: an ordered list of :class:`Step`, each a django-rules predicate with the
:class:`~participe.permissions.refusals.Reason` given when it fails. :func:`add_perm` registers the conjunction of
the steps as the django-rules permission *and* the step-by-step walk as its explanation, so the rule and its
explanation cannot disagree (``explain(u, p, o).allowed == u.has_perm(p, o)``, tested over many combinations in
``permissions/tests/test_explain.py``). Permissions registered with plain ``rules.add_perm`` are explained by
their yes or a generic no. See docs/decisions/0009-the-permission-layer.md.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import rules

from participe.permissions.refusals import Reason, Verdict

Explainer = Callable[[Any, Any], Verdict]
ReasonFor = Reason | Callable[[Any, Any], Reason]

_explainers: dict[str, Explainer] = {}


@dataclass(frozen=True)
class Step:
    """One condition of a permission: ``predicate(user, obj)`` and the reason given when it is false (a
    :class:`Reason`, or ``reason(user, obj) -> Reason`` when the words depend on the case)."""

    name: str
    predicate: Any  # a rules.Predicate
    reason: ReasonFor

    def why(self, user: Any, obj: Any) -> Reason:
        return self.reason(user, obj) if callable(self.reason) else self.reason

    def unless(self, exemption: Any) -> Step:
        """The same step, passed whenever ``exemption`` holds (a questionnaire open to visitors needs no account)."""
        return Step(self.name, self.predicate | exemption, self.reason)

    def saying(self, reason: ReasonFor) -> Step:
        """The same condition in the words of a module ("Connectez-vous pour déposer une proposition.")."""
        return Step(self.name, self.predicate, reason)


class Requirement:
    """An ordered list of steps. As a rule, their conjunction; as an explanation, the first step that fails.

    Steps come in the order a person should deal with them: what nobody can change (the item cannot be seen, the
    space is archived, the phase is closed) before what the person can (sign in, get verified)."""

    def __init__(self, *parts: Step | Requirement) -> None:
        steps: list[Step] = []
        for part in parts:
            steps.extend(part.steps if isinstance(part, Requirement) else (part,))
        if not steps:
            raise ValueError("A requirement has at least one step.")
        self.steps: tuple[Step, ...] = tuple(steps)
        self.predicate: Any = functools.reduce(operator.and_, (s.predicate for s in self.steps))

    def explain(self, user: Any, obj: Any = None) -> Verdict:
        """Allowed, or the reason of the first step that fails (later steps may need what it lacks)."""
        for step in self.steps:
            if not step.predicate.test(user, obj):
                return Verdict.no(step.why(user, obj))
        return Verdict.yes()

    def replacing(self, name: str, step: Step) -> Requirement:
        """The same requirement with the step called ``name`` replaced (its words, or an exemption)."""
        if name not in self.names:
            raise KeyError(name)
        return Requirement(*(step if s.name == name else s for s in self.steps))

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.steps]

    def __add__(self, other: Step | Requirement) -> Requirement:
        return Requirement(self, other)


def add_perm(perm: str, requirement: Requirement) -> None:
    """Declare ``perm`` as ``requirement``: the django-rules permission is its conjunction, and its explanation
    walks its steps. The one way to declare a permission whose refusal people read."""
    rules.add_perm(perm, requirement.predicate)
    register(perm, requirement.explain)


def register(perm: str, explainer: Explainer) -> None:
    """Name the function that explains ``perm`` (``explainer(user, obj) -> Verdict``); :func:`add_perm` does it
    for a requirement."""
    _explainers[perm] = explainer


def explains(perm: str) -> bool:
    """Whether ``perm`` has an explanation of its own (else it is a yes or a generic no)."""
    return perm in _explainers


def _granted_otherwise(user: Any, perm: str, obj: Any) -> bool:
    """What ``user.has_perm`` grants besides django-rules: an active superuser has every permission, and a
    permission given in the database (``comments.post_as_elected``) counts when there is no object."""
    if user is None or not getattr(user, "is_active", False):
        return False
    if getattr(user, "is_superuser", False):
        return bool(user.has_perm(perm, obj))  # every permission, once the session passed the second factor
    return obj is None and getattr(user, "is_authenticated", False) and bool(user.has_perm(perm))


def explain(user: Any, perm: str, obj: Any = None) -> Verdict:
    """Allowed, or why not: the registered explanation of ``perm``, else the rule's yes or a generic no.

    The answer is the one ``user.has_perm(perm, obj)`` gives, with its reasons."""
    explainer = _explainers.get(perm)
    if explainer is None:
        return Verdict.yes() if user is not None and user.has_perm(perm, obj) else Verdict.no()
    verdict = explainer(user, obj)
    if verdict.allowed or _granted_otherwise(user, perm, obj):
        return Verdict.yes()
    return verdict
