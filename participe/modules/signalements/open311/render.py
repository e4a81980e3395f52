"""Open311 GeoReport v2 answers in XML and JSON (JSON follows the XML: the root container becomes an array, the
inner containers ``attributes``, ``values``, ``endpoints``, ``formats`` are always arrays)."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse, JsonResponse

XML_TYPE = "text/xml; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"
# Inner containers and the name of their items in XML.
LISTS = {"attributes": "attribute", "values": "value", "endpoints": "endpoint", "formats": "format", "notes": "note"}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _element(parent: ET.Element, name: str, value: Any) -> None:
    node = ET.SubElement(parent, name)
    if isinstance(value, dict):
        for key, inner in value.items():
            _element(node, key, inner)
    elif isinstance(value, list):
        item = LISTS.get(name, "item")
        for inner in value:
            _element(node, item, inner)
    else:
        node.text = _text(value)


def xml(root: str, item: str | None, data: Any, status: int = 200) -> HttpResponse:
    """``<root><item>…</item>…</root>`` for a list, ``<root>…</root>`` for one object (discovery)."""
    top = ET.Element(root)
    if item is None:
        for key, value in data.items():
            _element(top, key, value)
    else:
        for entry in data:
            _element(top, item, entry)
    body = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(top, encoding="utf-8", xml_declaration=False)
    return HttpResponse(body, content_type=XML_TYPE, status=status)


def json(data: Any, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, safe=False, status=status, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = JSON_TYPE
    return response


def answer(fmt: str, root: str, item: str | None, data: Any, status: int = 200) -> HttpResponse:
    return json(data, status) if fmt == "json" else xml(root, item, data, status)


def error(fmt: str, code: int, description: str) -> HttpResponse:
    """The spec's error format, with the same HTTP status."""
    return answer(fmt, "errors", "error", [{"code": code, "description": description}], status=code)
