"""Moderation: every write of the app (reports, decisions on contents, account blocks).

The content is any resource its module flags ``reportable`` (docs/decisions/0006-shared-participation-services.md).
This app owns its ``reports_count`` and ``moderation_status`` columns and writes them under a row lock on the
content. Each decision is in the audit log with its reason, and the author is told after the transaction commits.
See docs/services/moderation.md.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from participe.moderation.models import ModerationCase, Report
from participe.moderation.services.accounts import user_block, user_unblock
from participe.moderation.services.base import (
    NOTE_MAX_LENGTH,
    AlreadyReported,
    editable_fields,
    initial_status,
    is_a_priori,
    report_threshold,
)
from participe.moderation.services.decisions import (
    cases_sync,
    content_edit_formatting,
    content_hide,
    content_publish,
    content_submit,
    content_unhide,
)
from participe.moderation.services.reports import report_create, reports_dismiss

__all__ = [
    "ACTIONS",
    "NOTE_MAX_LENGTH",
    "AlreadyReported",
    "cases_sync",
    "content_edit_formatting",
    "content_hide",
    "content_publish",
    "content_submit",
    "content_unhide",
    "delete_for",
    "editable_fields",
    "initial_status",
    "is_a_priori",
    "report_create",
    "report_threshold",
    "reports_dismiss",
    "user_block",
    "user_unblock",
]


def delete_for(target: Model) -> None:
    """Remove the reports and the moderation case of ``target`` (its module's delete service calls this)."""
    content_type = ContentType.objects.get_for_model(target)
    Report.objects.filter(content_type=content_type, object_id=target.pk).delete()
    ModerationCase.objects.filter(content_type=content_type, object_id=target.pk).delete()


ACTIONS: dict[str, Callable[..., None]] = {
    "masquer": content_hide,
    "rendre-visible": content_unhide,
    "publier": content_publish,
    "classer": reports_dismiss,
}
