"""Demo data of a jury: « Jury citoyen mobilités » of Lumerac (``make demo``).

300 volunteers (imported, as agents do from the answers to a letter sent to people drawn from the electoral roll),
quotas on gender (shares of the population), age, quartier and way of getting about, a draw committed then run
from a public seed, two members who declined and their replacements, and the avis citoyen with the collectivité's
argued answers, three of them followed as commitments; then the members' private space (decision 0032) with a
document, a discussion and the jury's sessions (the meetings module's demo plans for that space, reached through the
registry: this module imports no other), Camille (a demo resident) being one of the members.
"""

from __future__ import annotations

import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from participe.accounts.models import User
from participe.attachments.services import attachment_add
from participe.comments.services import comment_create
from participe.core.registry import registry
from participe.modules.juries import services
from participe.modules.juries.models import Volunteer
from participe.spaces.models import Module

DEMO_MEMBER = "camille@example.org"
WELCOME = (
    "Bienvenue dans l'espace du jury. Vous y trouvez les documents de travail, les séances à venir et une "
    "discussion pour vos questions à l'équipe."
)

FEATURES = [
    ("Genre", "Femme ; 51,6 %\nHomme ; 48,4 %"),
    ("Âge", "16-29 ans ; 4 ; 7\n30-44 ans ; 5 ; 8\n45-59 ans ; 5 ; 8\n60 ans et plus ; 5 ; 8"),
    (
        "Quartier",
        "Centre-ville ; 4 ; 6\nLes Tilleuls ; 4 ; 6\nPlateau Nord ; 4 ; 6\nBords de Vesle ; 3 ; 5\n"
        "La Croix-Rouge ; 3 ; 5",
    ),
    ("Moyen de déplacement principal", "Voiture ; 8 ; 12\nTransports en commun ; 4 ; 8\nVélo ; 2 ; 6\nMarche ; 3 ; 7"),
]
WEIGHTS = {
    "genre": [("femme", 0.55), ("homme", 0.45)],
    "age": [("16-29-ans", 0.17), ("30-44-ans", 0.24), ("45-59-ans", 0.27), ("60-ans-et-plus", 0.32)],
    "quartier": [
        ("centre-ville", 0.3),
        ("les-tilleuls", 0.2),
        ("plateau-nord", 0.18),
        ("bords-de-vesle", 0.17),
        ("la-croix-rouge", 0.15),
    ],
    "moyen-de-deplacement-principal": [
        ("voiture", 0.45),
        ("transports-en-commun", 0.2),
        ("velo", 0.15),
        ("marche", 0.2),
    ],
}
FIRST = ["Camille", "Nadia", "Louis", "Inès", "Hugo", "Martine", "Karim", "Sophie", "Yves", "Lina", "Paul", "Awa"]
LAST = ["Martin", "Bernard", "Diallo", "Moreau", "Lefèvre", "Garcia", "Nguyen", "Roux", "Fontaine", "Benali"]
RECOMMENDATIONS = [
    (
        "Un réseau cyclable continu entre les quartiers",
        "Relier les cinq quartiers par des pistes séparées de la circulation, en commençant par le Plateau Nord.",
        "adopted",
        "La ville retient la recommandation : 6 km de pistes séparées seront réalisés d'ici 2028, "
        "en commençant par l'avenue du Plateau, financés au budget pluriannuel.",
    ),
    (
        "Des bus toutes les 10 minutes aux heures de pointe",
        "Augmenter la fréquence des lignes 2 et 5, qui desservent les zones d'emploi.",
        "partly",
        "La fréquence relève de la métropole : la ville demandera la ligne 2 toutes les 10 minutes dès "
        "septembre ; la ligne 5 sera étudiée après l'enquête de fréquentation.",
    ),
    (
        "Des rues scolaires devant chaque école",
        "Fermer aux voitures les rues des écoles aux heures d'entrée et de sortie.",
        "adopted",
        "Trois écoles en 2027, puis toutes les écoles où la rue le permet, avec les conseils d'école.",
    ),
    (
        "La gratuité des transports pour tous",
        "Rendre les bus gratuits pour tous les habitants.",
        "rejected",
        "Le coût (4,2 M€ par an) dépasse les moyens de la ville ; la gratuité est étendue aux moins de "
        "18 ans et aux personnes au minimum social dès janvier.",
    ),
]


def _pool_csv(rng: random.Random) -> str:
    keys = list(WEIGHTS)
    lines = ["nom,email," + ",".join(keys)]
    for i in range(300):
        values = [rng.choices([v for v, _ in WEIGHTS[k]], [w for _, w in WEIGHTS[k]])[0] for k in keys]
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        lines.append(f"{name},volontaire{i + 1}@example.org," + ",".join(values))
    return "\n".join(lines) + "\n"


def seed(module: Module) -> None:
    admin = User.objects.filter(Q(is_org_admin=True) | Q(is_superuser=True)).order_by("pk").first()
    if admin is None:
        return
    rng = random.Random(2027)
    services.panel_configure(
        actor=admin,
        module=module,
        size=24,
        registration_open=False,
        presentation="24 habitants tirés au sort ont travaillé six samedis sur les déplacements dans Lumerac. "
        "Leur avis et les réponses de la ville sont publiés ci-dessous.",
    )
    for label, values in FEATURES:
        services.feature_save(actor=admin, module=module, label=label, values=values)
    services.pool_import(actor=admin, module=module, text=_pool_csv(rng), confirm=False)
    today = timezone.localdate()
    draw = services.draw_commit(
        actor=admin, module=module, source="Loto FDJ : les 5 numéros et le numéro chance", source_date=today
    )
    services.draw_run(actor=admin, draw=draw, seed="7 18 23 36 44 / 5")
    members = list(Volunteer.objects.filter(drawn_in=draw).order_by("reference"))
    for i, member in enumerate(members):
        services.invitation_answer(token=member.invitation_token, accept=i not in (3, 11), name_public=i % 4 == 0)
    replacement = services.draw_commit(
        actor=admin, module=module, source="EuroMillions : les 5 numéros et les 2 étoiles", source_date=today
    )
    services.draw_run(actor=admin, draw=replacement, seed="3 12 19 31 48 / 2 9")
    for member in Volunteer.objects.filter(drawn_in=replacement):
        services.invitation_answer(token=member.invitation_token, accept=True)
    for title, text, decision, answer in RECOMMENDATIONS:
        rec = services.recommendation_save(actor=admin, module=module, title=title, text=text)
        services.recommendation_answer(
            actor=admin, recommendation=rec, decision=decision, answer=answer, follow_up=decision != "rejected"
        )
    _members_space(admin, module)


def _pdf(lines: list[str]) -> bytes:
    """A one-page PDF of a few lines of text (Helvetica, Latin-1), written by hand: the demo needs no PDF library."""
    text = "".join(f"({line}) Tj T* " for line in lines)
    stream = f"BT /F1 12 Tf 14 TL 56 780 Td {text}ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _members_space(admin: User, module: Module) -> None:
    """The members' space: opened, a demo resident among the members, a document, a question and its answer, and
    the jury's sessions (the meetings module's demo plans for this space)."""
    room = services.members_space_open(actor=admin, module=module, welcome=WELCOME)
    resident = User.objects.filter(email=DEMO_MEMBER).first()
    first = Volunteer.objects.filter(panel=room.panel, status=Volunteer.Status.ACCEPTED, user__isnull=True).first()
    if resident is not None and first is not None:
        services.member_join(actor=resident, token=first.invitation_token)
    dossier = _pdf(
        [
            "Jury citoyen mobilites - dossier des membres",
            "1. La question posee au jury",
            "2. Les deplacements a Lumerac en chiffres",
            "3. Le calendrier des seances",
        ]
    )
    upload = SimpleUploadedFile("dossier-du-jury.pdf", dossier, content_type="application/pdf")
    attachment_add(actor=admin, target=room, uploaded_file=upload, title="Dossier des membres du jury")
    if resident is not None:
        question = comment_create(
            actor=resident,
            target=room,
            body="Pourra-t-on visiter le chantier de la piste du Plateau avant la séance de suivi ?",
            stance="neutral",
        )
        comment_create(
            actor=admin,
            target=room,
            parent=question,
            body="Oui : une visite est prévue le matin de la séance, rendez-vous à 16 h devant l'hôtel de ville.",
        )
    meetings = registry.get("meetings")
    if meetings is not None and meetings.seeds:
        for agenda in Module.objects.filter(space=room.module.space, module_type="meetings"):
            import_string(meetings.seeds)(agenda)
