"""Volume seeding of the page module (``manage.py seed_volume``): the text of every page module."""

from __future__ import annotations

from participe.harness.volume import VolumeContext
from participe.modules.page.models import PageContent

PARAGRAPHS = [
    "La démarche se déroule en trois étapes : information, contributions puis restitution des résultats.",
    "Les habitants, les associations et les commerçants sont invités à participer, en ligne ou lors des ateliers.",
    "Une réunion publique aura lieu à la salle des fêtes ; elle sera retransmise en direct sur le site.",
    "Les propositions retenues seront présentées au conseil municipal, qui votera leur financement.",
    "Pour toute question, le service de la participation citoyenne répond du lundi au vendredi.",
    "Les documents de la concertation (diagnostic, plans, comptes rendus) sont téléchargeables ci-dessous.",
]


def seed_volume(ctx: VolumeContext) -> int:
    """Every page module gets its text (a heading and three to five paragraphs)."""
    modules = ctx.module_ids("page")
    ctx.progress.add_total(len(modules))
    rng = ctx.rng
    rows = (
        {
            "module_id": module_id,
            "body": "<h2>Présentation</h2>"
            + "".join(f"<p>{text}</p>" for text in rng.sample(PARAGRAPHS, rng.randint(3, 5))),
        }
        for module_id in modules
    )
    return len(ctx.bulk(PageContent, rows, "pages"))
