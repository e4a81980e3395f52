"""The bilan's PDF and DOCX, built by the worker and kept (decision 0042).

A document is kept under the **fingerprint of what it shows**: the SHA-256 of the print HTML the PDF is made of, or
of the DOCX's outline (with the format's version). A request computes it from the bilan as its reader may see it
(what the page costs: the reads and a template; WeasyPrint and python-docx are left to the worker), then:

- a document with that fingerprint is kept: it is served (a reader who would be shown anything else has another
  fingerprint, so never gets it: nothing of a members-only démarche, a draft or a hidden contribution reaches a
  reader who may not see it, whoever asked first);
- its build failed: the page says so and offers to ask again (``document_retry``, a POST);
- else one build is enqueued for every request that finds it missing (a mark in the cache, as the meetings' feeds
  do), and the page says it is being prepared.

The worker renders as the reader who asked: the same account (or a visitor), the same language and address, and the
staff roles counted as that request's session counted them (``second_factor.withheld_from``); it checks again that
this reader may see the bilan. Any change of what the bilan shows (publication, an edit, a new contribution, an
answer, a section hidden) changes the fingerprint, hence a new build. Files live under the private ``exports/``
prefix, never at a public address: the bilan's views serve them after their checks.
"""

from __future__ import annotations

import hashlib
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone, translation

from participe.accounts.models import User
from participe.permissions import second_factor
from participe.restitution import selectors
from participe.restitution.documents import pdf, word
from participe.restitution.models import BilanDocument
from participe.restitution.selectors import Report
from participe.spaces.models import Space

logger = logging.getLogger(__name__)

# Bumped when a document changes for the same HTML or outline (another WeasyPrint option, another DOCX style).
FORMAT = "1"
# A build enqueued and not done after this is enqueued again by the next request (a worker that died).
MARK_TTL = 300
# After this, the page says the preparation takes longer than expected and offers to ask again.
SLOW = 60
# Documents kept per démarche and kind (the views of different readers, the previous versions): older ones go.
KEEP = 6

CONTENT_TYPES = {
    BilanDocument.Kind.PDF: "application/pdf",
    BilanDocument.Kind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True)
class Reader:
    """Whose view a document renders: the account (None: a visitor), whether their staff roles counted in their
    session, their language and the site's address the links start with."""

    user_id: int | None
    roles: bool
    language: str
    base_url: str

    @classmethod
    def of(cls, request: HttpRequest) -> Reader:
        user: Any = request.user
        user_id = user.pk if user.is_authenticated else None
        roles = user_id is None or second_factor.roles_count(user)
        return cls(user_id, roles, translation.get_language() or "fr", request.build_absolute_uri("/"))

    def user(self) -> Any:
        found = User.objects.filter(pk=self.user_id).first() if self.user_id is not None else None
        return found or AnonymousUser()

    @contextmanager
    def bound(self) -> Iterator[None]:
        """Permissions and strings as in the reader's request (in the worker)."""
        with translation.override(self.language), second_factor.withheld_from(None if self.roles else self.user_id):
            yield


@dataclass(frozen=True)
class Rendering:
    """A document as a reader would be shown it: its fingerprint, and how to build its file (the costly part)."""

    kind: str
    fingerprint: str
    build: Callable[[], bytes]


def rendering(kind: str, report: Report, reader: Reader) -> Rendering:
    if kind == BilanDocument.Kind.PDF:
        html = pdf.print_html(report, base_url=reader.base_url)
        digest = hashlib.sha256(f"{FORMAT}\npdf\n{reader.base_url}\n{html}".encode()).hexdigest()
        return Rendering(kind, digest, lambda: pdf.pdf_of(html, base_url=reader.base_url))
    plan = word.outline(report)
    digest = hashlib.sha256(f"{FORMAT}\ndocx\n{plan.fingerprint()}".encode()).hexdigest()
    return Rendering(kind, digest, lambda: word.render(plan))


@dataclass(frozen=True)
class State:
    """Where a reader's document stands: kept (ready or failed), or being prepared since ``since`` (a timestamp)."""

    document: BilanDocument | None
    since: float | None = None

    @property
    def ready(self) -> bool:
        return self.document is not None and self.document.status == BilanDocument.Status.READY

    @property
    def failed(self) -> bool:
        return self.document is not None and self.document.status == BilanDocument.Status.FAILED

    @property
    def waiting(self) -> bool:
        return self.document is None

    @property
    def asked(self) -> bool:
        """A build is enqueued and awaited (a POST asked for it)."""
        return self.document is None and self.since is not None

    @property
    def slow(self) -> bool:
        return self.since is not None and time.time() - self.since >= SLOW


def _mark_key(space_id: int, kind: str, fingerprint: str) -> str:
    return f"restitution:document-build:{space_id}:{kind}:{fingerprint}"


def _kept(space: Space, rendered: Rendering) -> BilanDocument | None:
    return BilanDocument.objects.filter(space=space, kind=rendered.kind, fingerprint=rendered.fingerprint).first()


def enqueue(space: Space, rendered: Rendering, reader: Reader, *, again: bool = False) -> float:
    """Enqueue one build of ``rendered`` unless one is enqueued already (``again``: unless one was enqueued less
    than ``SLOW`` seconds ago); returns when the build that is awaited was enqueued."""
    key = _mark_key(space.pk, rendered.kind, rendered.fingerprint)
    now = time.time()
    if not cache.add(key, now, MARK_TTL):
        since = cache.get(key)
        if since is not None and not (again and now - since >= SLOW):
            return float(since)
        cache.set(key, now, MARK_TTL)
    from participe.restitution.tasks import build_document

    build_document.enqueue(space.pk, rendered.kind, rendered.fingerprint, asdict(reader))
    return now


def prepare(space: Space, kind: str, report: Report, reader: Reader) -> tuple[State, Rendering]:
    """The state of ``report``'s document for ``reader``, read only (a GET never writes): kept (ready or failed), or
    awaited since a build was asked for (``services.document_retry``, a POST), or not asked for yet."""
    rendered = rendering(kind, report, reader)
    kept = _kept(space, rendered)
    if kept is not None:
        return State(kept), rendered
    since = cache.get(_mark_key(space.pk, rendered.kind, rendered.fingerprint))
    return State(None, float(since) if since is not None else None), rendered


def _report_for(space: Space, kind: str, user: Any) -> Report | None:
    """The bilan as ``user`` may see it, if they may still have this document (None: not any more)."""
    edition = selectors.edition_of(space)
    if kind == BilanDocument.Kind.DOCX:
        allowed = user.has_perm("restitution.change_bilan", space)
    else:
        allowed = user.has_perm("spaces.view_space", space) and user.has_perm("restitution.view_bilan", edition)
    return selectors.bilan_of(space, user, edition=edition) if allowed else None


def build(space_id: int, kind: str, fingerprint: str, reader: Reader) -> str:
    """Build and keep a document as ``reader`` would be shown it (the task's body). Returns ``ready``, ``changed``
    (the bilan changed since the request: kept under its new fingerprint, which the next request finds),
    ``failed``, ``refused`` (the reader may not see it any more) or ``gone``."""
    try:
        space = Space.objects.filter(pk=space_id).first()
        if space is None:
            return "gone"
        with reader.bound():
            report = _report_for(space, kind, reader.user())
            if report is None:  # the request found them allowed: say it failed rather than keep them waiting
                logger.warning("The %s of the bilan of space %s was refused to its reader.", kind, space_id)
                _keep_failure(space, kind, fingerprint, PermissionError("refused to its reader"))
                return "refused"
            try:
                rendered = rendering(kind, report, reader)
                content = rendered.build()
            except Exception as exc:
                logger.exception("The %s of the bilan of space %s failed.", kind, space_id)
                _keep_failure(space, kind, fingerprint, exc)
                return "failed"
        _keep(space, rendered, content)
        return "ready" if rendered.fingerprint == fingerprint else "changed"
    finally:
        cache.delete(_mark_key(space_id, kind, fingerprint))


def _keep(space: Space, rendered: Rendering, content: bytes) -> BilanDocument:
    """Store ``content`` under its fingerprint (a failed build of it is replaced); two workers on one fingerprint
    keep one file."""
    document = BilanDocument(space=space, kind=rendered.kind, fingerprint=rendered.fingerprint)
    document.file.save(f"{uuid.uuid4()}.{rendered.kind}", ContentFile(content), save=False)
    document.size = len(content)
    try:
        with transaction.atomic():
            BilanDocument.objects.filter(
                space=space, kind=rendered.kind, fingerprint=rendered.fingerprint, status=BilanDocument.Status.FAILED
            ).delete()
            document.save(force_insert=True)
    except IntegrityError:  # another worker kept it first
        document.file.delete(save=False)
        return BilanDocument.objects.get(space=space, kind=rendered.kind, fingerprint=rendered.fingerprint)
    _prune(space, rendered.kind)
    return document


def _keep_failure(space: Space, kind: str, fingerprint: str, exc: Exception) -> None:
    BilanDocument.objects.update_or_create(
        space=space,
        kind=kind,
        fingerprint=fingerprint,
        defaults={"status": BilanDocument.Status.FAILED, "error": str(exc)[:2000], "built_at": timezone.now()},
    )


def _prune(space: Space, kind: str) -> None:
    """Keep the ``KEEP`` newest documents of a démarche and kind; the others go with their files."""
    old = BilanDocument.objects.filter(space=space, kind=kind).order_by("-built_at", "-pk")[KEEP:]
    for document in list(old):
        forget(document)


def forget(document: BilanDocument) -> None:
    if document.file:
        document.file.delete(save=False)
    document.delete()
