"""Demo data: the fictional commune of Lumerac. Idempotent: running it twice changes nothing."""

from __future__ import annotations

import datetime
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import decrypt
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.text import slugify

from participe.accounts.models import User
from participe.backoffice import hooks
from participe.core import demo_images, throttle
from participe.core.demo import require_demo_install
from participe.core.pictures import picture_saved
from participe.core.registry import registry
from participe.core.uploads import clean_image
from participe.organisation.models import Organisation, Service, Territory, Theme
from participe.spaces.models import Module, NewsPost, Phase, Space, SpaceMembership
from participe.spaces.services import organisation_module_enable
from participe.verifications.models import CensusImport, Verification
from participe.verifications.services import census_import

DEMO_PASSWORD = "participe-demo"
DEMO_ADMIN_EMAIL = "admin@lumerac.example"

QUARTIERS = [
    ("centre-ville", "Centre-ville", "Q01"),
    ("les-tilleuls", "Les Tilleuls", "Q02"),
    ("bords-de-vesle", "Bords de Vesle", "Q03"),
    ("la-croix-rouge", "La Croix-Rouge", "Q04"),
    ("plateau-nord", "Plateau Nord", "Q05"),
]
# Inhabitants per quartier (the bilans compare who took part with them: representativeness).
POPULATION = {
    "centre-ville": 6_850,
    "les-tilleuls": 5_420,
    "bords-de-vesle": 4_310,
    "la-croix-rouge": 7_960,
    "plateau-nord": 3_740,
}
# Lumerac's boundary (an invented town east of Reims): every map opens on it, and a proposal placed outside is
# refused (participe/organisation/geography.py, decision 0022).
LUMERAC_BOUNDARY = {
    "type": "Polygon",
    "coordinates": [
        [
            [3.8230, 49.2560],
            [3.8520, 49.2480],
            [3.8850, 49.2520],
            [3.9040, 49.2680],
            [3.9010, 49.2900],
            [3.8780, 49.3010],
            [3.8430, 49.2990],
            [3.8200, 49.2810],
            [3.8230, 49.2560],
        ]
    ],
}
THEMES = [
    ("mobilites", "Mobilités"),
    ("environnement", "Environnement et nature en ville"),
    ("education", "Éducation et jeunesse"),
    ("culture", "Culture et patrimoine"),
    ("solidarites", "Solidarités"),
    ("cadre-de-vie", "Urbanisme et cadre de vie"),
    ("sport", "Sport et loisirs"),
]
CENSUS_CSV = (
    "nom;prenom;date_naissance;territoire\n"
    "DURAND;Karim;12/03/1990;Q02\n"
    "Lefèvre;Camille;1985-07-14;Q01\n"
    "MARTIN;Jeanne;02/11/1958;Q03\n"
    "Nguyen;Lucas;21/09/2008;Q05\n"
    "DUPONT;Marcel;05/01/1941;Q04\n"
)


def _territories() -> dict[str, Territory]:
    metropole, _ = Territory.objects.get_or_create(
        slug="lumerac-metropole", defaults={"name": "Lumerac Métropole", "kind": "métropole", "code": "M01"}
    )
    commune, _ = Territory.objects.get_or_create(
        slug="lumerac",
        defaults={
            "name": "Lumerac",
            "kind": "commune",
            "code": "99001",
            "parent": metropole,
            "boundary": LUMERAC_BOUNDARY,
        },
    )
    found = {"metropole": metropole, "commune": commune}
    for slug, name, code in QUARTIERS:
        found[slug], _ = Territory.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": "quartier", "code": code, "parent": commune}
        )
        Territory.objects.filter(pk=found[slug].pk, population__isnull=True).update(population=POPULATION[slug])
    return found


def _themes() -> dict[str, Theme]:
    return {
        slug: Theme.objects.get_or_create(slug=slug, defaults={"name": name, "position": i})[0]
        for i, (slug, name) in enumerate(THEMES)
    }


def _user(email: str, pseudonym: str, **extra: Any) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, pseudonym=pseudonym, **extra)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def demo_totp_secret() -> str | None:
    """The TOTP secret of the demo's staff, read back from the demo administrator's authenticator (None before
    ``load_demo``). Each install draws its own: a secret written in the code would open every demo left online."""
    authenticator = Authenticator.objects.filter(user__email=DEMO_ADMIN_EMAIL, type=Authenticator.Type.TOTP).first()
    return str(decrypt(authenticator.data["secret"])) if authenticator is not None else None


def _with_totp(staff: list[User]) -> None:
    """One authenticator secret for the demo's staff (``make totp`` prints one code for all), drawn at the first
    load and kept by the next ones."""
    secret = demo_totp_secret() or generate_totp_secret()
    for user in staff:
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, secret)


def _organisation() -> None:
    organisation = Organisation.get()
    if not organisation.name_of:
        organisation.name_of = "de la Ville de Lumerac"
        organisation.name_in = "à Lumerac"
        organisation.save()
    if organisation.name != "Ville de Lumerac":
        organisation.name = "Ville de Lumerac"
        organisation.short_description = "Donnez votre avis, proposez, votez : la participation citoyenne à Lumerac."
        organisation.contact_email = "participation@lumerac.example"
        organisation.contact_phone = "01 23 45 67 89"
        organisation.contact_address = "Hôtel de ville\n1 place de la République\n99001 Lumerac"
        organisation.website = "https://www.lumerac.example"
        organisation.legal_notice = (
            "<h2>Éditeur</h2><p>Ville de Lumerac, 1 place de la République, 99001 Lumerac. "
            "Directeur de la publication : le maire.</p><h2>Hébergement</h2><p>Serveurs de la ville de Lumerac.</p>"
        )
        organisation.a11y_established_on = timezone.localdate()
        organisation.a11y_audit_tools = "axe-core, navigation au clavier, NVDA"
        organisation.save()


# Each démarche's picture (drawn by participe.core.demo_images) and the alternative text an agent would write.
HEROES = {
    "budget-participatif-2027": ("quartier", "Dessin d'une rue de Lumerac bordée d'arbres, un immeuble au fond"),
    "place-du-marche": ("place", "Dessin de la place du Marché : des bancs, des arbres, un immeuble"),
    "plan-velo": ("velo", "Dessin d'une piste cyclable verte qui longe une route entre des arbres"),
    "conseil-de-quartier-les-tilleuls": ("jardin", "Dessin du parc des Tilleuls : allée, massifs fleuris, arbres"),
}


def _hero(space: Space) -> None:
    """Give a démarche of the demo its picture, through the back-office's image pipeline (re-encoded, bounded)."""
    scene = HEROES.get(space.slug)
    if scene is None or space.hero_image:
        return
    image = clean_image(ContentFile(demo_images.illustration(scene[0]), name=f"{space.slug}.png"))
    space.hero_image.save(image.name or "", image, save=False)
    space.hero_image_alt = scene[1]
    space.save(update_fields=["hero_image", "hero_image_alt"])
    picture_saved(space, "hero_image", old_name="", old_sizes=None)  # its card and hero sizes, as a service does


# Pictures of some modules (on their cards on the démarche's page); the others keep their type's icon.
MODULE_PICTURES = {
    ("budget-participatif-2027", "boite-a-idees"): ("ecole", "Dessin d'une école entourée d'arbres et de massifs"),
    ("budget-participatif-2027", "budget-participatif-2027"): (
        "riviere",
        "Dessin des bords de la Vesle : la rivière, un chemin, des arbres",
    ),
    ("place-du-marche", "debat-sur-lavenir-de-la-place"): (
        "place",
        "Dessin de la place du Marché, ses bancs et ses arbres",
    ),
    ("place-du-marche", "nom-de-la-future-place"): ("jardin", "Dessin d'une place fleurie traversée par une allée"),
}


def _module_picture(module: Module) -> None:
    """Give a module of the demo its picture, through the back-office's image pipeline (re-encoded, sized)."""
    scene = MODULE_PICTURES.get((module.space.slug, module.slug))
    if scene is None or module.picture:
        return
    image = clean_image(ContentFile(demo_images.illustration(scene[0], seed=1), name=f"{module.slug}.png"))
    module.picture.save(image.name or "", image, save=False)
    module.picture_alt = scene[1]
    module.save(update_fields=["picture", "picture_alt"])
    picture_saved(module, "picture", old_name="", old_sizes=None)


def _space(slug: str, **fields: Any) -> tuple[Space, bool]:
    territories = fields.pop("territories", [])
    themes = fields.pop("themes", [])
    space, created = Space.objects.get_or_create(slug=slug, defaults=fields)
    if created:
        space.territories.set(territories)
        space.themes.set(themes)
    _hero(space)
    return space, created


def _page(
    space: Space, title: str, body: str, phases: list[tuple[str, str, datetime.datetime, datetime.datetime]]
) -> Module:
    module, created = Module.objects.get_or_create(
        space=space, slug=slugify(title)[:100], defaults={"title": title, "module_type": "page"}
    )
    if created:
        for phase_type, name, start, end in phases:
            Phase.objects.create(module=module, phase_type=phase_type, name=name, start=start, end=end)
        manifest = registry.get("page")
        if manifest and manifest.seeds:
            import_string(manifest.seeds)(module, body)
    return module


def _module(
    space: Space,
    module_type: str,
    title: str,
    phases: list[tuple[str, str, datetime.datetime, datetime.datetime]],
    settings: dict[str, object] | None = None,
) -> Module:
    """A module of any type with its phases, filled by the seeds its manifest declares."""
    module, created = Module.objects.get_or_create(
        space=space,
        slug=slugify(title)[:100],
        defaults={"title": title, "module_type": module_type, "settings": settings or {}},
    )
    if created:
        for phase_type, name, start, end in phases:
            Phase.objects.create(module=module, phase_type=phase_type, name=name, start=start, end=end)
        manifest = registry.get(module_type)
        if manifest and manifest.seeds:
            import_string(manifest.seeds)(module)
    _module_picture(module)
    return module


def _meeting_module(space: Space, now: datetime.datetime) -> Module:
    """The space's agenda of meetings (participe/modules/meetings/seeds.py: five meetings, past and upcoming)."""
    day = datetime.timedelta(days=1)
    return _module(space, "meetings", "Réunions", [("agenda", "Agenda", now - 120 * day, now + 365 * day)])


def _spaces(admin: User, agent: User, t: dict[str, Territory], th: dict[str, Theme]) -> None:
    now = timezone.now()
    today = timezone.localdate()
    day = datetime.timedelta(days=1)

    def end_of_day(days: int) -> datetime.datetime:
        """Phases change at the end of a day (« jusqu'au 31 décembre à 23 h 59 »), not at the time the demo loaded."""
        return timezone.make_aware(datetime.datetime.combine(today + days * day, datetime.time(23, 59)))

    budget, created = _space(
        "budget-participatif-2027",
        kind=Space.Kind.PROCESS,
        title="Budget participatif 2027",
        summary="500 000 € pour réaliser les projets des habitants : déposez vos idées, la ville répond à chacune.",
        description=(
            "<p>Chaque année, la ville consacre <strong>500 000 €</strong> de son budget d'investissement à des "
            "projets proposés et choisis par les habitants de plus de 16 ans.</p>"
            "<ul><li>Dépôt des idées en ligne ou lors des permanences</li><li>Analyse par les services</li>"
            "<li>Une réponse argumentée à chaque idée</li></ul>"
        ),
        status=Space.Status.PUBLISHED,
        published_at=now,
        start_date=today - 20 * day,
        end_date=today + 150 * day,
        territories=[t["commune"]],
        # Every theme its proposals carry (participe/modules/proposals/seeds.py): the démarche's themes narrow the
        # organisation's, in its forms, filters and imports alike (decision 0022).
        themes=[th[slug] for slug in ("cadre-de-vie", "environnement", "mobilites", "culture", "sport", "education")],
        created_by=agent,
    )
    # The agent runs the budget space (before its modules are seeded: they route and answer proposals as the agent).
    SpaceMembership.objects.get_or_create(space=budget, user=agent, role=SpaceMembership.Role.ADMIN)
    _page(
        budget,
        "Règlement et calendrier",
        "<h2>Qui peut participer ?</h2><p>Toute personne habitant Lumerac, âgée de 16 ans ou plus.</p>"
        "<h2>Quels projets ?</h2><p>Des projets d'investissement d'intérêt général, sur l'espace public ou un "
        "bâtiment municipal, d'un coût inférieur à 100 000 €.</p>",
        [
            ("information", "Dépôt des idées", end_of_day(-20), end_of_day(25)),
            ("restitution", "Réponses aux idées", end_of_day(120), end_of_day(150)),
        ],
    )
    _module(
        budget,
        "proposals",
        "Boîte à idées",
        [
            ("depot", "Dépôt des idées", end_of_day(-20), end_of_day(25)),
            ("soutiens", "Soutiens", end_of_day(25), end_of_day(45)),
            ("analyse", "Analyse par les services", end_of_day(45), end_of_day(90)),
            ("resultats", "Résultats", end_of_day(90), end_of_day(150)),
        ],
        settings={"open_data": True},  # its published proposals in the open-data catalogue
    )
    _module(  # after the idea box: its retained proposals become projects (its seeds need its phases' dates)
        budget,
        "budgets",
        "Budget participatif 2027",
        [
            ("projets", "Présentation des projets", now - 90 * day, now - 30 * day),
            ("vote", "Vote", now - 30 * day, now + day),
            ("resultats", "Résultats et réalisation", now + day, now + 700 * day),
        ],
    )
    _meeting_module(budget, now)  # after the idea box: its past meetings link the ideas entered there
    if created:
        NewsPost.objects.create(
            space=budget,
            title="Lancement de la saison 2027",
            body="<p>Le dépôt des idées est ouvert jusqu'à la fin du mois. Des permanences ont lieu dans chaque "
            "maison de quartier le samedi matin.</p>",
            author=agent,
        )

    place, created = _space(
        "place-du-marche",
        kind=Space.Kind.PROCESS,
        title="Réaménagement de la place du Marché",
        summary="Concertation sur le futur visage de la place : circulation, arbres, marché, terrasses.",
        description="<p>Les études commencent : donnez votre avis sur les usages de la place avant le projet.</p>",
        status=Space.Status.PUBLISHED,
        published_at=now,
        start_date=today - 10 * day,
        end_date=today + 110 * day,
        territories=[t["centre-ville"]],
        themes=[th["cadre-de-vie"], th["mobilites"]],
        created_by=agent,
    )
    _page(
        place,
        "Présentation du projet",
        "<p>La place du Marché accueille le marché deux fois par semaine. Le projet vise à la rendre plus "
        "agréable, plus ombragée et plus sûre pour les piétons.</p>",
        [
            ("information", "Diagnostic partagé", end_of_day(20), end_of_day(50)),
            ("information", "Ateliers de conception", end_of_day(50), end_of_day(90)),
            ("restitution", "Restitution", end_of_day(90), end_of_day(110)),
        ],
    )
    _meeting_module(place, now)
    _module(
        place,
        "debate",
        "Débat sur l'avenir de la place",
        [
            ("debat", "Débat", end_of_day(-10), end_of_day(35)),
            ("synthese", "Synthèse", end_of_day(35), end_of_day(65)),
        ],
    )

    _module(
        place,
        "surveys",
        "Vos déplacements au quotidien",
        [
            ("reponses", "Réponses", end_of_day(-10), end_of_day(35)),
            ("resultats", "Résultats", end_of_day(35), end_of_day(110)),
        ],
    )
    # A votation open now, with online and paper ballots already cast (participe/modules/votation/seeds.py).
    _module(
        place,
        "votation",
        "Nom de la future place",
        [
            ("preparation", "Présentation des noms", end_of_day(-10), end_of_day(-3)),
            ("vote", "Vote", end_of_day(-3), end_of_day(11)),
            ("resultats", "Résultats", end_of_day(11), end_of_day(110)),
        ],
    )

    # A citizens' jury drawn by lot, its avis answered (participe/modules/juries/seeds.py).
    jury, created = _space(
        "jury-citoyen-mobilites",
        kind=Space.Kind.PROCESS,
        title="Jury citoyen mobilités",
        summary="24 habitants tirés au sort parmi 300 volontaires rendent un avis sur les déplacements ; la ville répond.",
        description="<p>Un jury qui ressemble à Lumerac : quotas par genre, âge, quartier et moyen de déplacement, "
        "tirage vérifiable par tous.</p>",
        status=Space.Status.PUBLISHED,
        published_at=now,
        start_date=today - 150 * day,
        end_date=today + 200 * day,
        territories=[t["commune"]],
        themes=[th["mobilites"]],
        created_by=agent,
    )
    _module(
        jury,
        "juries",
        "Jury citoyen mobilités",
        [
            ("volontariat", "Appel à volontaires", end_of_day(-150), end_of_day(-120)),
            ("deliberation", "Travail du jury", end_of_day(-120), end_of_day(-20)),
            ("avis", "Avis et réponses", end_of_day(-20), end_of_day(200)),
        ],
    )

    velo, created = _space(
        "plan-velo",
        kind=Space.Kind.PROCESS,
        title="Plan vélo 2026",
        summary="La concertation est terminée : son bilan et ce que la ville en retient.",
        description="<p>La concertation est terminée. Son bilan est publié ci-dessous.</p>",
        status=Space.Status.PUBLISHED,
        published_at=now - 200 * day,
        start_date=today - 200 * day,
        end_date=today - 30 * day,
        territories=[t["commune"]],
        themes=[th["mobilites"]],
        created_by=agent,
    )
    _page(
        velo,
        "Bilan de la concertation",
        "<p>214 contributions, 1 380 participants, 12 réunions publiques. 38 aménagements sont inscrits au plan "
        "pluriannuel d'investissement.</p>",
        [
            ("information", "Contributions", end_of_day(-200), end_of_day(-120)),
            ("restitution", "Restitution", end_of_day(-120), end_of_day(-30)),
        ],
    )

    conseil, created = _space(
        "conseil-de-quartier-les-tilleuls",
        kind=Space.Kind.ASSEMBLY,
        title="Conseil de quartier des Tilleuls",
        summary="Vingt habitants tirés au sort et volontaires se réunissent chaque mois pour le quartier.",
        description="<p>Le conseil de quartier donne son avis sur les projets du quartier et porte ses propres "
        "initiatives. Ses réunions sont publiques.</p>",
        status=Space.Status.PUBLISHED,
        published_at=now,
        territories=[t["les-tilleuls"]],
        themes=[th["cadre-de-vie"], th["solidarites"]],
        created_by=admin,
    )
    _page(
        conseil,
        "Comptes rendus",
        "<h2>Réunion du 3 octobre</h2><p>Présentation du projet d'aire de jeux, point sur la propreté du parc.</p>",
        [("information", "Mandat 2026-2028", now - 300 * day, now + 700 * day)],
    )
    _meeting_module(conseil, now)


def _organisation_modules(admin: User) -> None:
    """Every organisation-wide module type that has demo seeds, turned on and filled (its seeds are idempotent)."""
    for manifest in registry.organisation_wide():
        if manifest.seeds:
            module = organisation_module_enable(actor=admin, module_type=manifest.key)
            import_string(manifest.seeds)(module)


@transaction.atomic
def load_demo() -> list[tuple[str, str]]:
    require_demo_install("load_demo")
    with throttle.suspended():  # the demo's residents write dozens of contributions in a second, on purpose
        return _load_demo()


def _load_demo() -> list[tuple[str, str]]:
    _organisation()
    territories = _territories()
    themes = _themes()
    admin = _user(DEMO_ADMIN_EMAIL, "admin-lumerac", first_name="Sophie", last_name="Arnaud", is_org_admin=True)
    agent = _user("agent@lumerac.example", "agent-participation", first_name="Thomas", last_name="Roux")
    moderator = _user("moderation@lumerac.example", "moderation-lumerac", first_name="Inès", last_name="Moreau")
    camille = _user("camille@example.org", "Camille_des_Tilleuls", territory=territories["centre-ville"])
    karim = _user("karim@example.org", "Karim", territory=None)
    jeanne = _user("jeanne@example.org", "jeanne.m", territory=territories["bords-de-vesle"])
    _with_totp([admin, agent, moderator])
    service, _ = Service.objects.get_or_create(
        name="Démocratie participative", defaults={"email": "participation@lumerac.example"}
    )
    service.members.add(agent)
    Service.objects.get_or_create(name="Voirie et propreté")
    Service.objects.get_or_create(name="Espaces verts")
    if not CensusImport.objects.exists():
        census_import(actor=admin, filename="recensement-demo.csv", data=CENSUS_CSV.encode())
    if not Verification.objects.filter(user=camille).exists():
        Verification.objects.create(
            user=camille,
            handler="counter",
            territory=territories["centre-ville"],
            birth_date=datetime.date(1985, 7, 14),
            granted_by=agent,
        )
    if not User.objects.filter(managed_by=agent).exists():
        marcel = User.objects.create_user(
            email=None,
            pseudonym="Marcel_D",
            first_name="Marcel",
            last_name="Dupont",
            territory=territories["la-croix-rouge"],
            managed_by=agent,
            email_frequency=User.EmailFrequency.NEVER,
        )
        Verification.objects.create(
            user=marcel,
            handler="managed",
            territory=territories["la-croix-rouge"],
            birth_date=datetime.date(1941, 1, 5),
            granted_by=agent,
        )
    _spaces(admin, agent, territories, themes)
    _organisation_modules(admin)
    conseil = Space.objects.get(slug="conseil-de-quartier-les-tilleuls")
    SpaceMembership.objects.get_or_create(space=conseil, user=moderator, role=SpaceMembership.Role.MODERATOR)
    SpaceMembership.objects.get_or_create(space=conseil, user=jeanne, role=SpaceMembership.Role.MEMBER)
    for seed in hooks.demo_seeds():  # the platform apps above the back-office (commitments)
        seed(admin)
    return [
        (admin.email or "", "administratrice de l'organisation (double authentification)"),
        (agent.email or "", "agent du service Démocratie participative (double authentification)"),
        (moderator.email or "", "modératrice du conseil de quartier (double authentification)"),
        (camille.email or "", "habitante vérifiée (Centre-ville)"),
        (karim.email or "", "habitant non vérifié : essayez la vérification par le recensement"),
        (jeanne.email or "", "habitante, membre du conseil de quartier"),
    ]
