"""The authorization matrix (``python -m audit --only authz``) over moderation: which case fills the URLs and the
outcomes the rules (``participe/moderation/rules.py``) give each role. The case is karim's report on a proposal of
the budget space (the audit's fixtures): the agent administers that space, the moderator moderates another one.
See docs/benchmarks.md, "Sweeps".
"""

from __future__ import annotations

from typing import Any

from audit.expectations import row


def _case(**extra: Any) -> dict[str, Any] | None:
    from participe.moderation.models import ModerationCase

    found = ModerationCase.objects.filter(space__slug="budget-participatif-2027").order_by("pk").first()
    return None if found is None else {"pk": found.pk, **extra}


PARAMS = {
    "moderation_backoffice:case": _case,
    "moderation_backoffice:case_edit": _case,
    "moderation_backoffice:case_action": lambda: _case(action="masquer"),
}


EXPECTATIONS: dict[str, dict[str, set[str]]] = {
    "moderation_backoffice:queue": row("login", "forbidden", "forbidden", "ok", "ok", "ok"),
    "moderation_backoffice:case": row("login", "forbidden", "forbidden", "notfound", "ok", "ok"),
    "moderation_backoffice:case_edit": row("login", "forbidden", "forbidden", "notfound", "ok", "ok"),
    "moderation_backoffice:case_action": row("login", "forbidden", "forbidden", "method", "method", "method"),
    "moderation_backoffice:user_block": row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "moderation:report": row("login", "ok", "ok", "ok", "ok", "ok"),
    "moderation:report_done": row("login", "ok", "ok", "ok", "ok", "ok"),
    "moderation:account_blocked": row("login", "ok", "ok", "ok", "ok", "ok"),
    "api:reasons_list": {"*": {"ok"}},
    "api:report_create_api": {"*": {"method"}},
    "api:queue_list": row("401", "forbidden", "forbidden", "ok", "ok", "ok"),
}
