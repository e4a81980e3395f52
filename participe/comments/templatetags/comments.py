"""``{% load comments %}{% comments_section obj %}``: the comments of a resource, dropped into its page."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from participe.comments import fragments
from participe.comments.models import Stance
from participe.comments.views import section_context

register = template.Library()


@register.inclusion_tag("comments/partials/_section.html", takes_context=True)
def comments_section(context: dict[str, Any], target: Any) -> dict[str, Any]:
    """Counts per stance, sort links, the first page of comments and the form (or why one may not comment)."""
    request = context["request"]
    if not request.user.has_perm("comments.view_comment", target):
        return {"hidden": True}
    return section_context(request, target)


@register.simple_tag(takes_context=True)
def comment_article(context: template.Context, comment: Any) -> str:
    """``{% comment_article comment %}``: the comment's ``<article>`` and its replies, each comment's own part from
    the fragments kept under what it shows (``participe.comments.fragments``, issue #12)."""
    return fragments.article(context, comment)


@register.simple_tag(takes_context=True)
def prefetch_comment_fragments(context: template.Context, comments: Any) -> str:
    """``{% prefetch_comment_fragments comments %}`` before a loop of ``comment_article``: their kept parts read at
    once, one round trip to the cache instead of one per comment."""
    fragments.prefetch(context, comments)
    return ""


FORM_FIELDS_TEMPLATE = "comments/partials/_form_fields.html"
_new_form_fields: dict[tuple[Any, ...], SafeString] = {}


def _fields_key(form: Any) -> tuple[Any, ...]:
    """Everything a new comment form's fields show: their definitions (labels, help, choices, limits, attributes: an
    elected official's or a service's own box included), the form's ids, the language."""
    fields = tuple(
        (
            name,
            type(field).__name__,
            type(field.widget).__name__,
            str(field.label),
            str(field.help_text),
            field.required,
            getattr(field, "max_length", None),
            repr(sorted(field.widget.attrs.items())),
            tuple((value, str(label)) for value, label in getattr(field, "choices", ())),
            repr(field.initial),
            repr(form.initial.get(name)),
        )
        for name, field in form.fields.items()
    )
    return (type(form).__qualname__, form.prefix, form.auto_id, get_language(), fields)


def _render_fields(form: Any) -> SafeString:
    return mark_safe(get_template(FORM_FIELDS_TEMPLATE).render({"form": form}))  # noqa: S308 (escaped there)


@register.simple_tag
def comment_form_fields(form: Any) -> SafeString:
    """``{% comment_form_fields form %}``: the fields of the comment form. A new form's are the same for every reader
    with the same form (language, an official's box): rendered once per process and kept in its memory — Django's
    widgets cost about 2 ms of a proposal page (issue #12) —; a form sent back with its errors is rendered each time,
    with what its author typed."""
    if form.is_bound or settings.DEBUG:
        return _render_fields(form)
    key = _fields_key(form)
    found = _new_form_fields.get(key)
    if found is None:
        found = _render_fields(form)
        if len(_new_form_fields) >= 64:  # a bound on the variants kept (languages × officials' boxes)
            _new_form_fields.clear()
        _new_form_fields[key] = found
    return found


@register.simple_tag
def comment_rights(user: Any, comment: Any) -> dict[str, bool]:
    """``{% comment_rights user comment as rights %}``: whether ``user`` may change and delete ``comment``
    (``rights.edit``, ``rights.delete``), the answers of ``comments.change_comment`` and ``comments.delete_comment``.

    Both rules start with "the viewer wrote it" (``AUTHOR``): for every other comment of a page the answer is no
    without walking the rules, one test per comment instead of two rule evaluations (issue #12). A superuser, whom
    ``has_perm`` grants everything, is still asked through the rules."""
    if comment is None or not getattr(user, "is_authenticated", False):
        return _NO_RIGHTS
    if comment.author_id != user.pk and not getattr(user, "is_superuser", False):
        return _NO_RIGHTS
    return {
        "edit": bool(user.has_perm("comments.change_comment", comment)),
        "delete": bool(user.has_perm("comments.delete_comment", comment)),
    }


_NO_RIGHTS = {"edit": False, "delete": False}


@register.filter
def stance_label(value: str) -> str:
    return str(Stance(value).label) if value in Stance.values else ""
