"""Open311 client: a category's reports forwarded to an external GeoReport v2 endpoint (a city's existing back-end),
and that endpoint's answers pulled back into the report's timeline (decision 0029, docs/open311.md).

- An administrator sets the endpoint, key and remote service code of a category (``forwarding_save``).
- Once a report of that category is published (at once for an account holder, after the link for a one-off
  report), ``schedule`` records a ``Forward`` and a background task posts it (``forward_send``).
- A post that fails for a reason that may pass (network, timeout, 5xx, 429) is tried again by the sweep
  (``manage.py signalements_open311``, every few minutes) after 1, 5, 30 minutes, 2 and 6 hours; an answer that
  will not change (a 4xx: bad key, unknown service code) or the sixth failure marks it failed, which the agents
  see on the report and in the queue, and may retry by hand (``forward_retry``). A post holds a ten-minute lease
  on its row (taken under a row lock), so two workers never post the same report at once, and a worker that dies
  while posting leaves it to the next sweep.
- The sweep also reads the status of the forwarded requests (``requests.json?service_request_id=…``, in batches)
  and of the deferred ones (``tokens/{token}.json``): a request closed there resolves the report here, one opened
  again reopens it, and new ``status_notes`` are published as a public update; the reporter and the followers are
  told as for any update.

No personal data is sent: neither the reporter's name nor their email (the endpoint answers through the status).
"""

from __future__ import annotations

import datetime
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from participe.accounts.models import User
from participe.activity.services import audit
from participe.assignments import services as assignments
from participe.attachments.selectors import attachments_of
from participe.modules.signalements import figures
from participe.modules.signalements.models import (
    OPEN_STATUSES,
    RESOLVING,
    Category,
    Forward,
    Forwarding,
    Report,
    Status,
    Update,
)
from participe.permissions.refusals import require

logger = logging.getLogger(__name__)
TIMEOUT = 10.0
BACKOFF = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=6),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
LEASE = datetime.timedelta(minutes=10)  # longer than a post can take (TIMEOUT)
POLL_BATCH = 50
FIELDS = ("endpoint", "api_key", "service_code", "jurisdiction_id", "is_active")


class Transient(Exception):
    """The endpoint did not answer, or answered that it may later (network, timeout, 5xx, 429)."""


class Refusal(Exception):
    """The endpoint refused the request in a way that will not change by trying again (4xx)."""


# --- the HTTP client ----------------------------------------------------------------------------------------------
def _url(forwarding: Forwarding, path: str, query: dict[str, str] | None = None) -> str:
    query = {**(query or {})}
    if forwarding.jurisdiction_id:
        query["jurisdiction_id"] = forwarding.jurisdiction_id
    base = forwarding.endpoint if forwarding.endpoint.endswith("/") else forwarding.endpoint + "/"
    return base + path + ("?" + urllib.parse.urlencode(query) if query else "")


def _describe(body: bytes) -> str:
    """The GeoReport error's description(s), or the start of whatever came back."""
    try:
        errors = json.loads(body)
        return "; ".join(str(e.get("description") or e.get("code")) for e in errors)[:400]
    except (ValueError, TypeError, AttributeError):
        return body[:200].decode("utf-8", "replace")


def _call(url: str, data: dict[str, str] | None = None) -> Any:
    """GET (or POST ``data`` form-encoded) ``url``; the decoded JSON, or ``Transient`` / ``Refusal``."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"Accept": "application/json"})  # noqa: S310  # http(s)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310  # an admin's http(s) URL
            return json.loads(response.read())
    except urllib.error.HTTPError as exc:
        detail = f"HTTP {exc.code} : {_describe(exc.read())}"
        if exc.code == 429 or exc.code >= 500:
            raise Transient(detail) from exc
        raise Refusal(detail) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise Transient(str(getattr(exc, "reason", exc))[:400]) from exc
    except ValueError as exc:
        raise Transient(_("Réponse illisible (pas du JSON).")) from exc


def _site_url(path: str) -> str:
    return str(getattr(settings, "PARTICIPE_SITE_URL", "") or "").rstrip("/") + path


def _payload(forwarding: Forwarding, report: Report) -> dict[str, str]:
    description = report.title + ("\n\n" + report.description if report.description else "")
    data = {
        "api_key": forwarding.api_key,
        "service_code": forwarding.service_code,
        "lat": f"{report.lat:.6f}",
        "long": f"{report.lon:.6f}",
        "address_string": report.address,
        "description": description[:4000],
    }
    if not report.category.is_private:
        photo = next((a for a in attachments_of(report) if a.is_image), None)
        if photo is not None:
            data["media_url"] = _site_url(photo.file.url)
    for code, value in (report.answers or {}).items():
        data[f"attribute[{code}]"] = str(value)
    return {k: v for k, v in data.items() if v}


def _post(forwarding: Forwarding, report: Report) -> tuple[str, str]:
    """Post the report; its ``service_request_id`` there, or the ``token`` of a deferred creation."""
    answer = _call(_url(forwarding, "requests.json"), _payload(forwarding, report))
    first = answer[0] if isinstance(answer, list) and answer and isinstance(answer[0], dict) else None
    if first is None or not (first.get("service_request_id") or first.get("token")):
        raise Transient(_("Réponse inattendue : ni « service_request_id » ni « token »."))
    return str(first.get("service_request_id") or ""), str(first.get("token") or "")


# --- configuration ------------------------------------------------------------------------------------------------
def forwarding_save(*, actor: User, category: Category, data: dict[str, Any]) -> Forwarding | None:
    """Set (or, with an empty endpoint, remove) where ``category``'s new reports are forwarded."""
    require(actor, "signalements.manage_reports", category.module)
    current = Forwarding.objects.filter(category=category).first()
    if not (data.get("endpoint") or "").strip():
        with transaction.atomic():
            if current is not None:
                current.delete()
                audit(actor=actor, action="signalements.forwarding_remove", target=category)
        return None
    forwarding = current or Forwarding(category=category)
    for name in FIELDS:
        if name in data:
            setattr(forwarding, name, data[name])
    if not forwarding.endpoint.startswith("https://") and not settings.DEBUG and not _local(forwarding.endpoint):
        raise ValidationError({"endpoint": _("Une adresse en https:// : la clé d'API y est envoyée.")})
    forwarding.full_clean(exclude=["category"])
    with transaction.atomic():
        forwarding.save()
        audit(
            actor=actor,
            action="signalements.forwarding_save",
            target=category,
            after={
                "endpoint": forwarding.endpoint,
                "service_code": forwarding.service_code,
                "is_active": forwarding.is_active,
            },
        )
    return forwarding


def _local(url: str) -> bool:
    host = urllib.parse.urlsplit(url).hostname or ""
    return host in ("localhost", "127.0.0.1", "::1")


# --- sending ------------------------------------------------------------------------------------------------------
def schedule(report: Report) -> Forward | None:
    """Inside the transaction that publishes ``report``: a Forward when its category is forwarded, posted by a
    background task after commit (nothing when it is not, or already scheduled)."""
    forwarding = Forwarding.objects.filter(category_id=report.category_id, is_active=True).first()
    if forwarding is None or Forward.objects.filter(report=report).exists():
        return None
    forward = Forward.objects.create(report=report, forwarding=forwarding, next_attempt_at=timezone.now())
    transaction.on_commit(lambda: _enqueue(forward.pk), robust=True)
    return forward


def _enqueue(forward_id: int) -> None:
    from participe.modules.signalements.tasks import forward_report_task

    forward_report_task.enqueue(forward_id)


def forward_send(forward_id: int) -> Forward | None:
    """Post one waiting Forward (the task, and the sweep for retries): sent, to be retried later, or failed."""
    with transaction.atomic():
        forward = (
            Forward.objects.select_for_update(of=("self",))  # not the nullable forwarding (PostgreSQL)
            .select_related("forwarding", "report__category")
            .filter(pk=forward_id, state=Forward.State.PENDING, next_attempt_at__lte=timezone.now())
            .first()
        )
        if forward is None:  # sent, or being sent, by another worker; or not due
            return None
        forward.attempts += 1
        # A lease: another worker leaves it while this one posts, and takes it again if this one dies meanwhile.
        forward.next_attempt_at = timezone.now() + LEASE
        forward.save(update_fields=["attempts", "next_attempt_at"])
    forwarding = forward.forwarding
    now = timezone.now()
    try:
        if forwarding is None or not forwarding.is_active:
            raise Refusal(_("La transmission de cette catégorie a été retirée."))
        request_id, token = _post(forwarding, forward.report)
    except Transient as exc:
        last = forward.attempts >= MAX_ATTEMPTS
        forward.state = Forward.State.FAILED if last else Forward.State.PENDING
        forward.next_attempt_at = None if last else now + BACKOFF[forward.attempts - 1]
        forward.last_error = str(exc)[:500]
    except Refusal as exc:
        forward.state, forward.next_attempt_at, forward.last_error = Forward.State.FAILED, None, str(exc)[:500]
    else:
        forward.state, forward.sent_at, forward.last_error = Forward.State.SENT, now, ""
        forward.service_request_id, forward.token, forward.external_status = request_id, token, "open"
    forward.save(
        update_fields=[
            "state",
            "next_attempt_at",
            "last_error",
            "sent_at",
            "service_request_id",
            "token",
            "external_status",
        ]
    )
    _record(forward)
    return forward


def _record(forward: Forward) -> None:
    """The outcome in the report's internal timeline and the audit log (a waiting retry is recorded once failed)."""
    if forward.state == Forward.State.PENDING:
        return
    forwarding = forward.forwarding
    where = forwarding.endpoint if forwarding is not None else "?"
    if forward.state == Forward.State.SENT:
        text = _("Transmis à %(where)s (n° %(id)s).") % {"where": where, "id": forward.service_request_id or "…"}
    else:
        text = _("Échec de la transmission à %(where)s : %(error)s") % {"where": where, "error": forward.last_error}
    with transaction.atomic():
        Update.objects.create(report_id=forward.report_id, text=text, is_public=False)
        audit(
            actor=None,
            action=f"signalements.forward_{forward.state}",
            target=forward.report,
            after={"endpoint": where, "service_request_id": forward.service_request_id, "error": forward.last_error},
        )


def forward_retry(*, actor: User, report: Report) -> Forward:
    """An agent tries a failed forward again (at once, then by the sweep's schedule)."""
    require(actor, "signalements.handle_report", report)
    with transaction.atomic():
        forward = Forward.objects.select_for_update().filter(report=report).first()
        if forward is None or forward.state != Forward.State.FAILED:
            raise ValidationError(_("Ce signalement n'a pas de transmission en échec."))
        forward.state, forward.attempts, forward.next_attempt_at = Forward.State.PENDING, 0, timezone.now()
        forward.save(update_fields=["state", "attempts", "next_attempt_at"])
        audit(actor=actor, action="signalements.forward_retry", target=report)
        transaction.on_commit(lambda: _enqueue(forward.pk), robust=True)
    return forward


# --- pulling the answers back -------------------------------------------------------------------------------------
def _resolve_tokens(forwards: Iterable[Forward]) -> None:
    """Deferred creations: the ``service_request_id`` the endpoint has given the token since."""
    for forward in forwards:
        try:
            answer = _call(_url(forward.forwarding, f"tokens/{urllib.parse.quote(forward.token)}.json"))  # type: ignore[arg-type]
        except (Transient, Refusal) as exc:
            logger.info("Open311 token %s not resolved: %s", forward.token, exc)
            continue
        found = answer[0].get("service_request_id") if isinstance(answer, list) and answer else None
        if found:
            forward.service_request_id = str(found)
            forward.save(update_fields=["service_request_id"])


def _poll(forwarding: Forwarding, forwards: list[Forward]) -> int:
    by_id = {f.service_request_id: f for f in forwards}
    try:
        answer = _call(_url(forwarding, "requests.json", {"service_request_id": ",".join(by_id)}))
    except (Transient, Refusal) as exc:
        logger.warning("Open311 poll of %s failed: %s", forwarding.endpoint, exc)
        return 0
    changed = 0
    for item in answer if isinstance(answer, list) else []:
        forward = by_id.get(str(item.get("service_request_id"))) if isinstance(item, dict) else None
        if forward is not None:
            changed += forward_apply(
                forward=forward, status=str(item.get("status") or ""), notes=str(item.get("status_notes") or "")
            )
    Forward.objects.filter(pk__in=[f.pk for f in forwards]).update(polled_at=timezone.now())
    return changed


def forwards_poll() -> int:
    """Read the status of every forwarded report still open here or there (or closed less than 30 days ago);
    the number of reports changed."""
    live = Forward.objects.filter(state=Forward.State.SENT, forwarding__is_active=True).select_related("forwarding")
    # Closed on both sides: still read for 30 days, the time a report may be opened again.
    recent = timezone.now() - datetime.timedelta(days=30)
    live = live.filter(
        Q(report__status__in=OPEN_STATUSES) | Q(external_status="open") | Q(report__resolved_at__gte=recent)
    )
    _resolve_tokens(live.filter(service_request_id="").exclude(token=""))
    groups: dict[int, list[Forward]] = defaultdict(list)
    for forward in live.exclude(service_request_id=""):
        groups[forward.forwarding_id].append(forward)  # type: ignore[index]
    changed = 0
    for forwards in groups.values():
        for start in range(0, len(forwards), POLL_BATCH):
            batch = forwards[start : start + POLL_BATCH]
            changed += _poll(batch[0].forwarding, batch)  # type: ignore[arg-type]
    return changed


def _next_status(current: str, external: str) -> str:
    if external == "closed" and current in OPEN_STATUSES:
        return Status.FIXED
    if external == "open" and current not in OPEN_STATUSES:
        return Status.ACKNOWLEDGED
    return current


def forward_apply(*, forward: Forward, status: str, notes: str) -> int:
    """The endpoint's status of a forwarded report, written here: closed there resolves it, open again reopens it,
    new notes become a public update (the followers are told). Authorised by the category's forwarding, which an
    administrator set: no one acts. 1 when the report changed, else 0."""
    from participe.modules.signalements.services import _set_status, _tell

    notes = notes.strip()[:4000]
    if status not in ("open", "closed"):
        return 0
    with transaction.atomic():
        report = Report.objects.select_for_update().select_related("category", "module").get(pk=forward.report_id)
        before = report.status
        after = _next_status(before, status)
        new_notes = bool(notes) and notes != forward.external_notes
        Forward.objects.filter(pk=forward.pk).update(external_status=status, external_notes=notes)
        if after == before and not new_notes:
            return 0
        counted = figures.share(report)
        _set_status(report, after, timezone.now())
        report.save(update_fields=["status", "acknowledged_at", "resolved_at", "updated_at", "cell"])
        # As an agent's answer does (services.report_update): the service's assignment is handled when the endpoint
        # closes the request, back to work when it opens it again; the figures follow the new status.
        where = forward.forwarding.endpoint if forward.forwarding is not None else ""
        authority = _("Réponse du service externe (Open311, %(where)s)") % {"where": where}
        if after in RESOLVING and before in OPEN_STATUSES:
            assignments.mark_done(actor=None, item=report, on_behalf_of=authority)
        elif after in OPEN_STATUSES and before not in OPEN_STATUSES:
            assignments.reopen(actor=None, item=report, on_behalf_of=authority)
        figures.record(counted, figures.share(report))
        text = notes if new_notes else ""
        Update.objects.create(report=report, status_before=before, status_after=after, text=text)
        audit(
            actor=None,
            action="signalements.forward_update",
            target=report,
            before={"status": before},
            after={"status": after, "text": text, "external_status": status},
        )
        _tell(report, None, text)
    return 1


# --- the sweep ----------------------------------------------------------------------------------------------------
def sweep() -> dict[str, int]:
    """Post the forwards whose retry is due, then pull the answers back (``manage.py signalements_open311``)."""
    due = Forward.objects.filter(state=Forward.State.PENDING, next_attempt_at__lte=timezone.now())
    sent = failed = 0
    for forward_id in list(due.values_list("pk", flat=True)[:500]):
        forward = forward_send(forward_id)
        sent += bool(forward and forward.state == Forward.State.SENT)
        failed += bool(forward and forward.state == Forward.State.FAILED)
    return {"sent": sent, "failed": failed, "updated": forwards_poll()}
