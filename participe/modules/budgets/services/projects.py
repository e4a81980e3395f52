"""Writes of the projects: entered by an agent, imported from a CSV file (every line checked, nothing written when
one is wrong), made from the retained proposals a module of the same démarche offers (``participe.links``)."""

from __future__ import annotations

import csv
import decimal
import io
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Model
from django.utils.html import escape
from django.utils.translation import gettext as _

from participe.activity.services import audit, snapshot
from participe.core.sanitize import sanitize_html
from participe.links import selectors as links
from participe.links.models import Link
from participe.links.services import link_create
from participe.modules.budgets.models import Category, Envelope, Project
from participe.notifications.services import follow_author
from participe.organisation.models import Territory
from participe.permissions.refusals import require
from participe.spaces.models import Module

PERM = "budgets.manage_budget"
FIELDS = [
    "envelope",
    "title",
    "description",
    "image",
    "image_alt",
    "territory",
    "category",
    "address",
    "latitude",
    "longitude",
    "estimated_cost",
]
CSV_COLUMNS = ("titre", "description", "enveloppe", "cout", "quartier", "categorie", "adresse", "latitude", "longitude")
MAX_CSV_LINES = 2000


def _locked_module(module: Module) -> Module:
    """The module's row, locked: project numbers are given one at a time."""
    return Module.objects.select_for_update().get(pk=module.pk)


def _next_reference(module: Module) -> int:
    return (Project.objects.filter(module=module).aggregate(n=Max("reference"))["n"] or 0) + 1


def _check(project: Project) -> None:
    envelope = project.envelope
    if envelope.module_id != project.module_id:
        raise ValidationError({"envelope": _("Cette enveloppe n'est pas celle de ce budget.")})
    if envelope.election_id and project.pk is None:
        raise ValidationError({"envelope": _("Le vote de cette enveloppe est ouvert : on n'y ajoute plus de projet.")})
    if project.estimated_cost > envelope.amount:
        raise ValidationError(
            {
                "estimated_cost": _("Le projet coûte plus que l'enveloppe « %(envelope)s » (%(amount)s €).")
                % {"envelope": envelope.title, "amount": envelope.amount}
            }
        )
    if project.category is not None and project.category.envelope_id != envelope.pk:
        raise ValidationError({"category": _("Cette catégorie n'est pas celle de l'enveloppe choisie.")})
    if (project.latitude is None) != (project.longitude is None):
        raise ValidationError({"latitude": _("Indiquez la latitude et la longitude, ou aucune des deux.")})


def _build(module: Module, project: Project | None, data: dict[str, Any]) -> Project:
    project = project or Project(module=module)
    for name in FIELDS:
        if name in data:
            setattr(project, name, data[name])
    project.description = sanitize_html(project.description or "")
    project.full_clean(exclude=["module", "merged_into", "author"])
    _check(project)
    return project


@transaction.atomic
def project_save(*, actor: Any, module: Module, project: Project | None, data: dict[str, Any]) -> Project:
    """Create a project (``project`` None: entered by an agent) or change one. Its envelope's vote being open, the
    cost and the envelope of a project on the ballot no longer change."""
    require(actor, PERM, module)
    module = _locked_module(module)
    before = None
    if project is not None:
        project = Project.objects.select_for_update().select_related("envelope").get(pk=project.pk)
        before = snapshot(project, ["title", "envelope", "estimated_cost"])
        if project.envelope.election_id and any(
            name in data and getattr(project, name) != data[name] for name in ("estimated_cost", "envelope")
        ):
            raise ValidationError(_("Le vote est ouvert : le coût et l'enveloppe de ce projet ne changent plus."))
    project = _build(module, project, data)
    if project.pk is None:
        project.reference = _next_reference(module)
    project.save()
    audit(
        actor=actor,
        action="budgets.project_create" if before is None else "budgets.project_update",
        target=project,
        before=before,
        after=snapshot(project, ["title", "envelope", "estimated_cost"]),
    )
    return project


# --- CSV import -----------------------------------------------------------------------------------------------
@dataclass
class ImportReport:
    created: list[Project]
    errors: list[tuple[int, str]]  # (line number, message) — nothing is written when there is one


def _decimal(value: str, field: str) -> decimal.Decimal | None:
    if not value.strip():
        return None
    try:
        return decimal.Decimal(value.strip().replace(",", "."))
    except decimal.InvalidOperation:
        raise ValidationError({field: _("« %(value)s » n'est pas un nombre.") % {"value": value}}) from None


def _cost(value: str) -> int:
    cleaned = value.replace("€", "").replace("\u202f", "").replace("\xa0", "").replace(" ", "").strip()
    if not cleaned:
        raise ValidationError({"estimated_cost": _("Le coût est obligatoire.")})
    if not cleaned.lstrip("-").isdigit():
        raise ValidationError(
            {"estimated_cost": _("Le coût « %(value)s » n'est pas un nombre entier d'euros.") % {"value": value}}
        )
    cost = int(cleaned)
    if cost <= 0:
        raise ValidationError({"estimated_cost": _("Un coût est un montant positif.")})
    return cost


def _row_data(module: Module, row: dict[str, str], envelopes: dict[str, Envelope]) -> dict[str, Any]:
    envelope_name = (row.get("enveloppe") or "").strip()
    envelope = envelopes.get(envelope_name.casefold()) or (
        next(iter(envelopes.values())) if len(envelopes) == 1 and not envelope_name else None
    )
    if envelope is None:
        raise ValidationError({"envelope": _("Enveloppe « %(name)s » inconnue.") % {"name": envelope_name}})
    data: dict[str, Any] = {
        "envelope": envelope,
        "title": (row.get("titre") or "").strip(),
        "description": escape((row.get("description") or "").strip()),
        "estimated_cost": _cost(row.get("cout") or ""),
        "address": (row.get("adresse") or "").strip(),
        "latitude": _decimal(row.get("latitude") or "", "latitude"),
        "longitude": _decimal(row.get("longitude") or "", "longitude"),
    }
    quartier = (row.get("quartier") or "").strip()
    if quartier:
        data["territory"] = Territory.objects.filter(name__iexact=quartier).first()
        if data["territory"] is None:
            raise ValidationError({"territory": _("Quartier « %(name)s » inconnu.") % {"name": quartier}})
    category = (row.get("categorie") or "").strip()
    if category:
        data["category"] = Category.objects.filter(envelope=envelope, name__iexact=category).first()
        if data["category"] is None:
            raise ValidationError({"category": _("Catégorie « %(name)s » inconnue.") % {"name": category}})
    return data


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(m for ms in error.message_dict.values() for m in ms)
    return " ".join(error.messages)


def _read_csv(text: str) -> list[dict[str, str]]:
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter)
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in ("titre", "cout") if c not in headers]
    if missing:
        raise ValidationError(
            _("Colonnes manquantes : %(columns)s (attendues : %(expected)s).")
            % {"columns": ", ".join(missing), "expected": ", ".join(CSV_COLUMNS)}
        )
    rows = [{(k or "").strip().lower(): (v or "") for k, v in row.items()} for row in reader]
    if len(rows) > MAX_CSV_LINES:
        raise ValidationError(_("Au plus %(n)s projets par fichier.") % {"n": MAX_CSV_LINES})
    return rows


def projects_import_csv(*, actor: Any, module: Module, text: str) -> ImportReport:
    """Create a project per line of a CSV file (columns ``CSV_COLUMNS``; ``;`` or ``,``); each wrong line is reported
    with its number and nothing is written unless every line is right."""
    require(actor, PERM, module)
    rows = _read_csv(text)
    envelopes = {e.title.casefold(): e for e in Envelope.objects.filter(module=module)}
    errors: list[tuple[int, str]] = []
    built: list[Project] = []
    with transaction.atomic():
        locked = _locked_module(module)
        reference = _next_reference(locked)
        for number, row in enumerate(rows, start=2):  # line 1 is the header
            try:
                project = _build(locked, None, _row_data(locked, row, envelopes))
            except ValidationError as error:
                errors.append((number, _messages(error)))
                continue
            project.origin, project.reference = Project.Origin.CSV, reference
            reference += 1
            built.append(project)
        if errors or not built:
            if not errors:
                errors.append((1, _("Le fichier ne contient aucun projet.")))
            transaction.set_rollback(True)
            return ImportReport([], errors)
        for project in built:
            project.save()
        audit(actor=actor, action="budgets.projects_import", target=locked, after={"projects": len(built)})
    return ImportReport(built, [])


# --- From another module's candidates (decision 0011) -------------------------------------------------------------
def candidate_groups(module: Module) -> list[links.CandidateGroup]:
    """The retained proposals (offers of kind ``idea``) of the démarche's other modules."""
    return [g for g in links.candidates(module.space, "idea") if g.module.pk != module.pk]


def _field(origin: Model, *names: str) -> Any:
    for name in names:
        value = getattr(origin, name, None)
        if value not in (None, ""):
            return value
    return None


@transaction.atomic
def projects_from_candidates(*, actor: Any, module: Module, origins: list[Model], envelope: Envelope) -> list[Project]:
    """A project per retained proposal (its title, text, place, quartier, cost and author copied), linked back to
    it; a proposal already made a project of this budget is skipped. Its author follows the project."""
    require(actor, PERM, module)
    if envelope.module_id != module.pk:
        raise ValidationError({"envelope": _("Cette enveloppe n'est pas celle de ce budget.")})
    locked = _locked_module(module)
    reference = _next_reference(locked)
    made = []
    for origin in origins:
        if Project.objects.filter(module=module, pk__in=_derived_ids(origin)).exists():
            continue
        cost = _field(origin, "estimated_cost")
        project = Project(
            module=locked,
            envelope=envelope,
            reference=reference,
            origin=Project.Origin.PROPOSAL,
            title=str(origin)[:200],
            description=sanitize_html(_field(origin, "body", "description") or ""),
            address=_field(origin, "address") or "",
            latitude=_field(origin, "latitude"),
            longitude=_field(origin, "longitude"),
            territory_id=getattr(origin, "territory_id", None),
            estimated_cost=max(1, int(cost)) if cost is not None else 1,
            author=getattr(origin, "author", None),
        )
        if project.estimated_cost > envelope.amount:
            raise ValidationError(
                _("« %(title)s » coûte plus que l'enveloppe : choisissez une autre enveloppe.") % {"title": project}
            )
        project.save()
        link_create(actor=actor, origin=origin, derived=project, kind="idea")
        follow_author(user=project.author, target=project)
        audit(actor=actor, action="budgets.project_from_proposal", target=project, after={"origin": str(origin)})
        made.append(project)
        reference += 1
    return made


def _derived_ids(origin: Model) -> list[int]:
    return list(
        Link.objects.filter(
            origin_type=ContentType.objects.get_for_model(origin),
            origin_id=origin.pk,
            derived_type=ContentType.objects.get_for_model(Project),
        ).values_list("derived_id", flat=True)
    )
