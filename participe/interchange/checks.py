"""Start-up checks of the interchange contracts (docs/reversibility.md, « How a module declares its contract »).

- interchange.E001: a contract names a model its app does not have (or a credential field the model lacks).
- interchange.E002: a model is both carried (``models=``) and excluded.
- interchange.E003: an explicit ``models=`` list leaves a model of the app neither carried nor excluded.
- interchange.E004: an exclusion without its reason.
- interchange.E005: a carried model points to a model that is neither carried nor written by natural key: its rows
  would point to nothing after an import.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core import checks

from participe.core.interchange import Interchange
from participe.interchange.contracts import NATURAL_KEYS, app_models, contract_for, entities, label_of


def _credential_errors(
    app_label: str, contract: Interchange, found: dict[str, Any], obj: str
) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for item in contract.credentials:
        if item in found:
            continue
        label, _, name = item.rpartition(".")
        model = found.get(label)
        if model is None or name not in {f.name for f in model._meta.local_concrete_fields}:
            errors.append(
                checks.Error(
                    f"{item} is neither a model nor a field of the app {app_label}.", obj=obj, id="interchange.E001"
                )
            )
    return errors


def contract_errors(app_label: str, contract: Interchange) -> list[checks.CheckMessage]:
    """What is wrong with one app's contract."""
    obj = f"interchange contract of {app_label}"
    found = {label_of(m): m for m in app_models(app_label)}
    errors: list[checks.CheckMessage] = []
    listed = list(contract.models or ())
    for label in [*listed, *contract.excluded]:
        if label not in found:
            errors.append(
                checks.Error(f"{label} is not a model of the app {app_label}.", obj=obj, id="interchange.E001")
            )
    errors.extend(_credential_errors(app_label, contract, found, obj))
    for label in sorted(set(listed) & set(contract.excluded)):
        errors.append(checks.Error(f"{label} is both carried and excluded.", obj=obj, id="interchange.E002"))
    if contract.models is not None:
        for label in sorted(set(found) - set(listed) - set(contract.excluded)):
            errors.append(
                checks.Error(
                    f"{label} is neither in models= nor in excluded= (say why it is left out, or carry it).",
                    obj=obj,
                    id="interchange.E003",
                )
            )
    for label, reason in contract.excluded.items():
        if not str(reason).strip():
            errors.append(checks.Error(f"{label} is excluded without a reason.", obj=obj, id="interchange.E004"))
    return errors


def dangling_errors() -> list[checks.CheckMessage]:
    carried = {e.model for e in entities()}
    errors: list[checks.CheckMessage] = []
    for found in entities():
        for field in found.model._meta.local_concrete_fields:
            target = field.related_model if field.is_relation else None
            if not isinstance(target, type) or target in carried or label_of(target) in NATURAL_KEYS:
                continue
            errors.append(
                checks.Error(
                    f"{found.label}.{field.name} points to {label_of(target)}, which the archive leaves out.",
                    hint="Carry the target, or leave the pointing model out too, with the reason.",
                    obj=f"interchange contract of {found.model._meta.app_label}",
                    id="interchange.E005",
                )
            )
    return errors


@checks.register()
def check_interchange_contracts(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for config in apps.get_app_configs():
        errors.extend(contract_errors(config.label, contract_for(config.label)))
    if not errors:
        errors.extend(dangling_errors())
    return errors
