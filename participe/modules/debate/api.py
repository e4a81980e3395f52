"""Read endpoints of the debate module, under /api/v1/debate/ (public data, no authentication needed)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from participe.core.schemas import Id, errors
from participe.modules.debate import selectors
from participe.modules.debate.models import Subject
from participe.spaces.models import Module

router = Router(tags=["debate"])


class StanceCountsOut(Schema):
    favorable: int
    neutral: int
    unfavorable: int


class SubjectOut(Schema):
    id: int
    module_id: int
    title: str
    summary: str
    position: int
    url: str
    published_at: datetime.datetime | None
    comments_count: int
    stances: StanceCountsOut
    followers_count: int
    synthesis_published: bool


class SubjectDetailOut(SubjectOut):
    body: str
    image: str | None
    image_alt: str
    synthesis: str | None
    synthesis_published_at: datetime.datetime | None


def _out(request: HttpRequest, subject: Subject) -> dict[str, Any]:
    return {
        "id": subject.pk,
        "module_id": subject.module_id,
        "title": subject.title,
        "summary": subject.summary,
        "position": subject.position,
        "url": request.build_absolute_uri(subject.get_absolute_url()),
        "published_at": subject.published_at,
        "comments_count": subject.comments_count,
        "stances": {
            "favorable": subject.comments_favorable_count,
            "neutral": subject.comments_neutral_count,
            "unfavorable": subject.comments_unfavorable_count,
        },
        "followers_count": subject.followers_count,
        "synthesis_published": subject.synthesis_is_published,
    }


@router.get("/modules/{module_id}/subjects", response={200: list[SubjectOut], **errors(404, 422)})
def subject_list(request: HttpRequest, module_id: Id) -> list[dict[str, Any]]:
    """The published questions of a debate module, in their order, with their comment counts per stance."""
    module = get_object_or_404(Module.objects.select_related("space"), pk=module_id, module_type="debate")
    if not request.user.has_perm("spaces.view_module", module):
        raise HttpError(404, "Not found")
    return [_out(request, s) for s in selectors.subjects_for_page(module)]


@router.get("/subjects/{subject_id}", response={200: SubjectDetailOut, **errors(404, 422)})
def subject_detail(request: HttpRequest, subject_id: Id) -> dict[str, Any]:
    """A published question: its presentation (sanitised HTML), its counts and its synthesis once published."""
    subject = get_object_or_404(Subject.objects.select_related("module__space"), pk=subject_id)
    if not subject.is_published or not request.user.has_perm("debate.view_subject", subject):
        raise HttpError(404, "Not found")
    return _out(request, subject) | {
        "body": subject.body,
        "image": request.build_absolute_uri(subject.image.url) if subject.image else None,
        "image_alt": subject.image_alt,
        "synthesis": subject.synthesis if subject.synthesis_is_published else None,
        "synthesis_published_at": subject.synthesis_published_at if subject.synthesis_is_published else None,
    }
