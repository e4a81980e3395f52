"""The icons of module types (a manifest's ``icon``): small line drawings of our own, inlined as SVG so that they
cost no request and take the text's colour. Decorative: the module's name beside them says what they mean."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString

# 24 × 24 drawings, stroked with the text's colour. Names follow the manifests' ``icon``.
PATHS = {
    "lightbulb": "M9 18h6M10 21h4M12 3a6 6 0 0 0-3.6 10.8c.7.6 1.1 1.3 1.1 2.2h5c0-.9.4-1.6 1.1-2.2A6 6 0 0 0 12 3z",
    "piggy-bank": "M4 7c0-1.7 3.6-3 8-3s8 1.3 8 3-3.6 3-8 3-8-1.3-8-3zM4 7v5c0 1.7 3.6 3 8 3s8-1.3 8-3V7"
    "M4 12v5c0 1.7 3.6 3 8 3s8-1.3 8-3v-5",
    "message-circle": "M4 5h16v11H10l-5 4v-4H4zM8 9h8M8 12h5",
    "file-text": "M6 3h8l4 4v14H6zM14 3v4h4M9 12h6M9 16h6",
    "alert-triangle": "M12 3 2 20h20zM12 10v4M12 17v.5",
    "clipboard-list": "M9 3h6v3H9zM7 4.5H5V21h14V4.5h-2M9 11h6M9 15h6",
    "check-square": "M4 4h16v16H4zM8 12l3 3 5-6",
    "calendar": "M4 6h16v14H4zM4 10h16M8 3v5M16 3v5",
    "users": "M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zM3 20c0-3.3 2.7-6 6-6s6 2.7 6 6M16 4.5a3.5 3.5 0 0 1 0 6.5"
    "M18 14c1.8.8 3 2.7 3 5",
}
DEFAULT = "M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM12 8v8M8 12h8"


def icon_svg(name: str, css_class: str = "icon") -> SafeString:
    """An inline SVG of the icon ``name`` (a known one, else a neutral sign), hidden from assistive technologies."""
    return format_html(
        '<svg class="{}" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">'
        '<path d="{}" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" '
        'stroke-linejoin="round"/></svg>',
        css_class,
        PATHS.get(name, DEFAULT),
    )
