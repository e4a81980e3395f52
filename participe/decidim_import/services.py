"""Importing a Decidim open-data archive (docs/decidim-import.md, decision 0040).

``archive_check`` and ``archive_import`` run the very same import in one transaction: the check rolls it back at the
end and returns the report (counts per entity, ignored columns, bad rows); the import keeps it. Nothing is ever
half-imported: a refusal of the archive as a whole (not a ZIP, no Decidim file, already imported) writes nothing, and
a bad row (a required field missing, a date that cannot be read, a parent that is not in the archive) is left out
and listed — the rest is imported only when the administrator confirms, knowing which rows stay out.

What becomes what: each participatory process (or assembly) named by the rows becomes a space (a draft, for the
administrators to review and publish); the proposals and the meetings go to a module of their type in that space,
through the modules' own ``import_decidim`` hooks (the platform imports no module); the proposals' comments become
comments with a stance (alignment 1 / 0 / -1 → favorable / neutre / défavorable); the results (accountability)
become commitments with their status and progress, answering the proposals they name; the authors become imported
accounts (``User.imported_from``), without email nor password, which nobody can sign in to, named
``decidim-<id>``: their Decidim names are not copied. Each Decidim object is recorded (``ImportedObject``), so that a
later archive of the same instance adds only what is new; the same archive twice is refused.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.module_loading import import_string
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participe.accounts.models import User
from participe.activity.services import audit
from participe.comments.services import clean_body, comments_import
from participe.commitments.models import Commitment, Status
from participe.commitments.services import commitment_create
from participe.core.registry import registry
from participe.decidim_import import reader
from participe.decidim_import.models import ArchiveImport, ImportedObject
from participe.decidim_import.reader import Archive, ArchiveError, BadValue, Table
from participe.permissions.refusals import require
from participe.spaces.models import Module, Space
from participe.spaces.services import module_create, space_create

STANCES = {"1": "favorable", "0": "neutral", "": "neutral", "-1": "unfavorable"}
# Labels of the report's entities, in its order.
ENTITY_LABELS = {
    "spaces": gettext_lazy("Espaces"),
    "participants": gettext_lazy("Participants importés"),
    "proposals": gettext_lazy("Propositions"),
    "comments": gettext_lazy("Commentaires"),
    "meetings": gettext_lazy("Réunions"),
    "commitments": gettext_lazy("Engagements"),
}
DONE_KEYS = {"done", "completed", "finished", "execution_finished", "realise", "termine", "acheve"}
ABANDONED_KEYS = {"abandoned", "cancelled", "canceled", "abandonne", "annule"}
WORKS_KEYS = {"works", "in_works", "en_travaux", "travaux"}
STUDY_KEYS = {"not_started", "planned", "study", "a_l_etude", "en_etude", "prevu"}


@dataclass
class BadRow:
    filename: str
    line: int
    decidim_id: str
    reason: str


@dataclass
class Report:
    """What the import does (a check) or did: counts per entity, what was already there, what is left out."""

    filename: str = ""
    source: str = ""
    checksum: str = ""
    confirmed: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    already: dict[str, int] = field(default_factory=dict)  # objects a previous archive of the instance brought
    ignored_columns: dict[str, list[str]] = field(default_factory=dict)  # file → columns
    not_taken: list[str] = field(default_factory=list)  # files (entities) not taken in, with why
    bad_rows: list[BadRow] = field(default_factory=list)
    spaces: list[tuple[int, str]] = field(default_factory=list)  # (pk, title) of the spaces written to

    def add(self, entity: str, n: int = 1) -> None:
        self.counts[entity] = self.counts.get(entity, 0) + n

    def bad(self, table: Table | str, line: int, decidim_id: str, reason: str) -> None:
        name = table.filename if isinstance(table, Table) else table
        self.bad_rows.append(BadRow(name, line, decidim_id, reason))

    @property
    def total(self) -> int:
        return sum(v for k, v in self.counts.items() if k not in ("spaces", "participants"))

    def rows(self) -> list[tuple[str, int, int]]:
        """(label, new, already there) per entity, in the report's order."""
        return [
            (str(label), self.counts.get(key, 0), self.already.get(key, 0))
            for key, label in ENTITY_LABELS.items()
            if self.counts.get(key) or self.already.get(key)
        ]

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Report:
        data = dict(data)
        data["bad_rows"] = [BadRow(**row) for row in data.get("bad_rows", [])]
        data["spaces"] = [tuple(s) for s in data.get("spaces", [])]
        return cls(**data)


class AlreadyImported(ArchiveError):
    """The same archive (same checksum) was imported before."""


class _CheckOnly(Exception):
    """Rolls the check back once its report is written."""


# --- the public services ------------------------------------------------------------------------------------------
def archive_check(*, actor: User, data: bytes, filename: str) -> Report:
    """Run the import of the archive and roll it back: the report of what confirming would do. Raises
    ``ArchiveError`` when the archive as a whole is refused, ``Refused`` unless ``actor`` is an organisation
    administrator."""
    return _run(actor=actor, data=data, filename=filename, confirm=False)


def archive_import(*, actor: User, data: bytes, filename: str) -> Report:
    """Import the archive (its good rows; the bad ones are listed in the report) in one transaction."""
    return _run(actor=actor, data=data, filename=filename, confirm=True)


@transaction.atomic
def archive_keep(*, actor: User, data: bytes, filename: str, report: Report) -> ArchiveImport:
    """Keep a checked archive and its report until the administrator confirms (the back-office's second step)."""
    require(actor, "decidim_import.import_archive")
    return ArchiveImport.objects.create(
        filename=filename[:255],
        checksum=report.checksum,
        source=report.source,
        archive=data,
        report=report.as_json(),
        created_by=actor,
    )


@transaction.atomic
def archive_confirm(*, actor: User, pending: ArchiveImport) -> Report:
    """Import a kept archive (``archive_keep``); the report of what was imported."""
    require(actor, "decidim_import.import_archive")
    locked = ArchiveImport.objects.select_for_update().get(pk=pending.pk)
    if locked.status != ArchiveImport.Status.CHECKED:
        raise AlreadyImported(_("Cette archive a déjà été importée."))
    return _run(actor=actor, data=bytes(locked.archive), filename=locked.filename, confirm=True, pending=locked)


@transaction.atomic
def archive_drop(*, actor: User, pending: ArchiveImport) -> None:
    """Forget a checked archive the administrator does not import."""
    require(actor, "decidim_import.import_archive")
    if pending.status == ArchiveImport.Status.CHECKED:
        pending.delete()


def _run(*, actor: User, data: bytes, filename: str, confirm: bool, pending: ArchiveImport | None = None) -> Report:
    require(actor, "decidim_import.import_archive")
    archive = reader.read_archive(data, filename)
    previous = ArchiveImport.objects.filter(checksum=archive.checksum, status=ArchiveImport.Status.DONE).first()
    if previous is not None:
        raise AlreadyImported(
            _("Cette archive a déjà été importée le %(date)s : rien n'est importé une seconde fois.")
            % {"date": timezone.localtime(previous.imported_at or previous.created_at).strftime("%d/%m/%Y %H:%M")}
        )
    report = Report(filename=filename, source=archive.source, checksum=archive.checksum, confirmed=confirm)
    try:
        with transaction.atomic():
            record = pending or ArchiveImport(filename=filename[:255], checksum=archive.checksum, created_by=actor)
            record.source = archive.source
            record.status = ArchiveImport.Status.DONE
            record.archive = b""
            record.imported_at = timezone.now()
            record.save()
            _Import(actor, archive, report, record).run()
            record.report = report.as_json()
            record.save(update_fields=["report"])
            audit(
                actor=actor,
                action="decidim_import.import",
                target=record,
                after={"source": archive.source, "checksum": archive.checksum, **report.counts},
            )
            if not confirm:
                raise _CheckOnly
    except _CheckOnly:
        pass
    return report


# --- the import ---------------------------------------------------------------------------------------------------
class _Import:
    """One run over the archive, inside the caller's transaction."""

    def __init__(self, actor: User, archive: Archive, report: Report, record: ArchiveImport) -> None:
        self.actor = actor
        self.archive = archive
        self.report = report
        self.record = record
        self.source = archive.source
        self.spaces: dict[str, Space] = {}
        self.modules: dict[tuple[str, str], Module] = {}
        self.authors: dict[str, User] = {}
        self.items: dict[str, dict[str, Model]] = defaultdict(dict)  # entity → Decidim id → item here
        self.slugs: dict[str, str] = {}  # space key → the slug its URL gives (a title when no spaces file)

    def _space_key(self, values: dict[str, str]) -> str:
        key = reader.space_key(values)
        match = re.search(
            r"/(?:processes|assemblies)/([^/]+)", values.get("participatory_space/url") or values.get("url", "")
        )
        if key and match:
            if ":slug:" in key:  # the same space as a row that gave its id and the same URL
                kind = key.split(":", 1)[0]
                return next((k for k, slug in self.slugs.items() if slug == match[1] and k.startswith(kind)), key)
            self.slugs.setdefault(key, match[1])
        return key

    # -- bookkeeping
    def _known(self, entity: str, decidim_id: str) -> Model | None:
        found = ImportedObject.objects.filter(source=self.source, entity=entity, decidim_id=decidim_id).first()
        return found.item if found is not None else None

    def _remember(self, entity: str, decidim_id: str, item: Model) -> None:
        ImportedObject.objects.create(
            source=self.source,
            entity=entity,
            decidim_id=decidim_id,
            content_type=ContentType.objects.get_for_model(item),
            object_id=item.pk,
            archive=self.record,
        )

    def run(self) -> None:
        for _name, table in sorted(self.archive.tables.items()):
            ignored = table.ignored_columns()
            if ignored:
                self.report.ignored_columns[table.filename] = ignored
        self.report.not_taken = [
            _("%(file)s : ce type de données n'est pas repris.") % {"file": name} for name in self.archive.not_taken
        ]
        for entity, why in (
            ("meeting_comments", _("les réunions ne se commentent pas sur cette plateforme")),
            ("result_comments", _("les engagements ne se commentent pas sur cette plateforme")),
        ):
            other = self.archive.tables.get(entity)
            if other is not None and other.rows:
                self.report.not_taken.append(
                    _("%(file)s : %(n)s commentaire(s) non repris, %(why)s.")
                    % {"file": other.filename, "n": len(other.rows), "why": why}
                )
        self._space_titles()
        self._module_records("proposals", self._proposal_record)
        self._comments()
        self._module_records("meetings", self._meeting_record)
        self._results()
        self.report.spaces = [(s.pk, s.title) for s in {s.pk: s for s in self.spaces.values()}.values()]

    # -- spaces
    def _space_titles(self) -> None:
        self.space_info: dict[str, dict[str, Any]] = {}
        for entity, kind in (("participatory_processes", "process"), ("assemblies", "assembly")):
            table = self.archive.tables.get(entity)
            if table is None:
                continue
            for _line, values in table.rows:
                info: dict[str, Any] = {
                    "title": reader.localised(values, "title"),
                    "summary": strip_tags(
                        reader.localised(values, "short_description") or reader.localised(values, "subtitle")
                    ),
                    "description": reader.localised(values, "description"),
                    "kind": kind,
                }
                for column, name in (("start_date", "start_date"), ("end_date", "end_date")):
                    try:
                        info[name] = reader.parse_date(values.get(column, ""), column)
                    except BadValue:
                        info[name] = None
                if values.get("id"):
                    self.space_info[f"{kind}:{values['id']}"] = info
                if values.get("slug"):
                    self.space_info[f"{kind}:slug:{values['slug']}"] = info

    def _space(self, key: str) -> Space:
        if key in self.spaces:
            return self.spaces[key]
        space = self._known("space", key)
        if not isinstance(space, Space):
            info = self.space_info.get(key, {})
            kind, _sep, rest = key.partition(":")
            slug = rest.removeprefix("slug:") if rest.startswith("slug:") else self.slugs.get(key, "")
            title = info.get("title") or (
                capfirst(slug.replace("-", " ").replace("_", " "))
                if slug
                else _("Démarche importée de Decidim n° %(id)s") % {"id": rest}
            )
            space = space_create(
                actor=self.actor,
                data={
                    "kind": Space.Kind.ASSEMBLY if kind == "assembly" else Space.Kind.PROCESS,
                    "title": " ".join(str(title).split())[:200],
                    "summary": " ".join(str(info.get("summary") or "").split())[:300]
                    or _("Importée de %(source)s.") % {"source": self.source},
                    "description": info.get("description") or "",
                    "start_date": info.get("start_date"),
                    "end_date": info.get("end_date"),
                },
            )
            self._remember("space", key, space)
            self.report.add("spaces")
        self.spaces[key] = space
        return space

    def _module(self, entity: str, space_key: str, component: str) -> Module | None:
        key = (entity, component or space_key)
        if key in self.modules:
            return self.modules[key]
        found = registry.decidim_importer(entity)
        if found is None:
            return None
        manifest, spec = found
        module = self._known(f"component:{entity}", key[1])
        if not isinstance(module, Module):
            module = module_create(
                actor=self.actor, space=self._space(space_key), module_type=manifest.key, title=str(spec.module_title)
            )
            self._remember(f"component:{entity}", key[1], module)
        self.modules[key] = module
        return module

    # -- authors
    def _author(self, values: dict[str, str]) -> User | None:
        decidim_id = values.get("author/id", "")
        if not decidim_id:
            return None
        if decidim_id in self.authors:
            return self.authors[decidim_id]
        user = self._known("author", decidim_id)
        if isinstance(user, User):
            self.authors[decidim_id] = user
            return user
        base = f"decidim-{decidim_id}"[:55]
        pseudonym, n = base, 2
        while User.objects.filter(pseudonym__iexact=pseudonym).exists():
            pseudonym, n = f"{base}-{n}", n + 1
        user = User.objects.create_user(
            email=None, pseudonym=pseudonym, imported_from=f"decidim:{self.source}"[:120], is_active=True
        )
        self._remember("author", decidim_id, user)
        self.authors[decidim_id] = user
        self.report.add("participants")
        return user

    # -- records read from rows
    def _proposal_record(self, values: dict[str, str]) -> dict[str, Any]:
        if not reader.localised(values, "title"):
            raise BadValue(_("le titre est vide"))
        if not strip_tags(reader.localised(values, "body")).strip():
            raise BadValue(_("la description est vide"))
        state = values.get("state", "").strip().lower()
        return {
            "title": reader.localised(values, "title"),
            "body": reader.localised(values, "body"),
            "answer": reader.localised(values, "answer"),
            "state": state,
            "withdrawn": reader.parse_bool(values.get("withdrawn", "")) or state == "withdrawn",
            "withdrawn_at": reader.parse_datetime(values.get("withdrawn_at", ""), "withdrawn_at"),
            "answered_at": reader.parse_datetime(values.get("answered_at", ""), "answered_at"),
            "published_at": reader.parse_datetime(values.get("published_at", ""), "published_at"),
            "created_at": reader.parse_datetime(values.get("created_at", ""), "created_at"),
            "address": values.get("address", ""),
            "latitude": reader.parse_decimal(values.get("latitude", ""), "latitude"),
            "longitude": reader.parse_decimal(values.get("longitude", ""), "longitude"),
            "cost": reader.parse_decimal(values.get("cost", ""), "cost"),
            "reference": values.get("reference", ""),
            "url": values.get("url", ""),
        }

    def _meeting_record(self, values: dict[str, str]) -> dict[str, Any]:
        if not reader.localised(values, "title"):
            raise BadValue(_("le titre est vide"))
        start = reader.parse_datetime(values.get("start_time", ""), "start_time")
        end = reader.parse_datetime(values.get("end_time", ""), "end_time")
        if start is None or end is None:
            raise BadValue(_("le début ou la fin manque (colonnes start_time, end_time)"))
        attendees = values.get("attendees_count") or values.get("attendees", "")
        return {
            "title": reader.localised(values, "title"),
            "description": reader.localised(values, "description"),
            "location": reader.localised(values, "location"),
            "closing_report": reader.localised(values, "closing_report"),
            "start": start,
            "end": end,
            "address": values.get("address", ""),
            "latitude": reader.parse_decimal(values.get("latitude", ""), "latitude"),
            "longitude": reader.parse_decimal(values.get("longitude", ""), "longitude"),
            "type_of_meeting": values.get("type_of_meeting", "").strip().lower(),
            "online_url": values.get("online_meeting_url", ""),
            "published": reader.parse_bool(values["published"]) if values.get("published") else True,
            "withdrawn": reader.parse_bool(values.get("withdrawn", "")),
            "attendees": reader.parse_int(attendees, "attendees"),
            "created_at": reader.parse_datetime(values.get("created_at", ""), "created_at"),
            "url": values.get("url", ""),
        }

    def _module_records(self, entity: str, read: Any) -> None:
        """The rows of ``entity`` read, grouped by module, and handed to the module's ``import_decidim`` hook."""
        table = self.archive.tables.get(entity)
        if table is None:
            return
        found = registry.decidim_importer(entity)
        if found is None:
            self.report.not_taken.append(
                _("%(file)s : aucun module installé ne reprend ces données.") % {"file": table.filename}
            )
            return
        load = import_string(found[1].load)
        groups: dict[tuple[str, str], list[tuple[int, dict[str, Any]]]] = defaultdict(list)
        for line, values in table.rows:
            found_row = self._module_row(table, line, values, read)
            if found_row is not None:
                groups[found_row[0]].append((line, found_row[1]))
        for (space, component), rows in groups.items():
            module = self._module(entity, space, component)
            assert module is not None
            records = []
            for _line, record in rows:
                record["author"] = self._author(record.pop("_author_values"))
                records.append(record)
            results = load(actor=self.actor, module=module, records=records)
            for line, record in rows:
                made = results.get(record["id"])
                if isinstance(made, Model):
                    self._remember(entity, record["id"], made)
                    self.items[entity][record["id"]] = made
                    self.report.add(entity)
                else:
                    self.report.bad(table, line, record["id"], str(made or _("non importé")))

    def _module_row(
        self, table: Table, line: int, values: dict[str, str], read: Any
    ) -> tuple[tuple[str, str], dict[str, Any]] | None:
        """(space key, component) and the record of one row to import; None when it is bad or already here."""
        entity, decidim_id = table.entity, values.get("id", "")
        if not decidim_id:
            self.report.bad(table, line, "", _("l'identifiant (colonne id) manque"))
            return None
        existing = self._known(entity, decidim_id)
        if existing is not None:
            self.items[entity][decidim_id] = existing
            self.report.already[entity] = self.report.already.get(entity, 0) + 1
            return None
        space = self._space_key(values)
        if not space:
            self.report.bad(table, line, decidim_id, _("la démarche manque (colonne participatory_space/id)"))
            return None
        try:
            record = read(values)
        except BadValue as exc:
            self.report.bad(table, line, decidim_id, str(exc))
            return None
        record.update(id=decidim_id, line=line, _author_values=values)
        return (space, values.get("component/id", "")), record

    # -- comments
    def _comment_target(self, values: dict[str, str], comments: dict[str, dict[str, Any]]) -> tuple[str, str | None]:
        """(Decidim id of the proposal, Decidim id of the parent comment or None); raises BadValue."""
        kind = values.get("commentable_type", "")
        commentable = values.get("commentable_id", "")
        if kind.endswith("Comment") and commentable:
            parent = comments.get(commentable)
            if parent is None:
                raise BadValue(
                    _("le commentaire n° %(id)s auquel il répond n'est pas dans l'archive") % {"id": commentable}
                )
            if "error" in parent:
                raise BadValue(_("le commentaire n° %(id)s auquel il répond est lui-même refusé") % {"id": commentable})
            return parent["proposal"], commentable
        proposal = commentable if kind.endswith("Proposal") and commentable else ""
        if not proposal:
            ids = reader.ids_in(values.get("root_commentable_url", ""))
            proposal = ids[-1] if ids and "/proposals/" in values.get("root_commentable_url", "") else ""
        if not proposal:
            raise BadValue(_("l'élément commenté manque (colonnes commentable_id, root_commentable_url)"))
        return proposal, None

    def _comment_row(
        self, table: Table, line: int, values: dict[str, str], comments: dict[str, dict[str, Any]]
    ) -> dict[str, Any] | None:
        """The comment of one row to import (and noted in ``comments``); None when it is bad or already here."""
        decidim_id = values.get("id", "")
        if not decidim_id:
            self.report.bad(table, line, "", _("l'identifiant (colonne id) manque"))
            return None
        try:
            proposal, parent = self._comment_target(values, comments)
            if self._known("comment", decidim_id) is not None:
                comments[decidim_id] = {"proposal": proposal, "done": True}
                self.report.already["comments"] = self.report.already.get("comments", 0) + 1
                return None
            if proposal not in self.items["proposals"]:
                raise BadValue(
                    _("la proposition n° %(id)s commentée n'est pas dans l'archive ou est refusée") % {"id": proposal}
                )
            alignment = values.get("alignment", "").strip()
            if alignment not in STANCES:
                raise BadValue(_("position inconnue « %(v)s » (alignment : 1, 0 ou -1)") % {"v": alignment})
            try:
                body = clean_body(reader.localised(values, "body"))
            except ValidationError as exc:
                raise BadValue(_("le texte est vide ou trop long")) from exc
            data = {
                "id": decidim_id,
                "line": line,
                "proposal": proposal,
                "parent_id": parent,
                "body": body,
                "stance": STANCES[alignment],
                "created_at": reader.parse_datetime(values.get("created_at", ""), "created_at"),
                "author": self._author(values),
            }
        except BadValue as exc:
            comments[decidim_id] = {"proposal": "", "error": True}
            self.report.bad(table, line, decidim_id, str(exc))
            return None
        comments[decidim_id] = data
        return data

    def _comments(self) -> None:
        table = self.archive.tables.get("proposal_comments")
        if table is None:
            return
        comments: dict[str, dict[str, Any]] = {}
        by_target: dict[str, list[dict[str, Any]]] = defaultdict(list)
        # Threads before their replies, whatever the order of the file.
        ordered = sorted(table.rows, key=lambda row: (_number(row[1].get("depth", "")), row[0]))
        for line, values in ordered:
            data = self._comment_row(table, line, values, comments)
            if data is not None:
                by_target[data["proposal"]].append(data)
        for proposal, rows in by_target.items():
            target = self.items["proposals"][proposal]
            position = {row["id"]: i for i, row in enumerate(rows)}
            batch = []
            for row in rows:
                parent = row["parent_id"]
                batch.append({**row, "parent": position.get(parent) if parent else None})
            made = comments_import(actor=self.actor, target=target, comments=batch)
            for row, comment in zip(rows, made, strict=True):
                self._remember("comment", row["id"], comment)
            self.report.add("comments", len(made))

    # -- results → commitments
    def _status(self, values: dict[str, str]) -> tuple[str, int]:
        progress = reader.parse_decimal(values.get("progress") or values.get("status/progress", ""), "progress")
        value = max(0, min(100, int(progress))) if progress is not None else 0
        key = reader.localised(values, "status/name") + " " + values.get("status/key", "")
        words = {
            w
            for w in key.lower().replace("é", "e").replace("è", "e").replace("à", "a").replace(" ", "_").split("_")
            if w
        }
        joined = values.get("status/key", "").strip().lower()
        if joined in ABANDONED_KEYS or words & ABANDONED_KEYS:
            return Status.ABANDONED, value
        if value >= 100 or joined in DONE_KEYS or words & DONE_KEYS:
            return Status.DONE, 100
        if joined in WORKS_KEYS or words & WORKS_KEYS:
            return Status.WORKS, value
        if value > 0:
            return Status.IN_PROGRESS, value
        return Status.STUDY, value

    def _results(self) -> None:
        table = self.archive.tables.get("results")
        if table is None:
            return
        for line, values in table.rows:
            decidim_id = values.get("id", "")
            if not decidim_id:
                self.report.bad(table, line, "", _("l'identifiant (colonne id) manque"))
                continue
            if self._known("result", decidim_id) is not None:
                self.report.already["commitments"] = self.report.already.get("commitments", 0) + 1
                continue
            try:
                self._result(values, decidim_id)
            except BadValue as exc:
                self.report.bad(table, line, decidim_id, str(exc))
            except ValidationError as exc:
                self.report.bad(table, line, decidim_id, " ".join(exc.messages))

    def _result(self, values: dict[str, str], decidim_id: str) -> None:
        title = " ".join(reader.localised(values, "title").split())
        if not title:
            raise BadValue(_("le titre est vide"))
        linked = reader.ids_in(values.get("related_proposals") or values.get("proposal_ids") or "")
        linked += reader.ids_in(values.get("proposal_urls", ""))
        sources = [self.items["proposals"][p] for p in dict.fromkeys(linked) if p in self.items["proposals"]]
        key = self._space_key(values)
        if key:
            space = self._space(key)
        elif sources:
            space = sources[0].module.space  # type: ignore[attr-defined]
        else:
            raise BadValue(_("la démarche manque (colonne participatory_space/id, ou une proposition liée)"))
        status, progress = self._status(values)
        planned = reader.parse_date(values.get("end_date", ""), "end_date")
        reader.parse_date(values.get("start_date", ""), "start_date")
        created = reader.parse_datetime(values.get("created_at", ""), "created_at")
        with transaction.atomic():
            commitment = commitment_create(
                self.actor,
                space=space,
                title=title[:200],
                sources=sources,
                status=status,
                status_reason=_("Abandonné (Decidim : %(s)s).") % {"s": reader.localised(values, "status/name") or "-"}
                if status == Status.ABANDONED
                else "",
                progress=progress,
                follow=False,
                description=strip_tags(reader.localised(values, "description"))[:10_000],
                planned_date=planned,
            )
            changes: dict[str, Any] = {}
            if created is not None:
                changes["created_at"] = created
            if status == Status.DONE and planned is not None:
                changes["done_on"] = planned
            if changes:
                Commitment.objects.filter(pk=commitment.pk).update(**changes)
        self._remember("result", decidim_id, commitment)
        self.spaces.setdefault(f"space:{space.pk}", space)
        self.report.add("commitments")


def _number(value: str) -> int:
    return int(value) if value.strip().isdigit() else 0
