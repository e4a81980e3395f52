"""The services of the syntheses: who may run and review them, the review's acts, publication, and bad input
(too few contributions, wrong markers) refused with a message and nothing written."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from participe.activity.models import AuditEntry
from participe.permissions.refusals import Refused
from participe.synthesis import services
from participe.synthesis.models import Entry, Synthesis, Theme
from participe.synthesis.tests.conftest import TEXTS
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def test_running_a_synthesis_reads_every_contribution_and_finds_themes(synthesis, items):
    synthesis.refresh_from_db()
    assert synthesis.status == Synthesis.Status.REVIEW  # tasks run at once in the tests
    assert synthesis.contributions_count == len(items)
    assert Theme.objects.filter(synthesis=synthesis).count() >= 2
    entry = Entry.objects.get(synthesis=synthesis, object_id=items[0].pk)
    assert entry.url == items[0].get_absolute_url() and items[0].body in entry.text and entry.theme_id
    assert Entry.objects.filter(synthesis=synthesis, is_quote=True).exists()
    assert "14 contributions" in synthesis.method_note


def test_a_resident_may_not_run_one_and_nothing_is_written(items, resident, space):
    with pytest.raises(Refused):
        services.synthesis_start(actor=resident, space=space, title="Non")
    assert not Synthesis.objects.exists() and not Entry.objects.exists()


def test_too_few_contributions_say_how_many_and_write_nothing(module, manager, space):
    with pytest.raises(ValidationError, match="aucune contribution"):
        services.synthesis_start(actor=manager, space=space, title="Vide")
    for n in range(3):
        ItemFactory(module=module, body=f"Contribution {n}")
    with pytest.raises(
        ValidationError, match="au moins 10 contributions pour dégager des thèmes ; cette démarche en a 3"
    ):
        services.synthesis_start(actor=manager, space=space, title="Trois")
    assert not Synthesis.objects.exists() and not Entry.objects.exists()


def test_unpublished_items_are_left_out(items, manager, space, module):
    from django.contrib.contenttypes.models import ContentType

    ItemFactory(module=module, body="Un brouillon secret", moderation_status="pending")
    synthesis = services.synthesis_start(actor=manager, space=space, title="Publiés")
    assert not Entry.objects.filter(synthesis=synthesis, text__contains="brouillon secret").exists()
    assert Entry.objects.filter(synthesis=synthesis).count() == len(items)
    assert ContentType.objects.get_for_id(Entry.objects.first().content_type_id).model == "item"


def test_the_review_rename_merge_split_move_discard_quote(synthesis, manager):
    themes = list(Theme.objects.filter(synthesis=synthesis))
    services.theme_rename(actor=manager, theme=themes[0], label="Des arbres")
    assert Theme.objects.get(pk=themes[0].pk).label == "Des arbres"
    merged = services.themes_merge(actor=manager, synthesis=synthesis, themes=themes[:2])
    assert not Theme.objects.filter(pk=themes[1].pk).exists()
    size = Entry.objects.filter(theme=merged).count()
    new = services.theme_split(actor=manager, theme=merged)
    assert 0 < Entry.objects.filter(theme=new).count() < size
    entry = Entry.objects.filter(theme=merged).first()
    services.entry_move(actor=manager, entry=entry, theme=new)
    assert Entry.objects.get(pk=entry.pk).theme_id == new.pk
    services.entry_discard(actor=manager, entry=entry)
    assert Entry.objects.get(pk=entry.pk).discarded
    with pytest.raises(ValidationError):
        services.entry_quote(actor=manager, entry=Entry.objects.get(pk=entry.pk), is_quote=True)
    services.entry_discard(actor=manager, entry=entry, discarded=False)
    services.entry_quote(actor=manager, entry=Entry.objects.get(pk=entry.pk), is_quote=True)
    assert Entry.objects.get(pk=entry.pk).is_quote
    assert AuditEntry.objects.filter(action__startswith="synthesis.").count() >= 8


def test_a_resident_may_not_review(synthesis, resident):
    theme = Theme.objects.filter(synthesis=synthesis).first()
    with pytest.raises(Refused):
        services.theme_rename(actor=resident, theme=theme, label="Pirate")
    assert Theme.objects.get(pk=theme.pk).label != "Pirate"


def test_publication_needs_a_text_with_right_markers_then_freezes_the_review(synthesis, manager):
    theme = Theme.objects.filter(synthesis=synthesis).first()
    with pytest.raises(ValidationError, match="Écrivez le texte"):
        services.synthesis_publish(actor=manager, synthesis=synthesis)
    with pytest.raises(ValidationError, match=r"\[\[theme:999999\]\]"):
        services.synthesis_edit(actor=manager, synthesis=synthesis, title="T", text="Voir [[theme:999999]]")
    quote = Entry.objects.filter(synthesis=synthesis, is_quote=True).first()
    text = f"Vous avez parlé de beaucoup de choses.\n\n[[theme:{theme.pk}]]\n\n[[citation:{quote.pk}]]"
    services.synthesis_edit(actor=manager, synthesis=synthesis, title="Ce que vous avez dit", text=text)
    published = services.synthesis_publish(actor=manager, synthesis=synthesis)
    assert published.is_published and published.published_at and published.contributions_count == 14
    with pytest.raises(ValidationError, match="retirez-la de la publication"):
        services.theme_rename(actor=manager, theme=theme, label="Trop tard")
    services.synthesis_unpublish(actor=manager, synthesis=synthesis)
    services.theme_rename(actor=manager, theme=theme, label="Après retrait")


def test_a_failed_computation_is_recorded(items, manager, space, monkeypatch, start):
    from participe.synthesis.engine import lexical

    def boom(self, texts, **kwargs):
        raise MemoryError("trop gros")

    monkeypatch.setattr(lexical.LexicalMethod, "themes", boom)
    start(actor=manager, space=space, title="Échec")  # the task's failure stays in the worker
    synthesis = Synthesis.objects.get()
    assert synthesis.status == Synthesis.Status.FAILED and "trop gros" in synthesis.error
    assert not Theme.objects.exists()


def test_a_synthesis_of_one_module_without_the_imported_contributions(items, manager, space, module, start):
    from participe.synthesis.imports import contributions_import
    from tests.factories import ParticipationModuleFactory

    other = ParticipationModuleFactory(space=space, title="Autre module")
    for text in TEXTS[:3]:
        ItemFactory(module=other, body=text)
    contributions_import(actor=manager, space=space, name="registre", data=b"id,text\nP1,Des arbres\n")
    synthesis = start(actor=manager, space=space, title="Un module", module=module, imported=False)
    assert synthesis.contributions_count == len(items)
    assert not Entry.objects.filter(synthesis=synthesis, reference__startswith="import:").exists()
    with pytest.raises(ValidationError, match="n'appartient pas"):
        services.synthesis_start(
            actor=manager, space=space, title="Ailleurs", module=ParticipationModuleFactory(title="Ailleurs")
        )


def test_a_deleted_contribution_leaves_every_synthesis(synthesis, items):
    from participe.core.registry import registry

    registry.delete_shared(items[0])
    items[0].delete()
    assert not Entry.objects.filter(synthesis=synthesis, object_id=items[0].pk).exists()
    assert Entry.objects.filter(synthesis=synthesis).count() == len(items) - 1
