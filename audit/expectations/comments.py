"""The authorization matrix (``python -m audit --only authz``) over comments: which comment fills the URLs and the
outcomes the rules (``participe/comments/rules.py``) give each role. See docs/benchmarks.md, "Sweeps".
"""

from __future__ import annotations

from typing import Any

from audit.expectations import row


def _karims_comment() -> dict[str, Any] | None:
    """A comment karim (the participant) wrote on a proposal of the budget space: his to change and delete."""
    from participe.comments.models import Comment

    rows = Comment.objects.filter(
        module__space__slug="budget-participatif-2027", author__email="karim@example.org", deleted_at__isnull=True
    )
    found = rows.order_by("pk").first()
    return None if found is None else {"pk": found.pk}


PARAMS = {
    "comments:reply": _karims_comment,
    "comments:replies": _karims_comment,
    "comments:edit": _karims_comment,
    "comments:delete": _karims_comment,
    "api:comment_replies": lambda: {"comment_id": c["pk"]} if (c := _karims_comment()) else None,
}


# Karim's comment: the administrator without the second factor is a resident who did not write it.
STAFF_NOMFA = {"comments:edit": {"forbidden"}, "comments:delete": {"forbidden"}}

EXPECTATIONS: dict[str, dict[str, set[str]]] = {
    "comments:thread": {"*": {"ok"}},
    "comments:create": {"*": {"method"}},
    "comments:reply": {"*": {"ok"}},
    "comments:replies": {"*": {"ok"}},
    "comments:edit": row("forbidden", "ok", "forbidden", "forbidden", "forbidden", "forbidden"),
    "comments:delete": row("forbidden", "ok", "forbidden", "forbidden", "forbidden", "forbidden"),
    "api:comment_list": {"*": {"ok"}},
    "api:comment_create": {"*": {"ok"}},
    "api:comment_replies": {"*": {"ok"}},
}
