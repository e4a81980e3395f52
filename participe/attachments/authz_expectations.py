"""The authorization matrix (``python -m audit --only authz``) over attachments: which files fill the URLs and the
outcomes the rules (``rules.py``) give each role. Files of the budget space's proposals (the audit's fixtures):
one on karim's draft (private: its author and the space's staff), one on camille's published proposal.
See docs/benchmarks.md, "Sweeps".
"""

from __future__ import annotations

from typing import Any


def _attachment(status: str, email: str) -> dict[str, Any] | None:
    from django.contrib.contenttypes.models import ContentType

    from participe.attachments.models import Attachment
    from participe.modules.proposals.models import Proposal

    proposals = Proposal.objects.filter(status=status, author__email=email).values("pk")
    rows = Attachment.objects.filter(content_type=ContentType.objects.get_for_model(Proposal), object_id__in=proposals)
    found = rows.order_by("pk").first()
    return None if found is None else {"pk": found.pk}


PARAMS = {
    "attachments:file": lambda: _attachment("draft", "karim@example.org"),
    "attachments:thumbnail": lambda: _attachment("published", "camille@example.org"),
    "attachments:remove": lambda: _attachment("draft", "karim@example.org"),
    "attachments:move": lambda: _attachment("draft", "karim@example.org"),
}

ROLES = ("anonymous", "participant", "verified", "moderator", "agent", "admin")


def _row(*outcomes: str | set[str]) -> dict[str, set[str]]:
    return {r: {o} if isinstance(o, str) else o for r, o in zip(ROLES, outcomes, strict=True)}


EXPECTATIONS: dict[str, dict[str, set[str]]] = {
    "attachments:add": _row("login", "forbidden", "ok", "forbidden", "ok", "ok"),
    # A file of a draft proposal: the proposal is seen by its author and the space's staff and moderators only
    # (proposals.view_proposal), so its file must be too. Fails while view_attachment only looks at the moderation
    # status (a draft's is "published"): see the report of the audit in docs/benchmarks.md.
    "attachments:file": _row("login", "ok", "notfound", "notfound", "ok", "ok"),
    "attachments:thumbnail": {"*": {"ok"}},
    "attachments:remove": _row(
        {"forbidden", "notfound"}, "ok", {"forbidden", "notfound"}, {"forbidden", "notfound"}, "ok", "ok"
    ),
    "attachments:move": {"*": {"method"}},
    "api:attachment_list": {"*": {"ok"}},
    "api:attachment_upload": {"*": {"ok"}},
}
