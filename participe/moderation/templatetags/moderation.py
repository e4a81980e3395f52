"""Moderation in any page: ``{% load moderation %}{% report_link obj %}`` and ``{% moderation_mark obj %}``.

Also ``{% moderation_nav_link %}`` (the back-office menu entry with the count of contents waiting for a decision)
and ``{% account_block_notice %}`` (tells a blocked participant why they can no longer take part).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.contenttypes.models import ContentType
from django.template.loader import render_to_string
from django.urls import reverse

from participe.core.models import ModerationStatus
from participe.core.registry import registry
from participe.moderation import selectors
from participe.moderation.selectors import author_id_of

register = template.Library()


def _report_url(request: Any, content_type_id: int, object_id: int) -> str:
    """The report form's address; on a page of 50 comments the URL is reversed once per type, not per comment."""
    patterns: dict[int, str] | None = getattr(request, "_report_urls", None) if request is not None else None
    if patterns is None:
        patterns = {}
        if request is not None:
            request._report_urls = patterns
    if content_type_id not in patterns:
        patterns[content_type_id] = reverse("moderation:report", args=[content_type_id, 0])
    head, tail = patterns[content_type_id].rsplit("/0/", 1)
    return f"{head}/{object_id}/{tail}"


@register.inclusion_tag("moderation/partials/_report_link.html", takes_context=True)
def report_link(context: dict[str, Any], obj: Any) -> dict[str, Any]:
    """A "Signaler" link to the report form of ``obj`` (opened inline with htmx), for a reportable published content.

    Not shown to the content's author.
    """
    resource = registry.resource(obj._meta.label) if obj is not None else None
    show = bool(resource and resource.reportable and obj.pk)
    show = show and getattr(obj, "moderation_status", ModerationStatus.PUBLISHED) == ModerationStatus.PUBLISHED
    user = context.get("user") or getattr(context.get("request"), "user", None)
    if show and user is not None and user.is_authenticated:
        author_id = author_id_of(obj)  # not the account: a page asks for its item's and each comment's (issue #12)
        show = author_id is None or author_id != user.pk
    if not show:
        return {"show": False}
    content_type = ContentType.objects.get_for_model(obj)
    return {
        "show": True,
        "url": _report_url(context.get("request"), content_type.pk, obj.pk),
        "dom_id": f"signaler-{content_type.pk}-{obj.pk}",
        "title": str(obj),
    }


@register.inclusion_tag("moderation/partials/_mark.html", takes_context=True)
def moderation_mark(context: dict[str, Any], obj: Any) -> dict[str, Any]:
    """The moderation status of ``obj`` for those who may see a hidden or pending content, and the note of a
    moderator's correction for everyone. Costs no query for a content moderation never touched."""
    status = getattr(obj, "moderation_status", ModerationStatus.PUBLISHED)
    if status == ModerationStatus.PUBLISHED and getattr(obj, "moderated_at", None) is None:
        return {}
    user = context.get("user") or getattr(context.get("request"), "user", None)
    show_status = status != ModerationStatus.PUBLISHED and bool(
        user and user.has_perm("moderation.view_moderated", obj)
    )
    case = selectors.case_for(obj)
    return {"status": status if show_status else "", "note": case.edit_note if case else ""}


@register.simple_tag(takes_context=True)
def moderation_nav_link(context: dict[str, Any]) -> str:
    """The back-office menu entry of the queue, with the number of contents waiting for a decision."""
    request = context["request"]
    url = reverse("moderation_backoffice:queue")
    count = selectors.open_cases_count(request.user)
    current = ""
    if request.path == url:
        current = "page"
    elif request.path.startswith(url):
        current = "true"
    return render_to_string("moderation/partials/_nav_link.html", {"url": url, "count": count, "current": current})


@register.inclusion_tag("moderation/partials/_block_notice.html", takes_context=True)
def account_block_notice(context: dict[str, Any]) -> dict[str, Any]:
    """A notice for a blocked participant, linking to the page that says why."""
    user = context.get("user") or getattr(context.get("request"), "user", None)
    return {"blocked": bool(user and user.is_authenticated and getattr(user, "blocked_at", None))}
