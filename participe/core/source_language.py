"""French is the source language: a string without a French catalogue entry is its own msgid, and its plural must
follow French grammar (« 0 abonné », « 1 abonné », « 2 abonnés »). Without this, gettext falls back to the English
rule (singular for 1 only) and shows « 0 abonnés » (issue #18, decision 0022)."""

from __future__ import annotations

import gettext
from typing import Any

from django.conf import settings


class FrenchSource(gettext.NullTranslations):
    """The msgids themselves, with French plurals: the singular for 0 and 1."""

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return msgid1 if abs(n) < 2 else msgid2

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return self.ngettext(msgid1, msgid2, n)


def install() -> None:
    """Give the source language's Django translation a French fallback (it has none: Django never falls back from
    the default language). Idempotent; every translation object created later gets it too."""
    from django.utils.translation import trans_real

    original = trans_real.DjangoTranslation._add_fallback  # type: ignore[attr-defined]
    if getattr(original, "french_source", False):
        return

    def _add_fallback(self: Any, localedirs: Any = None) -> None:
        original(self, localedirs)
        if self._fallback is None and self.language().split("-")[0] == settings.LANGUAGE_CODE.split("-")[0] == "fr":
            self.add_fallback(FrenchSource())

    _add_fallback.french_source = True  # type: ignore[attr-defined]
    trans_real.DjangoTranslation._add_fallback = _add_fallback  # type: ignore[attr-defined]
    for translation in trans_real._translations.values():  # type: ignore[attr-defined]
        if translation._fallback is None and translation.language().split("-")[0] == "fr":
            translation.add_fallback(FrenchSource())
