"""The interchange contract: what an app carries in the platform's interchange archive (docs/reversibility.md).

A module declares it in its manifest (``ModuleManifest.interchange``), the platform's apps and the libraries' apps in
``participe.interchange.contracts``. The default, ``Interchange()``, carries every model of the app (its many-to-many
tables included) in the order their foreign keys ask: a model added later is carried without anyone writing a line.
A model left out is named in ``excluded`` with the reason; the start-up check ``interchange.E001``–``E005`` refuses
a contract that names an unknown model, leaves one of an explicit list neither carried nor excluded, or carries a row
that points to a model left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Interchange:
    """One app's part of the interchange archive.

    ``models``: labels (``"app_label.ModelName"``, auto-created many-to-many tables as ``"app.Model_field"``) of the
    models carried, dependencies first; ``None`` carries every model of the app not excluded, ordered by their foreign
    keys. ``excluded``: label → why the model is not carried (a cache, a token, an index rebuilt from the rest…).
    ``credentials``: labels of whole models, or ``"label.field"`` of fields, that hold secrets (password hashes, TOTP
    keys): carried only when the operator asks (``export_platform --with-password-hashes``); otherwise a model is left
    out and a field is written unusable (``"!"``, Django's mark of an unusable password).
    """

    models: tuple[str, ...] | None = None
    excluded: Mapping[str, str] = field(default_factory=dict)
    credentials: tuple[str, ...] = ()
