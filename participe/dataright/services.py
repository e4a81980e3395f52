"""Writes of « Mes données »: a request, the archive's preparation (the background task), its expiry (decision 0035).

A person asks for their own data only: the actor is the account exported, and the link mailed to them works only
for that account, until the archive expires (``PARTICIPE_RETENTION["data_export"]`` days); then the file goes.
"""

from __future__ import annotations

import datetime
import logging
import tempfile
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.files import File
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from participe.accounts.models import User
from participe.activity.services import audit
from participe.core.throttle import throttle
from participe.dataright import archive
from participe.dataright.models import DataExport

logger = logging.getLogger(__name__)
SALT = "participe.dataright.download"


class LinkRefused(Exception):
    """A download link that does not open the archive, with the reason a person reads (and the HTTP status)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def validity() -> datetime.timedelta:
    return datetime.timedelta(days=settings.PARTICIPE_RETENTION["data_export"])


def export_request(*, actor: Any) -> DataExport:
    """Ask for the archive of ``actor``'s own data; the one being prepared if there is one (nothing new is queued:
    a double click, a second tab), else a new one, throttled (``PARTICIPE_THROTTLES["data_export"]``)."""
    if not getattr(actor, "is_authenticated", False) or actor.is_deleted:
        raise PermissionError(_("Connectez-vous pour demander vos données."))
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=actor.pk).first()  # one request at a time per account
        working = DataExport.objects.filter(
            user=actor, status__in=(DataExport.Status.PENDING, DataExport.Status.RUNNING)
        ).first()
        if working is not None:
            return working
        throttle(actor, "data_export")
        export = DataExport.objects.create(user=actor, total=len(archive.sources()))
        audit(actor=actor, action="dataright.request", target=export)
        transaction.on_commit(lambda: _enqueue(export.pk))
    return export


def _enqueue(export_id: Any) -> None:
    from participe.dataright.tasks import build

    build.enqueue(str(export_id))


def export_build(export_id: Any) -> DataExport | None:
    """Prepare the archive (the task's body): read every source, saying the progress, write the ZIP, email the link.
    Run twice for one request (a worker restarted), the second finds it taken or done and does nothing."""
    with transaction.atomic():
        export = (
            DataExport.objects.select_for_update()
            .select_related("user")
            .filter(pk=export_id, status=DataExport.Status.PENDING)
            .first()
        )
        if export is None:
            return None
        export.status = DataExport.Status.RUNNING
        export.save(update_fields=["status"])
    try:
        _build(export)
    except Exception as exc:
        logger.exception("The data export %s failed.", export.pk)
        DataExport.objects.filter(pk=export.pk).update(
            status=DataExport.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        return DataExport.objects.get(pk=export.pk)
    _send_link(export)
    return export


def _build(export: DataExport) -> None:
    def progress(done: int, total: int) -> None:
        DataExport.objects.filter(pk=export.pk).update(done=done, total=total)

    data = archive.collect(export.user, progress)
    with tempfile.TemporaryFile() as handle:
        archive.write_zip(handle, data, site=settings.SITE_URL)
        handle.seek(0)
        export.file.save("mes-donnees.zip", File(handle), save=False)
        export.size = export.file.size
    now = timezone.now()
    export.status = DataExport.Status.READY
    export.done = export.total = max(export.total, len(archive.sources()))
    export.finished_at = now
    export.expires_at = now + validity()
    export.save(update_fields=["file", "size", "status", "done", "total", "finished_at", "expires_at"])
    audit(actor=None, action="dataright.ready", target=export, after={"size": export.size})


def download_token(export: DataExport) -> str:
    return signing.TimestampSigner(salt=SALT).sign(str(export.pk))


def download_url(export: DataExport) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("dataright:download", args=[download_token(export)])


def _send_link(export: DataExport) -> None:
    user = export.user
    if not user.email:
        return  # an account without email (created by an agent): the page shows the link
    context = {"url": download_url(export), "expires_at": export.expires_at, "site_url": settings.SITE_URL}
    body = render_to_string("emails/dataright/ready.txt", context)
    EmailMessage(subject=_("Vos données sont prêtes"), body=body, to=[user.email]).send()


def export_for_link(*, token: str, user: Any) -> DataExport:
    """The archive a download link opens for ``user``, or ``LinkRefused`` saying why not (a GET: nothing written)."""
    try:
        export_id = signing.TimestampSigner(salt=SALT).unsign(token, max_age=validity())
    except signing.SignatureExpired:
        raise LinkRefused(_("Ce lien a expiré : demandez une nouvelle archive de vos données."), 410) from None
    except signing.BadSignature:
        raise LinkRefused(
            _("Ce lien n'est pas valide : vérifiez qu'il est complet dans votre courriel."), 404
        ) from None
    export = DataExport.objects.filter(pk=export_id).first()
    if export is None:  # a valid signature names an archive that existed: ``expire_exports`` deleted it
        raise LinkRefused(_("Ce lien a expiré : demandez une nouvelle archive de vos données."), 410)
    if export.user_id != user.pk:
        raise LinkRefused(
            _(
                "Ce lien ne correspond pas au compte connecté : connectez-vous avec le compte qui a demandé ces données."
            ),
            403,
        )
    if (
        export.status != DataExport.Status.READY
        or not export.file
        or (export.expires_at and export.expires_at <= timezone.now())
    ):
        raise LinkRefused(_("Ce lien a expiré : demandez une nouvelle archive de vos données."), 410)
    return export


def expire_exports(*, now: datetime.datetime | None = None) -> int:
    """Delete the archives past their expiry (their files first), and the requests older than the period that never
    produced one; returns how many went. Run by ``manage.py retention``."""
    now = now or timezone.now()
    count = 0
    stale = DataExport.objects.filter(expires_at__lte=now) | DataExport.objects.filter(
        expires_at__isnull=True, created_at__lte=now - validity()
    )
    for export in stale.exclude(status=DataExport.Status.RUNNING):
        if export.file:
            export.file.delete(save=False)
        export.delete()
        count += 1
    return count


def erase_account_data(user: Any) -> None:
    """A deleted account's archives go with their files (``accounts.hooks.register_eraser``)."""
    for export in DataExport.objects.filter(user=user):
        if export.file:
            export.file.delete(save=False)
        export.delete()
