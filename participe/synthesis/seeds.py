"""Demo synthesis: the place du Marché démarche gets the contributions of its paper register (imported from the
labelled corpus, ``corpus/lumerac.csv``) and a published synthesis of everything said there — its debate, its
proposals when it has some, and the register — with themes named by the agents, quotes and a text (run by
``load_demo`` through ``backoffice.hooks``). Idempotent: the import and the synthesis are known by their names."""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path

from django.utils import timezone

from participe.accounts.models import User
from participe.organisation.models import Territory
from participe.spaces.models import Space
from participe.synthesis import imports, services
from participe.synthesis.models import Entry, ImportBatch, Synthesis, Theme

SPACE = "place-du-marche"
CORPUS = Path(__file__).resolve().parent / "corpus" / "lumerac.csv"
REGISTER = "Registre de la concertation (mairie et marché)"
TITLE = "Ce que vous nous avez dit de la place du Marché"
GROUP = "place-du-marche"
QUESTION = "Comment voyez-vous la future place du Marché ?"
# The labels the agents gave, chosen by the words that set a theme apart (its key words).
LABELS = (
    (("arbre", "ombre", "végét", "verdure", "chaleur", "planter"), "Des arbres, de l'ombre et de la fraîcheur"),
    (("stationnement", "parking", "garer", "places"), "Pouvoir encore se garer"),
    (("piéton", "circulation", "voiture", "trottoir", "vitesse"), "Moins de voitures, plus de place aux piétons"),
    (("halle", "marché", "producteur", "étal"), "Un marché abrité et plus vivant"),
    (("terrasse", "commerce", "bar", "café", "boutique"), "Terrasses et commerces de proximité"),
    (("banc", "toilette", "poubelle", "asseoir"), "S'asseoir, des toilettes, du mobilier"),
    (("jeu", "enfant", "famille"), "Une place pour les enfants"),
    (("éclairage", "sécurité", "nuit", "soir", "police"), "Se sentir en sécurité le soir"),
    (("concert", "fête", "animation", "noël"), "Animer la place toute l'année"),
    (("fontaine", "eau"), "L'eau sur la place"),
    (("vélo", "cycl"), "Venir à vélo"),
)


def _register_csv() -> bytes:
    territories = list(Territory.objects.filter(kind="quartier").order_by("pk").values_list("name", flat=True))
    today = timezone.localdate()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(("id", "text", "territory", "date", "question"))
    with CORPUS.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["group"] == GROUP]
    for number, row in enumerate(rows):
        territory = territories[number % len(territories)] if territories else ""
        date = today - datetime.timedelta(days=number % 10)
        writer.writerow((f"REG-{row['id']}", row["text"], territory, date.isoformat(), QUESTION))
    return out.getvalue().encode()


def _label(theme: Theme, taken: set[str]) -> str:
    words = theme.keywords.lower()
    for stems, label in LABELS:
        if label not in taken and any(s in words for s in stems):
            return label
    return theme.label


def seed_demo(admin: User) -> None:
    """The register imported, and the synthesis computed, reviewed and published (nothing when the space is
    missing or the synthesis exists)."""
    space = Space.objects.filter(slug=SPACE).first()
    if space is None or Synthesis.objects.filter(space=space, title=TITLE).exists():
        return
    if not ImportBatch.objects.filter(space=space, name=REGISTER).exists():
        imports.contributions_import(actor=admin, space=space, name=REGISTER, data=_register_csv())
    synthesis = services.synthesis_start(actor=admin, space=space, title=TITLE)
    synthesis = services.synthesis_compute(synthesis.pk) or synthesis  # the worker's task, here and now
    synthesis.refresh_from_db()
    if synthesis.status != Synthesis.Status.REVIEW:
        return
    taken: set[str] = set()
    for theme in Theme.objects.filter(synthesis=synthesis):
        label = _label(theme, taken)
        taken.add(label)
        if label != theme.label:
            services.theme_rename(actor=admin, theme=theme, label=label)
    top = list(Theme.objects.filter(synthesis=synthesis))[:3]
    quote = Entry.objects.filter(synthesis=synthesis, is_quote=True, theme__in=top).order_by("-score").first()
    text = "\n\n".join(
        [
            "Pendant trois semaines, habitants, commerçants et usagers du marché ont dit comment ils voient la "
            "future place, en ligne, dans le débat et dans le registre tenu en mairie et sur le marché.",
            "Trois attentes reviennent le plus souvent.",
            *[f"[[theme:{t.pk}]]" for t in top],
            *(
                [f"Une contribution résume bien l'esprit de beaucoup d'autres : [[citation:{quote.pk}]]"]
                if quote
                else []
            ),
            "Les autres thèmes, et toutes les contributions, sont présentés ci-dessous. La ville y répondra dans "
            "le bilan de la concertation et suivra ses engagements sur la page « Suivi des engagements ».",
        ]
    )
    services.synthesis_edit(actor=admin, synthesis=synthesis, title=TITLE, text=text)
    services.synthesis_publish(actor=admin, synthesis=synthesis)
