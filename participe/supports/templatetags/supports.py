"""``{% load supports %}``: ``{% support_button obj %}`` and, for list pages, ``{% supported_ids items as ids %}``.

On a list page, compute the supported set once and hand it to each button, so a page of 50 items costs one query
for the supports, one for the remaining allowance and one permission check per module (not per item)::

    {% load supports %}
    {% supported_ids items as my_supports %}
    {% for item in items %}… {% support_button item supported_ids=my_supports %}{% endfor %}
"""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from participe.core import resources
from participe.permissions.explain import explain
from participe.supports import selectors
from participe.supports.rules import capability_for

register = template.Library()

_CACHE = "_supports_cache"


def _user(request: HttpRequest | None) -> Any:
    return getattr(request, "acting_for", None) or getattr(request, "user", None) or AnonymousUser()


def _back(request: HttpRequest | None) -> str:
    """The page the button is on: the current page, or the one a POST (htmx or not) came from."""
    if request is None:
        return ""
    if request.method == "POST":
        return str(request.POST.get("next", ""))
    return request.get_full_path()


def _cached(request: HttpRequest | None, key: tuple[Any, ...], compute: Any) -> Any:
    """Memoise per request what depends on the module and the user only (not on the item)."""
    if request is None:
        return compute()
    cache: dict[tuple[Any, ...], Any] = request.__dict__.setdefault(_CACHE, {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def forget(request: HttpRequest) -> None:
    """Drop what the tag memoised for this request (after a support is added or withdrawn)."""
    request.__dict__.pop(_CACHE, None)


def count_label(count: int) -> str:
    if count == 0:
        return _("Aucun soutien")
    return ngettext("%(count)s soutien", "%(count)s soutiens", count) % {"count": count}


def left_label(left: int) -> str:
    if left == 0:
        return _("Vous avez utilisé tous vos soutiens dans ce module.")
    return ngettext("Il vous reste %(left)s soutien.", "Il vous reste %(left)s soutiens.", left) % {"left": left}


def _login_url(back: str) -> str:
    return f"{reverse('account_login')}?{urlencode({'next': back})}"


def button_context(
    request: HttpRequest | None,
    target: Model,
    *,
    supported: bool | None = None,
    error: str = "",
    announce: str = "",
    oob: bool = False,
) -> dict[str, Any]:
    """What ``supports/partials/_support_button.html`` needs (also used by the views for htmx fragments)."""
    user = _user(request)
    module = resources.item(target).module
    capability = capability_for(target)
    content_type_id, object_id = selectors.target_reference(target)
    signed_in = bool(getattr(user, "is_authenticated", False))
    if supported is None:
        supported = selectors.has_supported(user, target) if signed_in else False
    key = (getattr(user, "pk", None), module.pk, str(capability))
    # What decides apart from the module (its phase, rule, allowance: the same for every item of a list) is the
    # item's own state: the answer is computed once per module and state, not per item.
    state = (
        resources.is_published(target),
        resources.accepts_participation(target),
    )
    if supported:
        verdict = _cached(request, ("withdraw", *key), lambda: explain(user, "supports.withdraw_support", target))
    else:
        verdict = _cached(request, ("add", *key, *state), lambda: explain(user, "supports.add_support", target))
    left = None
    if signed_in and capability == "support":
        left = _cached(request, ("left", *key), lambda: selectors.supports_left(user, module))
    reason = verdict.reason if signed_in else None
    count = resources.count(target, "supports_count")
    dom_id = f"soutien-{content_type_id}-{object_id}"
    action = "supports:withdraw" if supported else "supports:add"
    back = _back(request)
    # A page of 50 comments shows 50 buttons: what they share (the sign-in link back to this page, the address of
    # the action but for the item's key) is built once per request (issue #12).
    if back:
        login_url = _cached(request, ("login", back), lambda: _login_url(back))
    else:  # no page to come back to: the item's own
        login_url = _login_url(resources.item(target).get_absolute_url())
    pattern = _cached(
        request,
        ("action", action, content_type_id),
        lambda: reverse(action, kwargs={"content_type_id": content_type_id, "object_id": 0}),
    )
    head, tail = pattern.rsplit("/0/", 1)
    action_url = f"{head}/{object_id}/{tail}"
    return {
        "target": target,
        "dom_id": dom_id,
        "module_pk": module.pk,
        "signed_in": signed_in,
        "supported": supported,
        "allowed": verdict.allowed,
        "reason": reason,
        "count": count,
        "count_label": count_label(count),
        "left": left,
        "left_label": left_label(left) if left is not None else "",
        "action_url": action_url,
        "login_url": login_url,
        "next": back,
        "my_supports_url": reverse("supports:mine", kwargs={"module_id": module.pk}) if left is not None else "",
        "error": error,
        "announce": announce,
        "oob": oob,
        "entered_by_agent": getattr(request, "acting_for", None) is not None,
    }


@register.inclusion_tag("supports/partials/_support_button.html", takes_context=True)
def support_button(context: template.Context, target: Model, supported_ids: Any = None) -> dict[str, Any]:
    """A "Soutenir" / "Retirer mon soutien" button with the count; ``supported_ids`` from ``{% supported_ids %}``."""
    request = context.get("request")
    supported = None if supported_ids is None else int(target.pk) in supported_ids
    return button_context(request, target, supported=supported) | {"csrf_token": context.get("csrf_token")}


@register.simple_tag(takes_context=True)
def supported_ids(context: template.Context, targets: Any) -> set[int]:
    """The keys of those ``targets`` the visitor supports (one query for a whole list)."""
    return selectors.supported_ids(_user(context.get("request")), list(targets))


@register.simple_tag
def supports_count_label(count: int) -> str:
    """ "12 soutiens", for pages that show the count without the button."""
    return count_label(int(count or 0))
