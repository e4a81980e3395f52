"""Every write of the syntheses: run one over a space's contributions, compute its themes (in a worker), review
them, write and publish it; import contributions from outside (``imports.py`` reads the file).

Each service takes the ``actor``, checks its permission itself (``require``, the same rules as the pages and the
API), validates before writing, runs in a transaction under a lock on the synthesis' row (two agents reviewing at
once see each other's changes) and records the act in the audit log. The review is open while the synthesis is
« à relire »; a published synthesis is withdrawn (``synthesis_unpublish``) before it changes again.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participe.activity.services import audit
from participe.permissions.refusals import Reason, require
from participe.spaces.models import Module, Space
from participe.synthesis.engine import DEFAULT, NOISE, Themes, method
from participe.synthesis.gather import Gathered, gather
from participe.synthesis.models import Entry, Synthesis, Theme

MIN_CONTRIBUTIONS = 10  # below, themes say nothing that reading the contributions one by one would not
MAX_TITLE = 200
MAX_LABEL = 120
MAX_TEXT = 50_000
QUOTES = 3  # quotes chosen per theme at first (the agents change them)
BATCH = 2_000
IDS_PER_QUERY = 900  # below SQLite's oldest limit of variables per statement
MARKER = re.compile(r"\[\[(theme|citation):(\d+)\]\]")
NOT_MANAGER = Reason(
    "not_manager", gettext_lazy("Seuls les administrateurs de la démarche font et publient ses synthèses.")
)


def _clean(value: str | None, field: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: _("Ce champ est obligatoire.")})
    if len(value) > limit:
        raise ValidationError({field: _("Ce texte fait au plus %(n)s caractères.") % {"n": limit}})
    return value


def _lock(synthesis: Synthesis) -> Synthesis:
    return Synthesis.objects.select_for_update().select_related("space").get(pk=synthesis.pk)


def _under_review(synthesis: Synthesis) -> None:
    if synthesis.status != Synthesis.Status.REVIEW:
        raise ValidationError(
            _("Cette synthèse n'est pas en relecture (%(status)s) : retirez-la de la publication pour la modifier.")
            % {"status": synthesis.get_status_display()}
        )


# --- run ------------------------------------------------------------------------------------------------------------
def _entry(synthesis: Synthesis, found: Gathered) -> Entry:
    return Entry(
        synthesis=synthesis,
        reference=found.reference,
        kind=found.kind[:100],
        url=found.url[:500],
        text=found.text,
        territory_name=found.territory_name[:200],
        stance=found.stance,
        question=found.question[:300],
        date=found.date,
        content_type_id=found.content_type_id,
        object_id=found.object_id,
        imported_id=found.imported_id,
    )


def synthesis_start(
    *,
    actor: Any,
    space: Space,
    title: str,
    seed: int = 0,
    module: Module | None = None,
    imported: bool = True,
) -> Synthesis:
    """Read every contribution of ``space`` (``gather``; of one ``module`` of it only, with or without the
    ``imported`` contributions) into a new synthesis and ask a worker to find its themes (``tasks.compute``; at once
    where tasks run immediately). Refused below ``MIN_CONTRIBUTIONS`` contributions, with how many there are;
    nothing is written then."""
    require(actor, "synthesis.add_synthesis", space, reason=NOT_MANAGER)
    title = _clean(title, "title", MAX_TITLE)
    if module is not None and module.space_id != space.pk:
        raise ValidationError({"module": _("Ce module n'appartient pas à cette démarche.")})
    with transaction.atomic():
        synthesis = Synthesis.objects.create(space=space, title=title, seed=seed, method=DEFAULT, created_by=actor)
        count = 0
        batch: list[Entry] = []
        for found in gather(space, module=module, imported=imported):
            batch.append(_entry(synthesis, found))
            count += 1
            if len(batch) == BATCH:
                Entry.objects.bulk_create(batch)
                batch = []
        if count < MIN_CONTRIBUTIONS:
            raise _too_few(count)  # the transaction rolls back: nothing is written
        Entry.objects.bulk_create(batch)
        Synthesis.objects.filter(pk=synthesis.pk).update(contributions_count=count)
        audit(actor=actor, action="synthesis.start", target=synthesis, after={"contributions": count})
        transaction.on_commit(lambda: _enqueue(synthesis.pk))
    synthesis.refresh_from_db()
    return synthesis


def _too_few(count: int) -> ValidationError:
    if count == 0:
        return ValidationError(
            _("Cette démarche n'a aucune contribution publiée ni importée : il n'y a rien à synthétiser.")
        )
    return ValidationError(
        _(
            "Il faut au moins %(min)s contributions pour dégager des thèmes ; cette démarche en a %(n)s. "
            "Lisez-les une à une : une synthèse n'en dirait pas plus."
        )
        % {"min": MIN_CONTRIBUTIONS, "n": count}
    )


def _enqueue(pk: int) -> None:
    from participe.synthesis.tasks import compute  # the task module imports these services

    compute.enqueue(pk)


def _method_note(synthesis: Synthesis, count: int, themes: int) -> str:
    if synthesis.method == "semantic":
        return _(
            "Cette synthèse porte sur %(n)s contributions. Leurs textes ont été regroupés automatiquement par "
            "thèmes, sur le serveur de la collectivité, sans service extérieur : les mots de chaque contribution "
            "sont ramenés à leur racine et pondérés selon leur rareté (TF-IDF), et le sens de chaque phrase est "
            "représenté par un modèle de langue multilingue installé sur le serveur (Universal Sentence Encoder "
            "multilingue de Google), qui rapproche les contributions disant la même chose en d'autres mots ; elles "
            "sont ensuite réparties en %(k)s groupes par la méthode des k-moyennes, leur nombre étant choisi par le "
            "calcul. Les agents ont ensuite relu chaque thème : ils l'ont nommé, ont fusionné ou séparé des thèmes, "
            "déplacé des contributions et écarté celles qui ne parlaient pas du sujet. Chaque citation renvoie à la "
            "contribution dont elle vient."
        ) % {"n": count, "k": themes}
    return _(
        "Cette synthèse porte sur %(n)s contributions. Leurs textes ont été regroupés automatiquement par thèmes, "
        "sur le serveur de la collectivité, sans service extérieur : les mots de chaque contribution sont ramenés "
        "à leur racine, pondérés selon leur rareté (TF-IDF), rapprochés par analyse sémantique latente, puis "
        "répartis en %(k)s groupes par la méthode des k-moyennes, leur nombre étant choisi par le calcul. "
        "Les agents ont ensuite relu chaque thème : ils l'ont nommé, ont fusionné ou séparé des thèmes, déplacé "
        "des contributions et écarté celles qui ne parlaient pas du sujet. Chaque citation renvoie à la "
        "contribution dont elle vient."
    ) % {"n": count, "k": themes}


def synthesis_compute(synthesis_id: int) -> Synthesis | None:
    """Find the themes of a synthesis being computed (the worker's task): themes, each entry's theme and score,
    the first quotes, the method's paragraph. A failure is recorded on the synthesis, never half-written."""
    synthesis = Synthesis.objects.filter(pk=synthesis_id, status=Synthesis.Status.COMPUTING).first()
    if synthesis is None:
        return None
    started = time.monotonic()
    ids, texts = _texts(synthesis)
    try:
        result = method(synthesis.method).themes(texts, seed=synthesis.seed)
    except Exception as exc:  # recorded for the agents; the worker goes on with its other tasks
        Synthesis.objects.filter(pk=synthesis.pk).update(status=Synthesis.Status.FAILED, error=str(exc)[:2000])
        raise
    with transaction.atomic():
        synthesis = _lock(synthesis)
        if synthesis.status != Synthesis.Status.COMPUTING:
            return synthesis
        _store(synthesis, ids, result)
        synthesis.status = Synthesis.Status.REVIEW
        synthesis.progress = 100
        synthesis.computed_at = timezone.now()
        synthesis.method_note = _method_note(synthesis, len(ids), len(result.themes))
        synthesis.error = ""
        synthesis.save()
        audit(
            actor=None,
            action="synthesis.computed",
            target=synthesis,
            after={"themes": len(result.themes), "seconds": round(time.monotonic() - started, 1), "note": result.note},
        )
    return synthesis


def _texts(synthesis: Synthesis) -> tuple[list[int], list[str]]:
    ids: list[int] = []
    texts: list[str] = []
    rows = Entry.objects.filter(synthesis=synthesis, discarded=False).order_by("pk").values_list("pk", "text")
    for pk, text in rows.iterator(chunk_size=BATCH):
        ids.append(pk)
        texts.append(text)
    return ids, texts


def _store(synthesis: Synthesis, ids: Sequence[int], result: Themes) -> None:
    Theme.objects.filter(synthesis=synthesis).delete()
    themes = Theme.objects.bulk_create(
        [
            Theme(synthesis=synthesis, label=t.label[:MAX_LABEL], keywords=", ".join(t.keywords)[:300], position=i)
            for i, t in enumerate(result.themes)
        ]
    )
    # One UPDATE per theme and score (to the hundredth) with the ids in it, rather than bulk_update's CASE per row:
    # at 100,000 entries the CASE statements cost minutes (docs/benchmarks.md, « Synthesis »).
    groups: dict[tuple[int | None, float], list[int]] = {}
    for pk, number, score in zip(ids, result.assignments, result.scores, strict=True):
        theme_id = themes[number].pk if number != NOISE else None
        groups.setdefault((theme_id, round(score, 2)), []).append(pk)
    for (theme_id, score), members in groups.items():
        for start in range(0, len(members), IDS_PER_QUERY):
            Entry.objects.filter(pk__in=members[start : start + IDS_PER_QUERY]).update(theme_id=theme_id, score=score)
    quotes = [ids[i] for t in result.themes for i in t.representatives[:QUOTES]]
    Entry.objects.filter(synthesis=synthesis, is_quote=True).update(is_quote=False)
    Entry.objects.filter(pk__in=quotes).update(is_quote=True)


# --- review ---------------------------------------------------------------------------------------------------------
def _reviewable(actor: Any, synthesis: Synthesis) -> Synthesis:
    require(actor, "synthesis.change_synthesis", synthesis, reason=NOT_MANAGER)
    locked = _lock(synthesis)
    _under_review(locked)
    return locked


@transaction.atomic
def theme_rename(*, actor: Any, theme: Theme, label: str) -> Theme:
    """Give ``theme`` the label the agents chose."""
    _reviewable(actor, theme.synthesis)
    label = _clean(label, "label", MAX_LABEL)
    before = theme.label
    Theme.objects.filter(pk=theme.pk).update(label=label)
    theme.label = label
    audit(
        actor=actor,
        action="synthesis.theme_rename",
        target=theme.synthesis,
        before={"label": before},
        after={"label": label, "theme": theme.pk},
    )
    return theme


@transaction.atomic
def themes_merge(*, actor: Any, synthesis: Synthesis, themes: Iterable[Theme]) -> Theme:
    """Merge ``themes`` (two or more of ``synthesis``) into the first: its label stays, the others' contributions
    join it and they disappear."""
    _reviewable(actor, synthesis)
    wanted = [t.pk for t in themes]
    existing = {t.pk: t for t in Theme.objects.filter(synthesis=synthesis, pk__in=wanted)}
    chosen = [existing[pk] for pk in wanted if pk in existing]  # read under the lock: merged meanwhile, gone
    if len(chosen) < 2 or len(chosen) != len(wanted):
        raise ValidationError(_("Choisissez au moins deux thèmes de cette synthèse à fusionner."))
    target, others = chosen[0], chosen[1:]
    Entry.objects.filter(theme__in=others).update(theme=target)
    Theme.objects.filter(pk__in=[t.pk for t in others]).delete()
    audit(
        actor=actor,
        action="synthesis.themes_merge",
        target=synthesis,
        after={"into": target.pk, "merged": [t.label for t in others]},
    )
    return target


@transaction.atomic
def theme_split(*, actor: Any, theme: Theme) -> Theme:
    """Split ``theme`` in two with the synthesis' method; returns the new theme (the second part)."""
    synthesis = _reviewable(actor, theme.synthesis)
    entries = list(Entry.objects.filter(theme=theme, discarded=False).order_by("pk").values_list("pk", "text"))
    if len(entries) < 4:
        raise ValidationError(_("Un thème de moins de quatre contributions ne se sépare pas : déplacez-les une à une."))
    result = method(synthesis.method).themes([t for _pk, t in entries], seed=synthesis.seed, n_themes=2)
    if len(result.themes) < 2:
        raise ValidationError(_("Ces contributions se ressemblent trop pour être séparées automatiquement."))
    position = (Theme.objects.filter(synthesis=synthesis).aggregate(m=Max("position"))["m"] or 0) + 1
    part = result.themes[1]
    new = Theme.objects.create(
        synthesis=synthesis, label=part.label[:MAX_LABEL], keywords=", ".join(part.keywords)[:300], position=position
    )
    moved = [pk for (pk, _text), number in zip(entries, result.assignments, strict=True) if number == 1]
    Entry.objects.filter(pk__in=moved).update(theme=new)
    audit(
        actor=actor,
        action="synthesis.theme_split",
        target=synthesis,
        after={"theme": theme.pk, "new": new.pk, "moved": len(moved)},
    )
    return new


@transaction.atomic
def entry_move(*, actor: Any, entry: Entry, theme: Theme | None) -> Entry:
    """Put ``entry`` in ``theme`` (None: in no theme)."""
    synthesis = _reviewable(actor, entry.synthesis)
    if theme is not None and not Theme.objects.filter(pk=theme.pk, synthesis=synthesis).exists():
        # another agent merged it away meanwhile (the synthesis' row is locked: what is read now stays true)
        raise ValidationError({"theme": _("Ce thème n'appartient pas à cette synthèse.")})
    before = entry.theme_id
    Entry.objects.filter(pk=entry.pk).update(theme=theme)
    entry.theme = theme
    audit(
        actor=actor,
        action="synthesis.entry_move",
        target=synthesis,
        before={"entry": entry.reference, "theme": before},
        after={"theme": theme.pk if theme else None},
    )
    return entry


@transaction.atomic
def entry_discard(*, actor: Any, entry: Entry, discarded: bool = True) -> Entry:
    """Set ``entry`` aside as noise (it no longer counts nor shows), or take it back."""
    synthesis = _reviewable(actor, entry.synthesis)
    Entry.objects.filter(pk=entry.pk).update(discarded=discarded, is_quote=False if discarded else entry.is_quote)
    entry.discarded = discarded
    audit(
        actor=actor,
        action="synthesis.entry_discard",
        target=synthesis,
        after={"entry": entry.reference, "discarded": discarded},
    )
    return entry


@transaction.atomic
def entry_quote(*, actor: Any, entry: Entry, is_quote: bool) -> Entry:
    """Choose ``entry`` as one of its theme's quotes (or no longer)."""
    synthesis = _reviewable(actor, entry.synthesis)
    if is_quote and (entry.discarded or entry.theme_id is None):
        raise ValidationError(_("Seule une contribution d'un thème, non écartée, peut être citée."))
    Entry.objects.filter(pk=entry.pk).update(is_quote=is_quote)
    entry.is_quote = is_quote
    audit(
        actor=actor,
        action="synthesis.entry_quote",
        target=synthesis,
        after={"entry": entry.reference, "quote": is_quote},
    )
    return entry


def check_markers(synthesis: Synthesis, text: str) -> None:
    """Every [[theme:N]] and [[citation:N]] of ``text`` names a theme or a contribution of ``synthesis``."""
    themes = set(Theme.objects.filter(synthesis=synthesis).values_list("pk", flat=True))
    wanted = {int(n) for kind, n in MARKER.findall(text) if kind == "citation"}
    entries = set(
        Entry.objects.filter(synthesis=synthesis, pk__in=wanted, discarded=False).values_list("pk", flat=True)
    )
    wrong = [
        f"[[{kind}:{n}]]"
        for kind, n in MARKER.findall(text)
        if (kind == "theme" and int(n) not in themes) or (kind == "citation" and int(n) not in entries)
    ]
    if wrong:
        raise ValidationError(
            {
                "text": _("Ces renvois ne désignent aucun thème ni aucune contribution de la synthèse : %(m)s.")
                % {"m": ", ".join(wrong)}
            }
        )


@transaction.atomic
def synthesis_edit(*, actor: Any, synthesis: Synthesis, title: str, text: str) -> Synthesis:
    """Save the title and the text of the synthesis (themes and quotes inserted with their markers)."""
    locked = _reviewable(actor, synthesis)
    title = _clean(title, "title", MAX_TITLE)
    text = (text or "").strip()
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": _("Ce texte fait au plus %(n)s caractères.") % {"n": MAX_TEXT}})
    check_markers(locked, text)
    locked.title, locked.text = title, text
    locked.save(update_fields=["title", "text", "updated_at"])
    audit(actor=actor, action="synthesis.edit", target=locked, after={"title": title, "length": len(text)})
    return locked


@transaction.atomic
def synthesis_publish(*, actor: Any, synthesis: Synthesis) -> Synthesis:
    """Publish a reviewed synthesis: its text, its themes with their figures and quotes, the method's paragraph,
    the date and the number of contributions it covers (those not set aside)."""
    locked = _reviewable(actor, synthesis)
    if not locked.text:
        raise ValidationError({"text": _("Écrivez le texte de la synthèse avant de la publier.")})
    check_markers(locked, locked.text)
    counts = Entry.objects.filter(synthesis=locked).aggregate(
        kept=Count("pk", filter=Q(discarded=False)), themed=Count("pk", filter=Q(discarded=False, theme__isnull=False))
    )
    if not counts["themed"]:
        raise ValidationError(_("Aucune contribution n'est rangée dans un thème : il n'y a rien à publier."))
    themes = Theme.objects.filter(synthesis=locked).count()
    locked.status = Synthesis.Status.PUBLISHED
    locked.published_at = timezone.now()
    locked.contributions_count = counts["kept"]
    locked.method_note = _method_note(locked, counts["kept"], themes)
    locked.save()
    audit(actor=actor, action="synthesis.publish", target=locked, after={"contributions": counts["kept"]})
    return locked


@transaction.atomic
def synthesis_unpublish(*, actor: Any, synthesis: Synthesis) -> Synthesis:
    """Withdraw a published synthesis for review (it is no longer shown)."""
    require(actor, "synthesis.change_synthesis", synthesis, reason=NOT_MANAGER)
    locked = _lock(synthesis)
    if locked.status != Synthesis.Status.PUBLISHED:
        raise ValidationError(_("Cette synthèse n'est pas publiée."))
    locked.status = Synthesis.Status.REVIEW
    locked.save(update_fields=["status", "updated_at"])
    audit(actor=actor, action="synthesis.unpublish", target=locked)
    return locked


@transaction.atomic
def synthesis_delete(*, actor: Any, synthesis: Synthesis) -> None:
    """Delete a synthesis with its themes (the contributions themselves stay where they are)."""
    require(actor, "synthesis.change_synthesis", synthesis, reason=NOT_MANAGER)
    locked = _lock(synthesis)
    audit(actor=actor, action="synthesis.delete", target=locked.space, before={"title": locked.title})
    locked.delete()


def delete_for(target: Any) -> int:
    """A module deletes ``target`` (a contribution, or its author's account is erased): its copy leaves every
    synthesis, so that what was deleted is not kept here (registered shared clean-up). Returns how many went."""
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(target)
    deleted, _rows = Entry.objects.filter(content_type=content_type, object_id=target.pk).delete()
    return deleted
