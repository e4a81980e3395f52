"""Meetings taken in from a Decidim open-data archive (``ModuleManifest.import_decidim``, decision 0040).

Each record (plain values read by ``participe.decidim_import``) becomes a meeting of the module through the same
service as a meeting an organiser types (``meeting_save``: its checks, the audit, the search index); Decidim's
closing report becomes the minutes, a withdrawn meeting a cancelled one, an unpublished one a draft. Nobody is
registered and nobody is told.
"""

from __future__ import annotations

import html
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from participe.accounts.models import User
from participe.core.sanitize import sanitize_html
from participe.modules.meetings.models import Meeting
from participe.modules.meetings.services.meetings import meeting_save
from participe.spaces.models import Module

FORMATS = {
    "in_person": Meeting.Format.IN_PERSON,
    "online": Meeting.Format.ONLINE,
    "hybrid": Meeting.Format.HYBRID,
}


def body_html(text: str) -> str:
    """Plain text (one paragraph per line) as HTML; HTML is kept (and sanitised)."""
    if text.lstrip().startswith("<"):
        return sanitize_html(text)
    return "".join(f"<p>{html.escape(line.strip())}</p>" for line in text.splitlines() if line.strip())


def _data(record: dict[str, Any]) -> dict[str, Any]:
    meeting_format = FORMATS.get(str(record.get("type_of_meeting") or ""), Meeting.Format.IN_PERSON)
    latitude, longitude = record.get("latitude"), record.get("longitude")
    if latitude is None or longitude is None:
        latitude = longitude = None
    online_url = str(record.get("online_url") or "")
    if meeting_format != Meeting.Format.IN_PERSON and not online_url:
        online_url = str(record.get("url") or "")  # Decidim hides the link of a past meeting: its page then
    return {
        "title": " ".join(str(record.get("title") or "").split())[:200],
        "description": body_html(str(record.get("description") or "")),
        "start": record.get("start"),
        "end": record.get("end"),
        "format": meeting_format,
        "place_name": str(record.get("location") or "")[:200],
        "address": str(record.get("address") or "")[:300],
        "latitude": float(latitude) if latitude is not None else None,
        "longitude": float(longitude) if longitude is not None else None,
        "online_url": online_url[:500],
        "status": Meeting.Status.PUBLISHED if record.get("published", True) else Meeting.Status.DRAFT,
        "organiser": str(record.get("organiser") or "")[:200],
    }


def _reason(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ; ".join(" ".join(e.messages) for errors in exc.error_dict.values() for e in errors)
    return " ".join(exc.messages)


def _after(meeting: Meeting, record: dict[str, Any]) -> None:
    """What happened after: the closing report (minutes, attendees), or the withdrawal (cancelled)."""
    changes: dict[str, Any] = {}
    report = body_html(str(record.get("closing_report") or ""))
    if report:
        changes.update(minutes=report, minutes_published_at=meeting.end)
    if record.get("attendees") is not None:
        changes["attendees_count"] = record["attendees"]
    if record.get("withdrawn"):
        changes.update(status=Meeting.Status.CANCELLED, cancellation_reason=_("Réunion retirée sur Decidim."))
    if changes:
        Meeting.objects.filter(pk=meeting.pk).update(**changes)
        for name, value in changes.items():
            setattr(meeting, name, value)


def load(*, actor: User, module: Module, records: list[dict[str, Any]]) -> dict[str, Meeting | str]:
    """Each record a meeting of ``module``, or the reason it is refused; see the module's docstring. Refused unless
    ``actor`` organises the module's meetings (``meeting_save`` checks ``meetings.manage_meetings``)."""
    done: dict[str, Meeting | str] = {}
    for record in records:
        data = _data(record)
        try:
            if not data["title"]:
                raise ValidationError({"title": _("Le titre est vide.")})
            with transaction.atomic():
                meeting = meeting_save(actor=actor, module=module, data=data)
                _after(meeting, record)
                if record.get("created_at"):
                    Meeting.objects.filter(pk=meeting.pk).update(created_at=record["created_at"])
        except ValidationError as exc:
            done[str(record["id"])] = _reason(exc)
            continue
        done[str(record["id"])] = meeting
    return done
