"""The module registry: one manifest per participation module.

Each module package has a ``manifest.py`` defining ``manifest = ModuleManifest(...)``.
Manifests are discovered at start-up (``autodiscover_modules("manifest")``) and validated by
system checks (see ``participe.core.checks``). Nothing about a module is listed anywhere else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.functional import Promise

from participe.core.capabilities import Cap
from participe.core.interchange import Interchange

if TYPE_CHECKING:
    from django.db.models import Model

Text = str | Promise


@dataclass(frozen=True)
class PhaseType:
    """A kind of phase a module offers, and the capabilities it grants while it runs."""

    key: str
    name: Text
    capabilities: frozenset[Cap]
    description: Text = ""
    # What the phase invites participants to do, in words (« Donnez votre avis »), on the home page; empty: said
    # from its capabilities (participe/spaces/selectors.py, ACTION_WORDS).
    action: Text = ""


@dataclass(frozen=True)
class BlueprintPhase:
    phase_type: str
    name: Text
    days: int = 30


@dataclass(frozen=True)
class Blueprint:
    """A preset sequence of phases an agent can start a module from."""

    key: str
    name: Text
    phases: tuple[BlueprintPhase, ...]
    description: Text = ""


@dataclass(frozen=True)
class Resource:
    """An item type of a module (or of the platform) and the shared interactions it takes part in.

    The model it names follows one protocol (see docs/decisions/0006-shared-participation-services.md, and its
    ``typing.Protocol`` in ``participe.core.resources``): a ``module`` attribute (the spaces.Module it belongs to:
    phases, eligibility and visibility come from it), ``get_absolute_url()``, ``__str__`` as its title, and, when
    it is commentable, supportable or reportable, the counters and moderation status of
    ``participe.core.models.InteractiveModel``. When it is
    routed to services (``assign_permission``), also ``get_backoffice_url()``: its page in the back-office, where
    the agents of the service work on it (the queue of the services links there).
    """

    model: str  # "app_label.ModelName"
    commentable: bool = False
    supportable: bool = False
    followable: bool = False
    reportable: bool = False
    searchable: bool = False
    geolocated: bool = False
    attachments: bool = False
    title_field: str = "title"  # indexed by search, shown in notifications and the moderation queue
    text_fields: tuple[str, ...] = ()  # further fields indexed by search (HTML is stripped)
    author_field: str | None = "author"  # the participant who wrote it (follows it, is notified), or None
    # Object permission that lets a user see the item (a draft is its author's, an item may be hidden): the shared
    # services (comments, attachments) show nothing of an item its reader may not see. None: its module decides.
    view_permission: str | None = None
    # Dotted path of a callable(item) run inside the transaction after the item's supports changed (a threshold).
    on_supports_changed: str | None = None
    # The phase capability supporting the item needs: SUPPORT, or COMMENT where a support is an act of the
    # discussion (a comment's), which also leaves it out of the module's allowance of supports.
    support_capability: Cap = Cap.SUPPORT
    # Dotted path of a callable(item, previous_status) run inside the transaction after moderation changed the
    # item's moderation status (hidden, visible again, published after waiting): what depends on it being visible.
    on_visibility_changed: str | None = None
    # Object permission, checked on the item's module, that lets a user route items of this type to a service of
    # the collectivité (participe.assignments: assign, reassign, close). None: they are not routed to services.
    assign_permission: str | None = None
    # Object permission, checked on the item, that lets a user change its files (attachments) besides its author
    # during the phase and the staff of its space: the agents of the service carrying a commitment add its photos.
    edit_permission: str | None = None
    # The fields holding what a participant wrote, read by the synthesis of contributions (participe.synthesis,
    # decision 0025) for the published items of the type; empty: the items are not contributions (an agent's page).
    # The item may also carry ``stance`` (favorable / neutral / unfavorable) and ``territory``.
    contribution_fields: tuple[str, ...] = ()
    # Dotted path of ``contributions(module) -> Iterable`` when not every published item of the type is a
    # contribution, or its items are not rows one may link to: either a QuerySet of the type (the rows to read
    # through ``contribution_fields``: a module's public reports only), or ``Contribution`` records (a
    # questionnaire's free-text answers, which keep no link to their response). Called for the modules of the
    # manifest that declares the resource.
    contribution_items: str | None = None


@dataclass(frozen=True)
class Contribution:
    """What a participant wrote, handed to the synthesis of contributions by ``Resource.contribution_items`` when it
    has no item of its own to link to: the text, the page where it belongs (never one that would tell who wrote
    it), a reference unique in its module, and what may be said of it (the question it answers, its territory and
    day; left empty when saying it could tell who wrote it)."""

    text: str
    url: str
    reference: str
    kind: Text = ""
    question: str = ""
    territory: str = ""
    date: Any = None


@dataclass(frozen=True)
class NotificationEvent:
    """Something that happens and that people may be told about (in-app and by email)."""

    key: str  # "app_label.event", stored in the database: never rename one
    name: Text  # shown in the notification preferences and the notifications page
    description: Text = ""


@dataclass(frozen=True)
class Export:
    """A file a module publishes. The platform lists and serves the open-data ones (``/donnees-ouvertes/``).

    ``stream`` is the dotted path of ``stream(module, fmt) -> Iterable[str | bytes]``: the whole file in format ``fmt``
    (one of ``formats``: ``csv``, ``json``, ``geojson``, ``zip``…: bytes for an archive), in chunks, with nothing a visitor may not see and no personal
    data. ``is_open`` is the dotted path of ``is_open(module) -> bool``: whether this module publishes it now (a
    module setting); without it, a declared open-data export is always published.
    """

    key: str
    name: Text
    formats: tuple[str, ...]
    open_data: bool = False
    stream: str | None = None
    is_open: str | None = None
    description: Text = ""


@dataclass(frozen=True)
class Statistic:
    """One figure about a module (``statistics(module) -> list[Statistic]``), shown in the back-office and the API.

    ``key`` is stable (``contributions`` and ``participants`` have a platform-wide meaning: items or answers
    people gave, and the distinct people who gave them; others are the module's own)."""

    key: str
    label: Text
    value: int


@dataclass(frozen=True)
class Hooks:
    """What the platform calls at a module's turning points (dotted paths of callables).

    - ``before_delete(module)``: inside the transaction that deletes the module (or its space), after the platform
      deleted what the shared services keep about the module's items, before the module's rows go.
    - ``phase_changed(module, previous, current)``: after the module's current phase changed (an agent edited the
      phases, or time moved past a phase's start or end: ``manage.py phases_advance``); ``previous`` and ``current``
      are phase type keys or None.
    - ``settings_changed(module)``: inside the transaction of an agent's change of the module's settings or phases
      (a support threshold lowered: what it now reaches is marked then, never on display).
    - ``account_deleted(user)``: called once per module type (not per module) inside the transaction that deletes
      ``user``'s account, before the platform erases what the shared services hold and redacts the audit log: the
      module deletes the person's drafts and what is private to them (through ``registry.delete_shared`` for items,
      without copying their text into the audit log) and detaches or keeps anonymously what must stay counted
      (docs/security.md, « Account deletion »).
    - ``purge_drafts(before) -> int``: delete the drafts nobody touched since the datetime ``before`` (the retention
      period of drafts, applied by ``manage.py retention``, decision 0035) as ``account_deleted`` deletes a person's;
      returns how many went.
    """

    before_delete: str | None = None
    phase_changed: str | None = None
    settings_changed: str | None = None
    account_deleted: str | None = None
    purge_drafts: str | None = None


@dataclass(frozen=True)
class Offer:
    """Items a module offers to other modules, by kind, without either importing the other (decision 0011).

    ``items`` is the dotted path of ``items(module) -> QuerySet``: the module's items of that kind now (e.g. the
    proposals retained for a vote). Another module asks the platform for the candidates of a kind in its space
    (``participe.links.selectors.candidates``) and links what it makes from them (``participe.links.services``).
    """

    kind: str  # e.g. "idea" (ideas that may become projects), "contribution" (texts for a synthesis), "project"
    name: Text  # what an agent reads when choosing ("Propositions retenues")
    resource: str  # "app_label.ModelName" of the items (a declared Resource)
    items: str


@dataclass(frozen=True)
class DecidimImport:
    """What a module takes in from a Decidim open-data archive (``participe.decidim_import``, decision 0040).

    ``entity`` is the archive's entity (``proposals``, ``meetings``); ``module_title`` the title of the module the
    import adds to a space that has none of this type yet; ``load`` the dotted path of
    ``load(*, actor, module, records) -> dict[str, Model | str]``: each record (a dict of plain values read from the
    archive, keys documented in docs/decidim-import.md, ``id`` the Decidim id, ``author`` an account or None) made an
    item of ``module``, or refused with the reason (a sentence). It runs inside the import's transaction, writes no
    notification and checks ``actor``'s permission on the module itself.
    """

    entity: str
    module_title: Text
    load: str


@dataclass(frozen=True)
class ModuleManifest:
    """Everything a module adds to the platform, in one declarative object."""

    key: str
    name: Text
    description: Text
    icon: str
    app_label: str
    phase_types: tuple[PhaseType, ...]
    settings_form: type[forms.Form] | None = None
    blueprints: tuple[Blueprint, ...] = ()
    urls: str | None = None  # dotted path of the module's public urlconf (mounted under the module URL)
    backoffice_urls: str | None = None  # dotted path of its back-office urlconf
    # Label of the module's own back-office home (its urlconf's "index": the work waiting for the agent across
    # modules), listed in the back-office menu and the dashboard's shortcuts; None when it has none.
    backoffice_entry: Text | None = None
    api_router: str | None = None  # dotted path of a django-ninja Router
    detail_view: str | None = None  # dotted path of the view rendering the module page
    resources: tuple[Resource, ...] = ()
    exports: tuple[Export, ...] = ()
    notification_events: tuple[NotificationEvent, ...] = ()
    # Dotted path of ``statistics(module) -> list[Statistic]``.
    statistics: str | None = None
    seeds: str | None = None  # dotted path of a callable(module) creating demo items
    templates: tuple[str, ...] = ()  # templates the module needs; checked at start-up
    actions: tuple[Cap, ...] = field(default=())  # actions eligibility rules may restrict
    # Dotted path of the module that registers the module's permissions (django-rules), imported at start-up.
    rules: str | None = None
    # Measurement tooling, never imported by the product at run time (only when the harness or the audit runs):
    # dotted path of ``seed_volume(ctx) -> int`` (docs/benchmarks.md), and of the module holding the authorization
    # sweep's ``EXPECTATIONS`` / ``PARAMS`` for the module's URLs (audit/expectations/).
    volume: str | None = None
    authz_expectations: str | None = None
    hooks: Hooks = field(default_factory=Hooks)
    # "space": the module lives in démarches and instances, as many as agents add. "organisation": the module is a
    # permanent service of the collectivité (signalements, agenda, pétitions…), at most one, in the organisation's
    # permanent space, served at ``/<organisation_path>/`` (decision 0010).
    scope: str = "space"
    organisation_path: str | None = None  # e.g. "signalements": the public address of an organisation-wide module
    permanent_phase: str | None = None  # the phase type an organisation-wide module runs in, permanently
    navigation_label: Text | None = None  # an organisation-wide module's link in the header and on the home page
    offers: tuple[Offer, ...] = ()
    # Dotted path of ``personal_data(user) -> dict[str, list[dict]]``: the person's data the module holds, as named
    # tables of rows (« Mes données », participe.dataright, decision 0035). Required of a module whose models point to
    # accounts (start-up check participe.E023); nothing anonymous may be in it (decision 0016).
    personal_data: str | None = None
    # What the module takes in from a Decidim open-data archive (decision 0040).
    import_decidim: tuple[DecidimImport, ...] = ()
    # What the module carries in the platform's interchange archive (``export_platform`` / ``import_platform``,
    # docs/reversibility.md, decision 0039): by default every model of its app, in the order of their foreign keys;
    # a model left out is named with the reason (start-up checks interchange.E001–E005).
    interchange: Interchange = field(default_factory=Interchange)

    def phase_type(self, key: str) -> PhaseType | None:
        return next((p for p in self.phase_types if p.key == key), None)

    def blueprint(self, key: str) -> Blueprint | None:
        return next((b for b in self.blueprints if b.key == key), None)

    @property
    def is_organisation_wide(self) -> bool:
        return self.scope == "organisation"

    def default_settings(self) -> dict[str, Any]:
        if self.settings_form is None:
            return {}
        return {name: f.initial for name, f in self.settings_form.base_fields.items()}


class Registry:
    """Holds the manifests found at start-up, keyed by module type."""

    def __init__(self) -> None:
        self._manifests: dict[str, ModuleManifest] = {}
        self._platform_resources: dict[str, Resource] = {}
        self._platform_events: dict[str, NotificationEvent] = {}
        self._cleanups: dict[str, str] = {}
        self.duplicates: list[str] = []

    def register_cleanup(self, app_label: str, dotted_path: str) -> None:
        """Name a shared app's ``delete_for(target)``: its rows about one item, which generic references do not
        cascade (imported when first needed)."""
        self._cleanups[app_label] = dotted_path

    def delete_shared(self, target: Model) -> None:
        """Delete what every shared app keeps about ``target``; a module's delete service calls it before deleting."""
        from django.utils.module_loading import import_string

        for dotted_path in self._cleanups.values():
            import_string(dotted_path)(target)

    def register_resource(self, resource: Resource) -> Resource:
        """Declare an item type of the platform itself (a comment, a news post) as a resource."""
        self._platform_resources[resource.model] = resource
        return resource

    def register_event(self, event: NotificationEvent) -> NotificationEvent:
        """Declare a notification event of the platform itself (a reply to a comment, a moderation decision)."""
        self._platform_events[event.key] = event
        return event

    def resources(self) -> list[Resource]:
        """Every resource: the platform's, then each module's."""
        found = list(self._platform_resources.values())
        for manifest in self.all():
            found.extend(manifest.resources)
        return found

    def resource(self, label: str) -> Resource | None:
        """The resource declared for the model ``"app_label.ModelName"``, if any."""
        return next((r for r in self.resources() if r.model == label), None)

    def events(self) -> list[NotificationEvent]:
        """Every notification event: the platform's, then each module's."""
        found = list(self._platform_events.values())
        for manifest in self.all():
            found.extend(manifest.notification_events)
        return found

    def event(self, key: str) -> NotificationEvent | None:
        return next((e for e in self.events() if e.key == key), None)

    def register(self, manifest: ModuleManifest) -> ModuleManifest:
        if manifest.key in self._manifests and self._manifests[manifest.key] is not manifest:
            self.duplicates.append(manifest.key)
        self._manifests[manifest.key] = manifest
        return manifest

    def unregister(self, key: str) -> None:
        """Forget the manifest registered under ``key`` (tests register throwaway modules)."""
        self._manifests.pop(key, None)
        self.duplicates = [k for k in self.duplicates if k != key]

    def get(self, key: str) -> ModuleManifest | None:
        return self._manifests.get(key)

    def __getitem__(self, key: str) -> ModuleManifest:
        return self._manifests[key]

    def __contains__(self, key: object) -> bool:
        return key in self._manifests

    def __iter__(self) -> Iterable[ModuleManifest]:  # type: ignore[override]
        return iter(sorted(self._manifests.values(), key=lambda m: m.key))

    def all(self) -> list[ModuleManifest]:
        return list(self)  # type: ignore[call-overload]

    def choices(self) -> list[tuple[str, Text]]:
        return [(m.key, m.name) for m in self.all()]

    def organisation_wide(self) -> list[ModuleManifest]:
        """The module types that are permanent services of the organisation (decision 0010)."""
        return [m for m in self.all() if m.is_organisation_wide]

    def offers(self, kind: str | None = None) -> list[tuple[ModuleManifest, Offer]]:
        """Every (manifest, offer) of ``kind`` (or of any kind), module by module."""
        return [(m, offer) for m in self.all() for offer in m.offers if kind is None or offer.kind == kind]

    def decidim_importer(self, entity: str) -> tuple[ModuleManifest, DecidimImport] | None:
        """The module type that takes in the Decidim ``entity`` (the first by key), if any."""
        return next(((m, d) for m in self.all() for d in m.import_decidim if d.entity == entity), None)

    def run_hook(self, module: Any, hook: str, *args: Any) -> None:
        """Call the module type's ``hook`` (a field of ``Hooks``) with ``module`` and ``args``, if it declares one."""
        from django.utils.module_loading import import_string

        manifest = self.get(module.module_type)
        path = getattr(manifest.hooks, hook) if manifest is not None else None
        if path:
            import_string(path)(module, *args)

    def purge_drafts(self, before: Any) -> int:
        """Run every module type's ``purge_drafts(before)`` hook; the number of drafts deleted."""
        from django.utils.module_loading import import_string

        return sum(int(import_string(m.hooks.purge_drafts)(before) or 0) for m in self.all() if m.hooks.purge_drafts)

    def account_deleted(self, user: Any) -> None:
        """Run every module type's ``account_deleted(user)`` hook (``Hooks.account_deleted``), in key order."""
        from django.utils.module_loading import import_string

        for manifest in self.all():
            if manifest.hooks.account_deleted:
                import_string(manifest.hooks.account_deleted)(user)


registry = Registry()


def autodiscover() -> None:
    """Import every installed app's ``manifest`` submodule and register what it defines."""
    from importlib import import_module

    from django.apps import apps

    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.manifest")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.manifest":
                raise
            continue
        manifest = getattr(module, "manifest", None)
        if isinstance(manifest, ModuleManifest):
            registry.register(manifest)
            if manifest.rules:
                import_module(manifest.rules)  # registers the module's permissions


def personal_data_of(manifest: ModuleManifest, user: Any) -> dict[str, list[dict[str, Any]]]:
    """The named tables of ``user``'s data the module type declares (``{}`` when it declares none)."""
    from django.utils.module_loading import import_string

    if not manifest.personal_data:
        return {}
    return dict(import_string(manifest.personal_data)(user))


def statistics_of(module: Any) -> list[Statistic]:
    """The figures the module's type declares for ``module`` (``[]`` when it declares none)."""
    from django.utils.module_loading import import_string

    manifest = registry.get(module.module_type)
    if manifest is None or not manifest.statistics:
        return []
    return list(import_string(manifest.statistics)(module))


def figures(values: dict[str, int], labels: dict[str, Text]) -> list[Statistic]:
    """``values`` as statistics, in the order of ``labels`` (a module's ``statistics`` builds its answer with it)."""
    return [Statistic(key, label, int(values.get(key) or 0)) for key, label in labels.items()]


def resource_flags(model: type[Model] | Model) -> Resource | None:
    """The flags a module declared for a model (or None if no module declares it)."""
    return registry.resource(model._meta.label)
