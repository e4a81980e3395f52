"""The open-data catalogue through the API: every published dataset with its download addresses."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from participe.opendata import selectors

router = Router(tags=["open data"])


class FileOut(Schema):
    format: str
    url: str


class DatasetOut(Schema):
    space: str
    space_title: str
    module_id: int
    module_title: str
    module_type: str
    key: str
    name: str
    description: str
    files: list[FileOut]


@router.get("/datasets", response=list[DatasetOut])
def dataset_list(request: HttpRequest) -> list[dict[str, Any]]:
    """The files the démarches publish as open data (no personal data), with their absolute addresses."""
    return [
        {
            "space": item.space.slug,
            "space_title": item.space.title,
            "module_id": item.module.pk,
            "module_title": item.module.title,
            "module_type": item.module.module_type,
            "key": item.export.key,
            "name": str(item.export.name),
            "description": str(item.export.description),
            "files": [{"format": fmt, "url": request.build_absolute_uri(url)} for fmt, _label, url in item.files],
        }
        for item in selectors.datasets()
    ]
