"""The authorization matrix (``python -m audit --only authz``) over the proposals module: which objects fill the URLs
and the outcomes the rules (``rules.py``) give each role. The budget space's idea box: the
agent administers the space, the moderator does not; camille wrote a published proposal, karim a draft (made by the
audit's fixtures). See docs/benchmarks.md, "Sweeps".
"""

from __future__ import annotations

from typing import Any

SPACE = "budget-participatif-2027"


def _module() -> Any:
    from participe.spaces.models import Module

    return Module.objects.select_related("space").filter(space__slug=SPACE, module_type="proposals").first()


def _proposal(email: str, status: str) -> Any:
    from participe.modules.proposals.models import Proposal

    rows = Proposal.objects.filter(module=_module(), author__email=email, status=status, answer_status="")
    return rows.order_by("pk").first()


def _public(email: str, status: str, **extra: Any) -> dict[str, Any] | None:
    module, proposal = _module(), _proposal(email, status)
    if module is None or proposal is None:
        return None
    return {"slug": module.space.slug, "module_slug": module.slug, "pk": proposal.pk, **extra}


def _page(**extra: Any) -> dict[str, Any] | None:
    module = _module()
    return None if module is None else {"slug": module.space.slug, "module_slug": module.slug, **extra}


def _pk(value: Any) -> dict[str, Any] | None:
    return None if value is None else {"pk": value.pk}


def _attachment(status: str, email: str) -> dict[str, Any] | None:
    """A file of the audit's fixtures: on karim's draft (private) or on camille's published proposal."""
    from django.contrib.contenttypes.models import ContentType

    from participe.attachments.models import Attachment
    from participe.modules.proposals.models import Proposal

    proposals = Proposal.objects.filter(status=status, author__email=email).values("pk")
    rows = Attachment.objects.filter(content_type=ContentType.objects.get_for_model(Proposal), object_id__in=proposals)
    found = rows.order_by("pk").first()
    return None if found is None else {"pk": found.pk}


PARAMS = {
    "spaces:proposals:detail": lambda: _public("camille@example.org", "published"),
    "spaces:proposals:create": _page,
    "spaces:proposals:map": _page,
    "spaces:proposals:geojson": _page,
    "spaces:proposals:similar": _page,
    "spaces:proposals:open_data": lambda: _page(fmt="csv"),
    # karim's draft (fixtures): its author may change, deposit and delete it; karim's published one he may withdraw.
    "spaces:proposals:edit": lambda: _public("karim@example.org", "draft"),
    "spaces:proposals:publish": lambda: _public("karim@example.org", "draft"),
    "spaces:proposals:delete": lambda: _public("karim@example.org", "draft"),
    "spaces:proposals:withdraw": lambda: _public("karim@example.org", "published"),
    "backoffice:proposals:detail": lambda: _pk(_proposal("camille@example.org", "published")),
    "backoffice:proposals:export": lambda: {"module_pk": _module().pk, "fmt": "csv"},
    # The shared attachments' URLs, filled with the files of this module's proposals.
    "attachments:file": lambda: _attachment("draft", "karim@example.org"),
    "attachments:thumbnail": lambda: _attachment("published", "camille@example.org"),
    "attachments:remove": lambda: _attachment("draft", "karim@example.org"),
    "attachments:move": lambda: _attachment("draft", "karim@example.org"),
}

ROLES = ("anonymous", "participant", "verified", "moderator", "agent", "admin")


def _row(*outcomes: str | set[str]) -> dict[str, set[str]]:
    return {r: {o} if isinstance(o, str) else o for r, o in zip(ROLES, outcomes, strict=True)}


# Karim's draft and its file, his published proposal: the administrator without the second factor is a resident who
# did not write them (audit/authz.py, the role "staff_nomfa").
STAFF_NOMFA = {
    "spaces:proposals:edit": {"notfound"},
    "spaces:proposals:withdraw": {"forbidden"},
    "spaces:proposals:delete": {"notfound"},
    "attachments:file": {"notfound"},
    "attachments:remove": {"notfound", "forbidden"},
}

EXPECTATIONS: dict[str, dict[str, set[str]]] = {
    "spaces:proposals:detail": {"*": {"ok"}},
    "spaces:proposals:create": _row("login", "ok", "ok", "ok", "ok", "ok"),
    "spaces:proposals:edit": _row("notfound", "ok", "notfound", "notfound", "forbidden", "forbidden"),
    "spaces:proposals:publish": {"*": {"method"}},
    "spaces:proposals:withdraw": _row("forbidden", "ok", "forbidden", "forbidden", "forbidden", "forbidden"),
    "spaces:proposals:delete": _row("notfound", "ok", "notfound", "notfound", "forbidden", "forbidden"),
    "spaces:proposals:map": {"*": {"ok"}},
    "spaces:proposals:geojson": {"*": {"ok"}},
    "spaces:proposals:similar": {"*": {"ok"}},
    "spaces:proposals:open_data": {"*": {"ok"}},  # the demo's idea box publishes its proposals
    "backoffice:proposals:index": _row("login", "forbidden", "forbidden", "ok", "ok", "ok"),
    "backoffice:proposals:list": _row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:proposals:answers": _row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:proposals:create_on_behalf": _row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:proposals:import": _row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:proposals:export": _row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:proposals:detail": _row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "api:proposal_module_detail": {"*": {"ok"}},
    "api:proposal_list": {"*": {"ok"}},
    "api:proposal_geojson": {"*": {"ok"}},
    "api:proposal_detail": {"*": {"ok"}},
    # The file of a draft is seen by whoever sees the draft (proposals.view_proposal, the resource's
    # view_permission): its author and the space's moderators and staff.
    "attachments:file": _row("login", "ok", "notfound", "notfound", "ok", "ok"),
    "attachments:thumbnail": {"*": {"ok"}},
    "attachments:remove": _row(
        {"forbidden", "notfound"}, "ok", {"forbidden", "notfound"}, {"forbidden", "notfound"}, "ok", "ok"
    ),
    "attachments:move": {"*": {"method"}},
}
