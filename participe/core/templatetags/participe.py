"""Template helpers available in every template (registered as builtins)."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext

from participe.core import dates, idempotency, pictures
from participe.core.icons import icon_svg
from participe.core.sanitize import sanitize_html

register = template.Library()


@register.filter
def rich(value: str | None) -> SafeString:
    """Render stored rich text; it is sanitised again on the way out, as a second line of defence."""
    return mark_safe(sanitize_html(value))  # noqa: S308 - sanitised just above


@register.simple_tag
def icon(name: str, css_class: str = "icon") -> SafeString:
    """``{% icon module.manifest.icon %}``: a module type's icon, inline and decorative (``participe.core.icons``)."""
    return icon_svg(name or "", css_class)


@register.inclusion_tag("core/partials/_picture.html")
def picture(
    instance: Any, field: str, use: str = "card", sizes: str = "100vw", eager: bool = False, css_class: str = "picture"
) -> dict[str, Any]:
    """``{% picture space "hero_image" "card" sizes="…" %}``: the picture ``field`` of ``instance`` with every size
    it has as a ``srcset`` (``participe.core.pictures``), its dimensions, its alternative text (``<field>_alt``),
    lazily loaded unless ``eager`` (a picture above the fold: then fetched first)."""
    return pictures.picture_context(instance, field, use=use, sizes=sizes, eager=eager, css_class=css_class)


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **kwargs: Any) -> str:
    """The current query string with some parameters replaced (for filters and pagination links)."""
    request = context["request"]
    params = request.GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


# Widgets where a person types free text; a text input shows its limit from this length (shorter ones are codes,
# postcodes, confirmation words: their label says what to type).
_TEXT_WIDGETS = {"textarea": 0, "richtextarea": 0, "text": 100}


def length_hint(bound_field: Any) -> str:
    """« 2 000 caractères au plus » for a field where a person types free text with a limit (the form's
    ``max_length``, which the browser also keeps to with ``maxlength``), else ""."""
    limit = getattr(bound_field.field, "max_length", None)
    shortest = _TEXT_WIDGETS.get(bound_field.widget_type)
    if not limit or shortest is None or limit < shortest:
        return ""
    return ngettext("%(n)s caractère au plus.", "%(n)s caractères au plus.", limit) % {
        "n": number_format(limit, force_grouping=True)
    }


@register.inclusion_tag("core/partials/_field.html")
def field(bound_field: Any, hint: str = "") -> dict[str, Any]:
    """Render a form field with its label, hint and errors tied to it (aria-describedby, aria-invalid)."""
    # A help text marked safe (allauth's « Mot de passe oublié ? » link) stays a link; any other is escaped.
    hint = mark_safe(  # noqa: S308 - each part escaped unless already safe
        " ".join(conditional_escape(part) for part in (hint or bound_field.help_text, length_hint(bound_field)) if part)
    )
    auto_id = bound_field.auto_id or bound_field.html_name
    described = []
    attrs: dict[str, Any] = {}
    if hint:
        described.append(f"{auto_id}-hint")
    if bound_field.errors:
        described.append(f"{auto_id}-error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if bound_field.field.required:
        attrs["required"] = True
    widget_type = bound_field.widget_type
    multiple = widget_type in {"radioselect", "checkboxselectmultiple"}
    return {
        "field": bound_field,
        "hint": hint,
        "auto_id": auto_id,
        "widget": bound_field.as_widget(attrs=attrs),
        "is_checkbox": widget_type == "checkbox",
        "is_group": multiple,
    }


@register.simple_tag
def one_time_token(form: Any = None) -> SafeString:
    """The hidden field of a form's one-time token (``participe.core.idempotency``): sent twice, the form writes once.

    A form shown again with its errors keeps the token it was sent with (nothing was written: the same attempt goes
    on); a new form gets a new one."""
    token = ""
    if form is not None and getattr(form, "is_bound", False):
        try:
            token = idempotency.check_key(str(form.data.get(idempotency.FORM_FIELD, ""))) or ""
        except ValidationError:
            token = ""
    return format_html(
        '<input type="hidden" name="{}" value="{}">', idempotency.FORM_FIELD, token or idempotency.new_token()
    )


@register.filter
def isolate(value: Any) -> SafeString:
    """``value`` (text someone wrote: a pseudonym, a title) escaped and isolated in ``<bdi>``, so that its direction
    (an Arabic name, a bidirectional control saved before they were stripped) cannot reorder the text around it."""
    return format_html("<bdi>{}</bdi>", value)


def _moment_filter(function: Any) -> Any:
    """A date filter: empty for an empty value, the datetime in the current time zone (like Django's ``date``)."""

    def apply(value: Any) -> str:
        if value in (None, ""):
            return ""
        try:
            return str(function(value))
        except (AttributeError, TypeError, ValueError):
            return ""

    apply.__name__ = function.__name__
    apply.__doc__ = function.__doc__
    return register.filter(function.__name__, apply, expects_localtime=True)


# {{ value|long_date }}, {{ value|short_date }}, {{ value|long_datetime }}, {{ value|short_datetime }},
# {{ value|time_of_day }}, {{ value|day_month }}: the only ways templates write a date (participe/core/dates.py).
for _format in (
    dates.day_month,
    dates.long_date,
    dates.short_date,
    dates.time_of_day,
    dates.long_datetime,
    dates.short_datetime,
):
    _moment_filter(_format)
