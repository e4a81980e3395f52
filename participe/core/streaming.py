"""Streamed open-data bodies: CSV in chunks of about 64 KB, JSON arrays and GeoJSON collections item by item.

The modules' open-data exports (the manifest's ``Export.stream``) hand their rows to these generators, so that an export
of 200,000 rows is written as it is read, in a bounded memory, and every export cuts its chunks the same way.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

CHUNK_BYTES = 65536


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[object]], **writer_options: Any) -> Iterator[str]:
    """The CSV of ``header`` then ``rows``, yielded in chunks of about ``CHUNK_BYTES`` characters."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, **writer_options)
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
        if buffer.tell() > CHUNK_BYTES:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def json_array(items: Iterable[object]) -> Iterator[str]:
    """A JSON array of ``items``, one item per piece (UTF-8 kept as is)."""
    yield "["
    for i, item in enumerate(items):
        yield ("," if i else "") + json.dumps(item, ensure_ascii=False)
    yield "]"


def feature_collection(features: Iterable[dict[str, object]]) -> Iterator[str]:
    """A GeoJSON FeatureCollection of ``features``, one feature per piece."""
    yield '{"type": "FeatureCollection", "features": ['
    for i, feature in enumerate(features):
        yield ("," if i else "") + json.dumps(feature, ensure_ascii=False)
    yield "]}"
