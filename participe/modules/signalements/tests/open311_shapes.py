"""The shape of Open311 GeoReport v2 answers (ported from the spec's tables, the open311/schema-validation JSON
Schemas and the open311-validator rules): element names, required children, types."""

from __future__ import annotations

import datetime
from xml.etree import ElementTree as ET

SERVICE = {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
REQUEST_REQUIRED = {"service_request_id", "status", "service_code", "requested_datetime"}
REQUEST = REQUEST_REQUIRED | {
    "status_notes",
    "service_name",
    "description",
    "agency_responsible",
    "service_notice",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}
ATTRIBUTE = {"variable", "code", "datatype", "required", "datatype_description", "order", "description"}
DATATYPES = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}


def _iso(value: str) -> None:
    assert value.endswith("Z") or "+" in value[10:], value
    datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))


def root(body: bytes, name: str) -> ET.Element:
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>'), body[:60]
    element = ET.fromstring(body)
    assert element.tag == name, element.tag
    assert "}" not in element.tag  # no namespace
    return element


def check_services_xml(body: bytes) -> None:
    for service in root(body, "services"):
        assert service.tag == "service"
        assert {c.tag for c in service} >= SERVICE
        assert service.findtext("metadata") in {"true", "false"}
        assert service.findtext("type") in {"realtime", "batch", "blackbox"}


def check_definition_xml(body: bytes) -> None:
    top = root(body, "service_definition")
    assert top.findtext("service_code")
    orders = []
    for attribute in top.find("attributes") or []:
        assert attribute.tag == "attribute"
        assert {c.tag for c in attribute} >= ATTRIBUTE
        assert attribute.findtext("datatype") in DATATYPES
        assert attribute.findtext("variable") in {"true", "false"}
        orders.append(int(attribute.findtext("order") or 0))
        if attribute.findtext("datatype", "").endswith("valuelist"):
            values = attribute.find("values")
            assert values is not None and len(values) > 0
            for value in values:
                assert value.tag == "value" and value.findtext("key") is not None and value.findtext("name")
    assert all(o > 0 for o in orders) and len(set(orders)) == len(orders)


def check_requests_xml(body: bytes) -> list[ET.Element]:
    found = list(root(body, "service_requests"))
    for request in found:
        assert request.tag == "request"
        tags = {c.tag for c in request}
        if "token" in tags and "service_request_id" not in tags:
            continue
        assert tags >= REQUEST_REQUIRED, tags
        assert request.findtext("status") in {"open", "closed"}
        _iso(request.findtext("requested_datetime") or "")
        float(request.findtext("lat") or "nan")
        float(request.findtext("long") or "nan")
    return found


def check_post_xml(body: bytes) -> None:
    for request in root(body, "service_requests"):
        tags = {c.tag for c in request}
        assert "service_request_id" in tags or "token" in tags


def check_errors_xml(body: bytes, code: int) -> None:
    errors = list(root(body, "errors"))
    assert errors and errors[0].tag == "error"
    assert errors[0].findtext("code") == str(code) and errors[0].findtext("description")


def check_requests_json(data: object) -> None:
    assert isinstance(data, list)
    for request in data:
        assert set(request) >= REQUEST_REQUIRED
        assert isinstance(request["service_request_id"], str) and isinstance(request["service_code"], str)
        assert isinstance(request["lat"], int | float) and isinstance(request["long"], int | float)
        assert request["status"] in {"open", "closed"}
        _iso(request["requested_datetime"])


def check_discovery_xml(body: bytes) -> None:
    top = root(body, "discovery")
    assert {"changeset", "contact", "key_service", "endpoints"} <= {c.tag for c in top}
    for endpoint in top.find("endpoints") or []:
        assert endpoint.tag == "endpoint"
        assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
        assert endpoint.findtext("type") in {"production", "test"}
        assert [f.tag for f in endpoint.find("formats") or []] == ["format", "format"]
