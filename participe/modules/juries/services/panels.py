"""The panel, its features and quotas, and its pool (the volunteers' form and the agents' CSV import)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participe.accounts.models import User
from participe.activity.services import audit
from participe.modules.juries.models import Feature, FeatureValue, Panel, Volunteer
from participe.modules.juries.sortition.csvio import LineError, _lower, _reader
from participe.permissions.refusals import Reason, require
from participe.spaces.models import Module

NOT_STAFF = Reason("not_space_staff", gettext_lazy("Seule l'équipe de la démarche organise le jury."))
MAX_IMPORT = 20_000


def panel_of(module: Module) -> Panel:
    """The module's panel (made on first use: reading it writes nothing but this empty row, on a write path)."""
    panel, _created = Panel.objects.get_or_create(module=module)
    return panel


def _unlocked(panel: Panel) -> None:
    if panel.draws.exists():
        raise ValidationError(_("Un tirage a été engagé : les questions, les quotas et la taille ne changent plus."))


@transaction.atomic
def panel_configure(*, actor: User, module: Module, size: int, registration_open: bool, presentation: str) -> Panel:
    """The size, whether volunteers may register and the presentation; the size is frozen by the first commitment."""
    require(actor, "juries.manage_panel", module, reason=NOT_STAFF)
    panel = Panel.objects.select_for_update().get(pk=panel_of(module).pk)
    if size != panel.size:
        _unlocked(panel)
    if not 2 <= size <= 500:
        raise ValidationError({"size": _("Un jury compte de 2 à 500 membres.")})
    before = {"size": panel.size, "registration_open": panel.registration_open}
    panel.size, panel.registration_open, panel.presentation = size, registration_open, presentation.strip()
    panel.save()
    audit(
        actor=actor,
        action="juries.configure",
        target=module,
        before=before,
        after={"size": size, "registration_open": registration_open},
    )
    return panel


@dataclass
class ValueLine:
    label: str
    minimum: int = 0
    maximum: int = 0
    share: Decimal | None = None


_LINE = re.compile(r"^(?P<label>[^;]+?)\s*;\s*(?P<a>[\d.,]+)\s*(?P<pct>%?)\s*(?:;\s*(?P<b>\d+)\s*)?$")


def parse_values(text: str) -> list[ValueLine]:
    """« Femme ; 11 ; 13 » (minimum and maximum) or « Femme ; 51,6 % » (share of the population), one per line."""
    lines, errors = [], []
    for number, raw in enumerate((r for r in text.splitlines() if r.strip()), start=1):
        match = _LINE.match(raw.strip())
        try:
            if not match:
                raise ValueError
            if match["pct"] and not match["b"]:
                share = Decimal(match["a"].replace(",", "."))
                if not 0 <= share <= 100:
                    raise ValueError
                lines.append(ValueLine(match["label"], share=share))
            elif match["b"] and not match["pct"]:
                low, high = int(match["a"]), int(match["b"])
                if low > high:
                    raise ValueError
                lines.append(ValueLine(match["label"], low, high))
            else:
                raise ValueError
        except (ValueError, InvalidOperation):
            errors.append(
                _("Ligne %(n)s : « %(line)s » : écrivez « réponse ; minimum ; maximum » ou « réponse ; part %% ».")
                % {"n": number, "line": raw.strip()[:80]}
            )
    if len(lines) < 2 and not errors:
        errors.append(_("Une caractéristique a au moins deux réponses, une par ligne."))
    if errors:
        raise ValidationError({"values": errors})
    return lines


@transaction.atomic
def feature_save(*, actor: User, module: Module, label: str, values: str, feature: Feature | None = None) -> Feature:
    """Add a feature (or replace ``feature``'s question and values) with its quotas, before any commitment."""
    require(actor, "juries.manage_panel", module, reason=NOT_STAFF)
    panel = Panel.objects.select_for_update().get(pk=panel_of(module).pk)
    _unlocked(panel)
    label = label.strip()
    if not label:
        raise ValidationError({"label": _("Écrivez la question posée aux volontaires.")})
    lines = parse_values(values)
    if feature is None:
        key = slugify(label)[:40] or "caracteristique"
        if panel.features.filter(key=key).exists():
            raise ValidationError({"label": _("Cette caractéristique existe déjà.")})
        position = (panel.features.aggregate(m=Max("position"))["m"] or 0) + 1
        feature = Feature.objects.create(panel=panel, key=key, label=label, position=position)
    else:
        feature.label = label
        feature.save(update_fields=["label"])
    keep = {}
    for i, line in enumerate(lines):
        key = slugify(line.label)[:40] or f"v{i}"
        if key in keep:
            raise ValidationError(
                {"values": _("La réponse « %(label)s » est écrite deux fois.") % {"label": line.label}}
            )
        keep[key] = FeatureValue.objects.update_or_create(
            feature=feature,
            key=key,
            defaults={
                "label": line.label.strip(),
                "minimum": line.minimum,
                "maximum": line.maximum,
                "share": line.share,
                "position": i,
            },
        )[0]
    feature.values.exclude(key__in=keep).delete()
    audit(actor=actor, action="juries.feature", target=module, after={"feature": label, "values": values})
    return feature


def _next_reference(panel: Panel) -> int:
    last = panel.volunteers.order_by("-reference").values_list("reference", flat=True).first()
    return int(last[1:]) + 1 if last else 1


def _check_profile(panel: Panel, profile: dict[str, str]) -> dict[str, str]:
    clean, errors = {}, {}
    for feature in panel.features.prefetch_related("values"):
        keys = {v.key for v in feature.values.all()}
        value = profile.get(feature.key, "")
        if value not in keys:
            errors[f"f_{feature.key}"] = _("Choisissez une réponse.")
        clean[feature.key] = value
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def volunteer_register(*, actor: User, module: Module, profile: dict[str, str], name_public: bool) -> Volunteer:
    """Put ``actor`` in the pool with their answers (or change their answers while they are only volunteers).

    Refused unless the actor may take part (``juries.volunteer``: signed in, eligible under the module's rule) and the
    registrations are open; the panel's row is locked so that two volunteers never get the same draw number."""
    require(actor, "juries.volunteer", module)
    panel = Panel.objects.select_for_update().get(pk=panel_of(module).pk)
    if not panel.registration_open:
        raise ValidationError(_("Les inscriptions au tirage au sort sont closes."))
    clean = _check_profile(panel, profile)
    volunteer = panel.volunteers.filter(user=actor).first()
    if volunteer is not None and volunteer.status != Volunteer.Status.POOL:
        raise ValidationError(_("Vous avez été tiré·e au sort : vos réponses ne changent plus."))
    if volunteer is None:
        volunteer = Volunteer(panel=panel, user=actor, reference=f"V{_next_reference(panel):04d}")
    volunteer.profile, volunteer.name_public = clean, name_public
    volunteer.name = actor.get_full_name() if hasattr(actor, "get_full_name") else ""
    volunteer.email = actor.email or ""
    volunteer.save()
    audit(actor=actor, action="juries.volunteer", target=module, after={"reference": volunteer.reference})
    return volunteer


@dataclass
class ImportReport:
    rows: list[dict[str, object]] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    imported: int = 0


def _value_keys(feature: Feature) -> dict[str, str]:
    """A feature's values by key and by slugified label, so each line of a pool file costs one look-up."""
    keys: dict[str, str] = {}
    for value in feature.values.all():  # in order: the first value a text names wins, as before
        keys.setdefault(value.key, value.key)
        keys.setdefault(slugify(value.label), value.key)
    return keys


def read_pool(panel: Panel, text: str) -> ImportReport:
    """Check a pool file: a column per feature (its key or its question), values by key or label; ``nom`` and
    ``email`` optional. Each bad line is reported with its number (the header is line 1)."""
    report = ImportReport()
    reader = _reader(text)
    names = _lower(reader.fieldnames)
    features = list(panel.features.prefetch_related("values"))
    columns, values = {}, {feature.key: _value_keys(feature) for feature in features}
    for feature in features:
        column = names.get(feature.key.lower()) or names.get(feature.label.strip().lower())
        if column is None:
            report.errors.append(LineError(1, _("aucune colonne « %(key)s »") % {"key": feature.key}))
        columns[feature.key] = column
    if report.errors:
        return report
    for line, row in enumerate(reader, start=2):
        if line > MAX_IMPORT + 1:
            report.errors.append(LineError(line, _("au plus %(n)s lignes par fichier") % {"n": MAX_IMPORT}))
            break
        profile, bad = {}, []
        for feature in features:
            raw = (row.get(columns[feature.key]) or "").strip()
            value = values[feature.key].get(slugify(raw))
            if value is None:
                bad.append(f"{feature.label} : « {raw} »")
            profile[feature.key] = value or ""
        email = (row.get(names.get("email", "")) or "").strip()
        if bad:
            report.errors.append(LineError(line, _("réponse inconnue : %(values)s") % {"values": ", ".join(bad)}))
        elif email and ("@" not in email or len(email) > 254):
            report.errors.append(LineError(line, _("adresse électronique invalide : %(email)s") % {"email": email}))
        else:
            name = (row.get(names.get("nom", names.get("name", ""))) or "").strip()[:150]
            report.rows.append({"profile": profile, "email": email, "name": name})
    return report


@transaction.atomic
def pool_import(*, actor: User, module: Module, text: str, confirm: bool) -> ImportReport:
    """Import a pool file: with bad lines, nothing is written unless ``confirm`` (then the good lines only)."""
    require(actor, "juries.manage_panel", module, reason=NOT_STAFF)
    panel = Panel.objects.select_for_update().get(pk=panel_of(module).pk)
    report = read_pool(panel, text)
    if (report.errors and not confirm) or not report.rows:
        return report
    start = _next_reference(panel)
    Volunteer.objects.bulk_create(
        Volunteer(panel=panel, reference=f"V{start + i:04d}", source=Volunteer.Source.IMPORT, **row)  # type: ignore[arg-type]
        for i, row in enumerate(report.rows)
    )
    report.imported = len(report.rows)
    audit(
        actor=actor,
        action="juries.import",
        target=module,
        after={"imported": report.imported, "rejected": len(report.errors)},
    )
    return report
