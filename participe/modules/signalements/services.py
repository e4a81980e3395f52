"""Every write of the signalements: reporting (placed, routed, with photos), confirming a one-off report, « moi
aussi », the services' updates (status, public text from a template), reassigning, reopening, internal notes,
categories and their routes, response templates, Open311 keys.

Each service takes the actor and checks it (``require``), validates before writing anything, writes in one
transaction under a lock on the report, records the act in the audit log and tells people after commit.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from participe.accounts.models import User
from participe.activity.services import audit
from participe.assignments import services as assignments
from participe.attachments import files
from participe.attachments.services import attachment_add
from participe.modules.signalements import figures, forwarding, geo
from participe.modules.signalements.models import (
    ACKNOWLEDGING,
    OPEN_STATUSES,
    RESOLVING,
    ApiKey,
    Category,
    Report,
    ResponseTemplate,
    Route,
    Status,
    Update,
)
from participe.notifications.services import follow, follow_author, notify
from participe.organisation.models import Service, Territory
from participe.permissions.refusals import require
from participe.spaces.models import Module
from participe.supports.services import support_add

UPDATED_EVENT = "signalements.updated"
DIGEST_EVENT = "signalements.digest"
MAX_PHOTOS = 5
MAX_TEXT = 4000
REPORT_FIELDS = ("category", "title", "description", "lat", "lon", "address", "status", "territory")


# --- place and routing --------------------------------------------------------------------------------------------
def locate(lat: float, lon: float) -> Territory | None:
    """The smallest territory whose boundary holds the point (a quartier before its commune).

    Refuses (``ValidationError`` on ``lat``) a point outside every boundary; where no territory has a boundary yet,
    any point is accepted (with no territory)."""
    bounded = [t for t in Territory.objects.filter(boundary__isnull=False).only("pk", "parent_id", "boundary", "name")]
    if not bounded:
        return None
    inside = [t for t in bounded if geo.contains(t.boundary, lat, lon)]
    if not inside:
        raise ValidationError(
            {
                "lat": _(
                    "Ce lieu est en dehors du territoire de la collectivité : choisissez un lieu sur son territoire."
                )
            }
        )
    ids = {t.pk for t in inside}
    # The deepest: a territory none of whose children also holds the point.
    deepest = [t for t in inside if not any(o.parent_id == t.pk for o in inside if o.pk in ids)]
    return deepest[0]


def service_for(category: Category, territory: Territory | None) -> Service | None:
    """The service in charge of ``category`` at ``territory``: its route there or at the nearest territory above it,
    else the category's default service."""
    routes = {r.territory_id: r.service for r in Route.objects.filter(category=category).select_related("service")}
    node = territory
    while node is not None:
        if node.pk in routes:
            return routes[node.pk]
        node = node.parent
    return category.default_service


def _route(actor: Any, report: Report, reason: str = "") -> None:
    service = service_for(report.category, report.territory)
    if service is None:
        return
    due = timezone.now() + datetime.timedelta(days=report.category.resolve_days or 15)
    assignments.assign(
        actor=actor, item=report, service=service, due_at=due, reason=reason, authorised_by="signalements.add_report"
    )


# --- reporting ----------------------------------------------------------------------------------------------------
def _coordinates(data: dict[str, Any]) -> tuple[float, float]:
    try:
        lat, lon = float(data.get("lat")), float(data.get("lon"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValidationError({"lat": _("Indiquez le lieu : une adresse, ou un point sur la carte.")}) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValidationError({"lat": _("Ces coordonnées ne désignent aucun lieu.")})
    return lat, lon


def _answers(category: Category, given: dict[str, Any]) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for question in category.questions or []:
        code = str(question.get("code"))
        value = given.get(code)
        value = value.strip() if isinstance(value, str) else value
        choices = [str(c[0]) for c in question.get("choices") or []]
        if value in (None, "", []):
            if question.get("required"):
                errors[f"q_{code}"] = _("Répondez à cette question.")
            continue
        if choices and str(value) not in choices:
            errors[f"q_{code}"] = _("Choisissez une des réponses proposées.")
            continue
        answers[code] = str(value)[:500]
    if errors:
        raise ValidationError(errors)
    return answers


def _check_photos(photos: Sequence[Any]) -> None:
    """Every photo an image within the limits, before anything is written."""
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("Au plus %(n)s photos.") % {"n": MAX_PHOTOS}})
    for photo in photos:
        try:
            found = files.detect(photo)
        except ValidationError as exc:
            raise ValidationError({"photos": exc.messages}) from exc
        if found.kind != files.IMAGE:
            raise ValidationError({"photos": _("« %(name)s » n'est pas une image.") % {"name": photo.name}})


def _texts(data: dict[str, Any], errors: dict[str, Any]) -> tuple[str, str]:
    title = " ".join(str(data.get("title") or "").split())
    if not title:
        errors["title"] = _("Donnez un titre à votre signalement.")
    elif len(title) > 120:
        errors["title"] = _("Un titre fait au plus 120 caractères.")
    description = str(data.get("description") or "").strip()
    if len(description) > MAX_TEXT:
        errors["description"] = _("Une description fait au plus %(n)s caractères.") % {"n": MAX_TEXT}
    return title, description


def _identity(data: dict[str, Any], errors: dict[str, Any], required: bool) -> tuple[str, str]:
    name, email = str(data.get("reporter_name") or "").strip(), str(data.get("reporter_email") or "").strip()
    if required and not name:
        errors["reporter_name"] = _("Indiquez votre nom (il n'est pas publié).")
    if required and not email:
        errors["reporter_email"] = _("Indiquez votre adresse électronique : un lien de confirmation y sera envoyé.")
    return name[:120], email


def _place(data: dict[str, Any], errors: dict[str, Any]) -> tuple[float, float, Territory | None]:
    try:
        lat, lon = _coordinates(data)
        return lat, lon, locate(lat, lon)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        return 0.0, 0.0, None


def _clean(module: Module, data: dict[str, Any], anonymous: bool, identified: bool) -> dict[str, Any]:
    """Every field checked, every error gathered by field (nothing is written before all pass)."""
    errors: dict[str, Any] = {}
    category = data.get("category")
    if not isinstance(category, Category) or category.module_id != module.pk or not category.is_active:
        errors["category"] = _("Choisissez une catégorie.")
    title, description = _texts(data, errors)
    name, email = _identity(data, errors, anonymous and not identified)
    lat, lon, territory = _place(data, errors)
    answers: dict[str, Any] = {}
    if "category" not in errors:
        try:
            answers = _answers(category, data.get("answers") or {})  # type: ignore[arg-type]
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return {
        "category": category,
        "title": title,
        "description": description,
        "lat": lat,
        "lon": lon,
        "territory": territory,
        "answers": answers,
        "address": str(data.get("address") or "").strip()[:300],
        "reporter_name": name if anonymous else "",
        "reporter_email": email if anonymous else "",
    }


def report_create(
    *,
    actor: Any,
    module: Module,
    data: dict[str, Any],
    photos: Sequence[Any] = (),
    source: str = "web",
    api_key: ApiKey | None = None,
) -> Report:
    """Report a problem: placed inside the territories, routed to the service in charge of its category there.

    ``data``: ``category`` (a Category), ``title``, ``description``, ``lat``, ``lon``, ``address``, ``answers`` (the
    category's extra questions, by code), and for a visitor without account ``reporter_name`` and
    ``reporter_email`` (the report waits for the link sent there). ``photos``: uploaded images, with or without an
    account (their EXIF is stripped by the attachments service). Raises ``Refused`` or ``ValidationError`` (by field,
    nothing written).

    ``api_key``: a live Open311 key (checked by the caller with ``apikey_check``) whose application vouches for
    the report: it is published and routed at once, its name and email optional, ``media_url`` kept."""
    require(actor, "signalements.add_report", module)
    anonymous = not getattr(actor, "is_authenticated", False)
    vouched = api_key is not None and api_key.revoked_at is None and api_key.module_id == module.pk
    cleaned = _clean(module, data, anonymous, vouched)
    cleaned["media_url"] = str(data.get("media_url") or "")[:500] if vouched else ""
    _check_photos(photos)
    now = timezone.now()
    with transaction.atomic():
        report = Report.objects.create(
            module=module,
            author=None if anonymous else actor,
            confirmed_at=None if anonymous and not vouched else now,
            confirmation_token=secrets.token_urlsafe(32) if anonymous else "",
            source=source,
            api_key=api_key if vouched else None,
            **cleaned,
        )
        Update.objects.create(report=report, author=None if anonymous else actor, status_after=Status.NEW)
        audit(
            actor=None if anonymous else actor,
            action="signalements.report_create",
            target=report,
            after={"category": report.category.code, "title": report.title, "source": source},
        )
        if not anonymous:
            follow_author(user=actor, target=report)
        if report.confirmed_at is not None:
            _route(actor, report)
            figures.record(None, figures.share(report))
            forwarding.schedule(report)
        for photo in photos:
            attachment_add(
                actor=actor,
                target=report,
                uploaded_file=photo,
                title=_("Photo du signalement"),
                # A visitor without account edits nothing: the photos come with the report they may send.
                authorised_by="signalements.add_report" if anonymous else None,
            )
    if anonymous and not vouched:
        transaction.on_commit(lambda: _send_confirmation(report))
    return report


def _send_confirmation(report: Report) -> None:
    from django.urls import reverse

    from participe.spaces.urls import module_reverse

    base = getattr(settings, "PARTICIPE_SITE_URL", "").rstrip("/")
    url = base + module_reverse(report.module, "confirm", token=report.confirmation_token)
    del reverse
    send_mail(
        _("Confirmez votre signalement « %(title)s »") % {"title": report.title},
        _("Bonjour %(name)s,\n\nPour transmettre votre signalement au service en charge, ouvrez ce lien :\n%(url)s\n")
        % {"name": report.reporter_name, "url": url},
        None,
        [report.reporter_email],
        fail_silently=True,
    )


def report_confirm(*, token: str) -> Report | None:
    """The reporter without account opened the link: the report is published and routed (None: unknown link)."""
    if not token:
        return None
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(confirmation_token=token).first()
        if report is None:
            return None
        if report.confirmed_at is None:
            report.confirmed_at = timezone.now()
            report.save(update_fields=["confirmed_at", "cell"])
            audit(actor=None, action="signalements.report_confirm", target=report)
            _route(AnonymousUser(), report)
            figures.record(None, figures.share(report))
            forwarding.schedule(report)
    return report


def report_me_too(*, actor: User, report: Report) -> None:
    """« Moi aussi » : ``actor`` supports the report and follows it (both idempotent)."""
    support_add(actor=actor, target=report)
    follow(actor=actor, target=report)


# --- the services' work -------------------------------------------------------------------------------------------
def _set_status(report: Report, status: str, now: datetime.datetime) -> None:
    report.status = status
    if status in ACKNOWLEDGING and report.acknowledged_at is None:
        report.acknowledged_at = now
    if status in RESOLVING:
        report.resolved_at = report.resolved_at or now
    else:
        report.resolved_at = None


def _tell(report: Report, actor: Any, text: str) -> None:
    """The followers (the reporter follows their report) and a reporter without account, after commit."""

    def send() -> None:
        notify(event=UPDATED_EVENT, target=report, actor=actor, context={"status": report.get_status_display()})
        if report.author_id is None and report.reporter_email:
            send_mail(
                _("Votre signalement « %(title)s » : %(status)s")
                % {"title": report.title, "status": report.get_status_display()},
                text or report.get_status_display(),
                None,
                [report.reporter_email],
                fail_silently=True,
            )

    transaction.on_commit(send, robust=True)


def report_update(
    *, actor: User, report: Report, status: str, text: str = "", template: ResponseTemplate | None = None
) -> Update:
    """A service's answer: a new status and/or a public text (a response template's text by default).

    Resolving or closing marks the report's assignment handled; an open status reopens it."""
    require(actor, "signalements.handle_report", report)
    if status not in Status.values:
        raise ValidationError({"status": _("Choisissez un état.")})
    text = (text or "").strip() or (template.text if template is not None else "")
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": _("Un message fait au plus %(n)s caractères.") % {"n": MAX_TEXT}})
    if status == report.status and not text:
        raise ValidationError({"text": _("Changez l'état ou écrivez un message.")})
    now = timezone.now()
    with transaction.atomic():
        report = Report.objects.select_for_update().select_related("category", "module").get(pk=report.pk)
        counted = figures.share(report)
        before = report.status
        _set_status(report, status, now)
        report.save(update_fields=["status", "acknowledged_at", "resolved_at", "updated_at", "cell"])
        update = Update.objects.create(
            report=report, author=actor, status_before=before, status_after=status, text=text, created_at=now
        )
        audit(
            actor=actor,
            action="signalements.report_update",
            target=report,
            before={"status": before},
            after={"status": status, "text": text},
        )
        if status in RESOLVING and before in OPEN_STATUSES:
            assignments.mark_done(actor=actor, item=report)
        elif status in OPEN_STATUSES and before not in OPEN_STATUSES:
            assignments.reopen(actor=actor, item=report)
        figures.record(counted, figures.share(report))
        _tell(report, actor, text)
    return update


def report_reassign(
    *, actor: User, report: Report, service: Service | None = None, category: Category | None = None, reason: str = ""
) -> Report:
    """Move a report to another category (routed again by its place) and/or another service; the new service's
    agents are told (assignments). A step of the timeline only the services read."""
    require(actor, "signalements.handle_report", report)
    if category is not None and (category.module_id != report.module_id or not category.is_active):
        raise ValidationError({"category": _("Choisissez une catégorie.")})
    if service is None and category is None:
        raise ValidationError({"service": _("Choisissez un service ou une catégorie.")})
    with transaction.atomic():
        report = Report.objects.select_for_update().select_related("category", "module").get(pk=report.pk)
        counted = figures.share(report)
        before = {"category": report.category.code}
        if category is not None and category.pk != report.category_id:
            report.category = category
            report.save(update_fields=["category", "updated_at", "cell"])
            forwarding.schedule(report)  # a category forwarded elsewhere: posted there too
        target = service or service_for(report.category, report.territory)
        if target is not None:
            assignments.assign(actor=actor, item=report, service=target, reason=reason)
        figures.record(counted, figures.share(report))
        Update.objects.create(report=report, author=actor, text=reason, is_public=False)
        audit(
            actor=actor,
            action="signalements.report_reassign",
            target=report,
            before=before,
            after={"category": report.category.code, "service": target.name if target else None},
            reason=reason,
        )
    return report


def report_reopen(*, actor: User, report: Report, text: str = "") -> Update:
    """The reporter says it is not fixed (within 30 days of its resolution): open again, the service is told."""
    require(actor, "signalements.reopen_report", report)
    text = (text or "").strip()
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": _("Un message fait au plus %(n)s caractères.") % {"n": MAX_TEXT}})
    now = timezone.now()
    with transaction.atomic():
        report = Report.objects.select_for_update().select_related("category", "module").get(pk=report.pk)
        counted = figures.share(report)
        before = report.status
        _set_status(report, Status.ACKNOWLEDGED, now)
        report.save(update_fields=["status", "resolved_at", "updated_at", "cell"])
        update = Update.objects.create(
            report=report,
            author=actor,
            status_before=before,
            status_after=report.status,
            text=text,
            by_reporter=True,
            created_at=now,
        )
        audit(
            actor=actor,
            action="signalements.report_reopen",
            target=report,
            before={"status": before},
            after={"status": report.status},
        )
        _reopen_routing(report)
        figures.record(counted, figures.share(report))
        _tell(report, actor, text)
    return update


def _reopen_routing(report: Report) -> None:
    """The reporter is no agent: the report goes back to its service as a new routing step (the agents are told)."""
    from participe.assignments.selectors import assignment_of

    current = assignment_of(report)
    service = current.service if current is not None else service_for(report.category, report.territory)
    if service is None:
        return
    reason = _("Rouvert par l'auteur du signalement")
    if current is not None:
        assignments.assign_many(
            actor=AnonymousUser(),  # type: ignore[arg-type]  # no one: authorised by the report
            items=[report],
            service=None,
            reason=reason,
            authorised_by="signalements.add_report",
        )
    due = timezone.now() + datetime.timedelta(days=report.category.resolve_days or 15)
    assignments.assign(
        actor=AnonymousUser(),  # type: ignore[arg-type]  # no one: authorised by the report
        item=report,
        service=service,
        due_at=due,
        authorised_by="signalements.add_report",
        reason=reason,
    )


def report_note(*, actor: User, report: Report, body: str) -> Any:
    """An internal note of the services (never public)."""
    require(actor, "signalements.handle_report", report)
    return assignments.note_add(actor=actor, item=report, body=body)


def report_photo_add(*, actor: User, report: Report, photo: Any, title: str = "") -> Any:
    """A photo of the services (after the repair), through the attachments service (EXIF stripped)."""
    require(actor, "signalements.handle_report", report)
    _check_photos([photo])
    return attachment_add(actor=actor, target=report, uploaded_file=photo, title=title or _("Photo du service"))


# --- configuration ------------------------------------------------------------------------------------------------
def category_save(*, actor: User, module: Module, category: Category | None, data: dict[str, Any]) -> Category:
    """Create or change a category (name, code, icon, hint, private, default service, questions, times)."""
    require(actor, "signalements.manage_reports", module)
    category = category or Category(module=module)
    before = {f: getattr(category, f, None) for f in ("name", "code", "is_private")} if category.pk else None
    for name, value in data.items():
        setattr(category, name, value)
    category.full_clean(exclude=["module"])
    with transaction.atomic():
        category.save()
        audit(
            actor=actor,
            action="signalements.category_save",
            target=category,
            before=before,
            after={"name": category.name, "code": category.code, "is_private": category.is_private},
        )
    return category


def route_save(*, actor: User, category: Category, territory: Territory, service: Service | None) -> None:
    """The service in charge of ``category`` inside ``territory`` (None: the route goes)."""
    require(actor, "signalements.manage_reports", category.module)
    with transaction.atomic():
        if service is None:
            Route.objects.filter(category=category, territory=territory).delete()
        else:
            Route.objects.update_or_create(category=category, territory=territory, defaults={"service": service})
        audit(
            actor=actor,
            action="signalements.route_save",
            target=category,
            after={"territory": territory.name, "service": service.name if service else None},
        )


def template_save(
    *, actor: User, module: Module, template: ResponseTemplate | None, data: dict[str, Any]
) -> ResponseTemplate:
    require(actor, "signalements.manage_reports", module)
    template = template or ResponseTemplate(module=module)
    for name, value in data.items():
        setattr(template, name, value)
    template.full_clean(exclude=["module"])
    with transaction.atomic():
        template.save()
        audit(
            actor=actor,
            action="signalements.template_save",
            target=template.category,
            after={"title": template.title, "status": template.status},
        )
    return template


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def apikey_issue(*, actor: User, module: Module, name: str) -> tuple[ApiKey, str]:
    """A new Open311 key for a third party; the raw key is shown once (only its hash is kept)."""
    require(actor, "signalements.manage_reports", module)
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Nommez l'application qui utilisera cette clé.")})
    raw = "o311_" + secrets.token_urlsafe(30)
    with transaction.atomic():
        key = ApiKey.objects.create(
            module=module, name=name[:120], prefix=raw[5:11], digest=_digest(raw), created_by=actor
        )
        audit(
            actor=actor,
            action="signalements.apikey_issue",
            target=module,
            after={"name": key.name, "prefix": key.prefix},
        )
    return key, raw


def apikey_revoke(*, actor: User, key: ApiKey) -> None:
    require(actor, "signalements.manage_reports", key.module)
    with transaction.atomic():
        if key.revoked_at is None:
            key.revoked_at = timezone.now()
            key.save(update_fields=["revoked_at"])
            audit(
                actor=actor,
                action="signalements.apikey_revoke",
                target=key.module,
                after={"name": key.name, "prefix": key.prefix},
            )


def apikey_check(raw: str) -> ApiKey | None:
    """The live key ``raw`` is (None: unknown or revoked); its use is counted."""
    if not raw:
        return None
    key = ApiKey.objects.select_related("module").filter(digest=_digest(raw), revoked_at=None).first()
    if key is not None:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now(), uses=F("uses") + 1)
    return key
