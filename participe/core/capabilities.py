"""Capabilities a phase grants to the participants of a module.

Stored in the database by value: treat the values like migrations (never rename one).
"""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Cap(StrEnum):
    VIEW = "view"
    SUBMIT = "submit"
    EDIT_OWN = "edit_own"
    SUPPORT = "support"
    COMMENT = "comment"
    VOTE = "vote"
    ANSWER = "answer"
    RATE = "rate"

    @property
    def label(self) -> str:
        return str(CAPABILITY_LABELS[self])


CAPABILITY_LABELS = {
    Cap.VIEW: _("consulter"),
    Cap.SUBMIT: _("déposer"),
    Cap.EDIT_OWN: _("modifier ses contributions"),
    Cap.SUPPORT: _("soutenir"),
    Cap.COMMENT: _("commenter"),
    Cap.VOTE: _("voter"),
    Cap.ANSWER: _("répondre"),
    Cap.RATE: _("évaluer"),
}
