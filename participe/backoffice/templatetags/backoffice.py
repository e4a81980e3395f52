"""Template helpers of the back-office: navigation state and display of audit values."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from participe.core.registry import registry
from participe.spaces.models import Module

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_link(
    context: dict[str, Any], url_name: str, label: str, *args: Any, exact: bool = False, also: str = ""
) -> SafeString:
    """A navigation link marked ``aria-current="page"`` on its own page, ``"true"`` inside its section.

    ``also`` lists other path prefixes (comma-separated) that belong to the section.
    """
    url = reverse(url_name, args=args)
    return _nav_anchor(context["request"].path, url, label, [] if exact else [url, *(p for p in also.split(",") if p)])


def _nav_anchor(path: str, url: str, label: str, prefixes: list[str]) -> SafeString:
    """The link, ``aria-current="page"`` on its page, ``"true"`` under one of ``prefixes`` (its section)."""
    if path == url:
        return format_html('<a href="{}" aria-current="page">{}</a>', url, label)
    if any(path.startswith(prefix) for prefix in prefixes):
        return format_html('<a href="{}" aria-current="true">{}</a>', url, label)
    return format_html('<a href="{}">{}</a>', url, label)


@register.simple_tag
def module_entries() -> list[tuple[str, str]]:
    """(label, url) of the modules' own back-office homes (``ModuleManifest.backoffice_entry``); an
    organisation-wide module's only once it is turned on (« Modules permanents »)."""
    entries = [m for m in registry.all() if m.backoffice_entry and m.backoffice_urls]
    wide = [m.key for m in entries if m.is_organisation_wide]
    enabled = set(Module.objects.filter(module_type__in=wide).values_list("module_type", flat=True)) if wide else set()
    return [
        (str(m.backoffice_entry), reverse(f"backoffice:{m.key}:index"))
        for m in entries
        if not m.is_organisation_wide or m.key in enabled
    ]


@register.simple_tag(takes_context=True)
def nav_url_link(context: dict[str, Any], url: str, label: str) -> SafeString:
    """``nav_link`` for an address already resolved (its section: the addresses under it)."""
    return _nav_anchor(context["request"].path, url, label, [url])


@register.filter
def audit_value(value: Any) -> str:
    """A before/after value of the audit log as readable text."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


@register.filter
def indent(depth: int) -> str:
    return "— " * int(depth)
