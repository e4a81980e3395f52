"""Sweep (3): the authorization matrix. Every URL pattern, its parameters filled from real demo objects,
requested (GET) as each role; each outcome is checked against invariants and the declared expectations.

Outcomes: ok (2xx), login (redirect to the login page), second_factor (redirect to the page where staff type their
authenticator's code or activate one, then come back), redirect (elsewhere), forbidden (403), notfound (404),
method (405), error (5xx), unfilled (no object to fill the parameters with).

The role "staff_nomfa" (the organisation administrator in a session that passed only the password) is checked by one
rule rather than a column of expectations: under /gestion/ the second factor is asked, everywhere else they get what
the participant gets (``STAFF_NOMFA`` in the expectations names the few URLs where the two accounts' own data differ).
"""

from __future__ import annotations

import pkgutil
import re
from collections.abc import Iterator
from importlib import import_module
from types import ModuleType
from typing import Any

from audit import expectations
from audit.common import ROLES, http_session
from audit.expectations import EXPECTATIONS, PRIVATE_PREFIXES, SKIP_NAMES, STAFF_NOMFA

PARAM = re.compile(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>[^)]*\)")
# Which model an integer parameter names, from the path segment before it (or the parameter's own name).
SEGMENT_MODELS = {
    "espaces": "spaces.Space",
    "modules": "spaces.Module",
    "module": "spaces.Module",
    "etapes": "spaces.Phase",
    "territoires": "organisation.Territory",
    "themes": "organisation.Theme",
    "services": "organisation.Service",
    "agents": "accounts.User",
    "membres": "spaces.SpaceMembership",
    "documents": "spaces.SpaceDocument",
    "actualites": "spaces.NewsPost",
    "utilisateurs": "accounts.User",
    "comptes": "accounts.User",
    "guichet": "accounts.User",
    "comptes-geres": "accounts.User",
    "eligibilite": "verifications.EligibilityRule",
    "verifications": "verifications.Verification",
    "journal": "activity.AuditEntry",
    "commentaires": "comments.Comment",
    "moderation": "moderation.ModerationCase",
    "pieces-jointes": "attachments.Attachment",
    "messages": "notifications.FollowerMessage",
    "notifications": "notifications.Notification",
    "propositions": "proposals.Proposal",
    "notes": "assignments.Note",
    "sujets": "debate.Subject",
    "questionnaires": "surveys.Questionnaire",
    "questions": "surveys.Question",
    "exports": "surveys.ExportJob",
}
# API parameters named after their model (``/api/v1/debate/subjects/<subject_id>``).
PARAM_MODELS = {
    "user_pk": "accounts.User",
    "comment_id": "comments.Comment",
    "notification_id": "notifications.Notification",
    "subject_id": "debate.Subject",
    "proposal_id": "proposals.Proposal",
}


def walk(patterns: Any, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    from django.urls import URLResolver

    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif pattern.name:
            yield prefix + str(pattern.pattern), namespace + pattern.name


class Filler:
    """Parameter values from the demo: the budget space (the agent administers it, the moderator does not)."""

    def __init__(self) -> None:
        from django.apps import apps

        from participe.spaces.models import Module, Space

        self.apps = apps
        self.space = Space.objects.get(slug="budget-participatif-2027")
        self.module = Module.objects.filter(space=self.space).first()
        self.hooks = _app_params()

    def first_pk(self, label: str, **filters: Any) -> int | None:
        try:
            model = self.apps.get_model(label)
        except LookupError:
            return None
        pk = model._default_manager.filter(**filters).order_by("pk").values_list("pk", flat=True).first()
        return int(pk) if pk is not None else None

    def model_for(self, route: str, name: str, param: str) -> tuple[str, dict[str, Any]]:
        before = route.split(f"<{param}>")[0] if f"<{param}>" in route else route.split(param)[0]
        segments = [s for s in re.sub(r"<[^>]+>", "", before).split("/") if s]
        if param in ("module_pk", "module_id"):
            kind = self.module_type(route, name)
            return "spaces.Module", ({"module_type": kind} if kind else {})
        if param in PARAM_MODELS:
            return PARAM_MODELS[param], {}
        for segment in reversed(segments):
            if segment in SEGMENT_MODELS:
                return SEGMENT_MODELS[segment], {}
        app = name.split(":")[0].split("_")[0]
        models = [m for m in self.apps.get_app_config(app).get_models()] if app in self.apps.app_configs else []
        return (models[0]._meta.label if models else ""), {}

    def module_type(self, route: str, name: str) -> str | None:
        """The module type a URL belongs to: a namespace (``spaces:surveys:…``) or a path segment (``m/debate/``)."""
        from participe.core.registry import registry

        for part in [*name.split(":")[:-1], *route.split("/")]:
            if part and registry.get(part) is not None:
                return part
        return None

    def scope(self, label: str) -> dict[str, Any]:
        """Prefer objects of the budget space, so the space's staff and outsiders differ."""
        scoped = {
            "spaces.Space": {"pk": self.space.pk},
            "spaces.Module": {"space": self.space},
            "spaces.Phase": {"module__space": self.space},
            "spaces.NewsPost": {"space": self.space},
            "spaces.SpaceMembership": {"space": self.space},
            "spaces.SpaceDocument": {"space": self.space},
            "comments.Comment": {"module__space": self.space},
            "proposals.Proposal": {"module__space": self.space},
            "verifications.EligibilityRule": {"module__space": self.space},
        }
        return scoped.get(label, {})

    def fill(self, route: str, name: str) -> str | None:
        if name in self.hooks:
            values = self.hooks[name]()
            return None if values is None else _substitute(route, values)
        values: dict[str, Any] = {}
        module = self.module_of_type(self.module_type(route, name) if name.startswith("spaces:") else None)
        for converter, param, regex_param in PARAM.findall(route):
            param = param or regex_param
            if param == "slug":
                values[param] = module.space.slug if module else self.space.slug
            elif param == "module_slug":
                values[param] = module.slug if module else None
            elif param in ("content_type_id", "object_id"):
                values.update(self.resource())
            elif converter in ("str", "path") or regex_param:
                values[param] = "inconnu"
            else:
                values[param] = self.pk_for(route, name, param)
        if any(v is None for v in values.values()):
            return None
        return _substitute(route, values)

    def module_of_type(self, module_type: str | None) -> Any:
        """A module of that type, of the budget space if it has one (else the first); any budget module if None."""
        from participe.spaces.models import Module

        if module_type is None:
            return self.module
        modules = Module.objects.select_related("space").filter(module_type=module_type).order_by("pk")
        return modules.filter(space=self.space).first() or modules.first()

    def pk_for(self, route: str, name: str, param: str) -> int | None:
        label, filters = self.model_for(route, name, param)
        if not label:
            return None
        return self.first_pk(label, **{**self.scope(label), **filters}) or self.first_pk(label, **filters)

    def resource(self) -> dict[str, Any]:
        """A published item of the budget space's modules (a proposal): comments, supports, reports, files."""
        from django.contrib.contenttypes.models import ContentType

        from participe.core.registry import registry

        resources = sorted(
            registry.resources(), key=lambda r: (r.model != "proposals.Proposal", r.model == "comments.Comment")
        )
        for resource in resources:
            try:
                model = self.apps.get_model(resource.model)
            except LookupError:
                continue
            rows = model._default_manager.order_by("pk")
            names = {f.name for f in model._meta.get_fields()}
            if "module" in names:
                rows = rows.filter(module__space=self.space)
            if "status" in names:
                rows = rows.filter(status="published")
            obj = rows.first()
            if obj is not None:
                return {"content_type_id": ContentType.objects.get_for_model(model).pk, "object_id": obj.pk}
        return {"content_type_id": None, "object_id": None}


def _substitute(route: str, values: dict[str, Any]) -> str:
    def one(match: re.Match[str]) -> str:
        return str(values[match.group(2) or match.group(3)])

    path = PARAM.sub(one, route)
    return "/" + path.replace("^", "").replace("$", "").replace("\\.", ".")


def declared_expectations() -> list[ModuleType]:
    """The modules holding ``EXPECTATIONS`` / ``PARAMS`` beyond the core's: each platform app's in
    ``audit/expectations/<app>.py``, each participation module's where its manifest says (``authz_expectations``)."""
    from participe.core.registry import registry

    found = [
        import_module(f"{expectations.__name__}.{info.name}") for info in pkgutil.iter_modules(expectations.__path__)
    ]
    found += [import_module(m.authz_expectations) for m in registry.all() if m.authz_expectations]
    return found


def _app_params() -> dict[str, Any]:
    """``PARAMS`` of every declared expectations module (url name -> callable returning kwargs); their
    ``EXPECTATIONS`` and ``STAFF_NOMFA`` join the core's."""
    found: dict[str, Any] = {}
    for module in declared_expectations():
        found.update(getattr(module, "PARAMS", {}))
        EXPECTATIONS.update(getattr(module, "EXPECTATIONS", {}))
        STAFF_NOMFA.update(getattr(module, "STAFF_NOMFA", {}))
    return found


SECOND_FACTOR_PAGES = ("/compte/2fa/reauthenticate/?next=", "/compte/2fa/totp/activate/?next=")


def outcome(response: Any) -> str:
    status = response.status_code
    if status >= 500:
        return "error"
    if status in (301, 302, 303, 307, 308):
        location = response.headers.get("Location", "")
        if location.startswith(SECOND_FACTOR_PAGES):
            return "second_factor"
        return "login" if "/compte/login/" in location else "redirect"
    return {403: "forbidden", 404: "notfound", 405: "method"}.get(status, "ok" if status < 300 else str(status))


def check_staff_nomfa(path: str, name: str, result: str, participant: str) -> str | None:
    """Staff whose session has not passed the second factor: asked for it in the back-office, else a participant."""
    if result == "error":
        return "server error"
    if name in STAFF_NOMFA:
        return None if result in STAFF_NOMFA[name] else f"expected {'/'.join(sorted(STAFF_NOMFA[name]))}"
    if path.startswith("/gestion/"):
        return None if result == "second_factor" else "back-office page not asking staff for the second factor"
    return None if result == participant else f"expected what the participant gets ({participant})"


def check(path: str, name: str, role: str, result: str) -> str | None:
    """The reason this outcome is wrong, or None ("staff_nomfa": see ``check_staff_nomfa``)."""
    declared = EXPECTATIONS.get(name, {})
    wanted = declared.get(role) or declared.get("*")
    if result == "error":
        return "server error"
    if wanted is not None:
        return None if result in wanted else f"expected {'/'.join(sorted(wanted))}"
    staff_area = path.startswith("/gestion/")
    if staff_area and role == "anonymous" and result not in ("login", "method", "notfound"):
        return "back-office page not behind the login"
    if staff_area and role in ("participant", "verified") and result in ("ok", "redirect"):
        return "back-office page open to a participant"
    if staff_area and role == "admin" and result == "forbidden":
        return "back-office page refused to the organisation admin"
    if role == "anonymous" and path.startswith(PRIVATE_PREFIXES) and result == "ok":
        return "private page open to a visitor"
    return None


def sweep(base: str) -> dict[str, Any]:
    from django.urls import get_resolver

    filler = Filler()
    sessions = {role: http_session(role) for role in ROLES}
    rows, failures, unfilled = [], [], []
    for route, name in walk(get_resolver().url_patterns):
        if name in SKIP_NAMES:
            continue
        path = filler.fill(route, name)
        if path is None:
            unfilled.append(name)
            continue
        row = {"name": name, "path": path}
        for role in ROLES:
            response = sessions[role].get(base + path, allow_redirects=False, timeout=30)
            row[role] = outcome(response)
            if role == "staff_nomfa":
                reason = check_staff_nomfa(path, name, row[role], row["participant"])
            else:
                reason = check(path, name, role, row[role])
            if reason:
                failures.append(f"{name} {path} as {role}: {row[role]} ({reason})")
        rows.append(row)
    return {"rows": rows, "failures": failures, "unfilled": unfilled}


def markdown(report: dict[str, Any]) -> str:
    lines = ["| url name | path | " + " | ".join(ROLES) + " |", "| --- | --- |" + " --- |" * len(ROLES)]
    for row in report["rows"]:
        lines.append(f"| {row['name']} | {row['path']} | " + " | ".join(row[r] for r in ROLES) + " |")
    return "\n".join(lines) + "\n"


def summary(report: dict[str, Any]) -> list[str]:
    lines = [
        f"authorization matrix: {len(report['rows'])} URLs × {len(ROLES)} roles, {len(report['failures'])} failure(s)"
    ]
    lines += [f"  {f}" for f in report["failures"]]
    if report["unfilled"]:
        lines.append(f"  not requested (no demo object for their parameters): {', '.join(report['unfilled'])}")
    return lines


def failed(report: dict[str, Any]) -> bool:
    return bool(report["failures"])
