"""The manifest of the debate module: registered, valid, and declaring its resource and events."""

from __future__ import annotations

import pytest
from django.core import checks

from participe.core.capabilities import Cap
from participe.core.checks import _check_manifest
from participe.core.registry import registry, statistics_of
from participe.modules.debate.manifest import manifest
from participe.modules.debate.tests.factories import DebateModuleFactory, SubjectFactory


def test_it_is_registered_and_passes_the_system_checks():
    assert registry.get("debate") is manifest
    assert _check_manifest(manifest) == []
    assert not [e for e in checks.run_checks() if e.level >= checks.ERROR]


def test_its_phases_open_comments_then_close_them():
    assert manifest.phase_type("debat").capabilities == {Cap.VIEW, Cap.COMMENT, Cap.SUPPORT}
    assert manifest.phase_type("synthese").capabilities == {Cap.VIEW}
    blueprint = manifest.blueprint("debat_synthese")
    assert [(p.phase_type, p.days) for p in blueprint.phases] == [("debat", 45), ("synthese", 30)]
    assert set(manifest.actions) == {Cap.COMMENT, Cap.SUPPORT}


def test_its_subjects_are_a_commentable_followable_searchable_resource():
    resource = registry.resource("debate.Subject")
    assert resource is not None
    assert resource.commentable and resource.followable and resource.searchable and resource.attachments
    assert not resource.supportable and not resource.reportable
    assert resource.author_field is None
    assert "published_synthesis" in resource.text_fields


def test_it_declares_its_notification_events():
    assert registry.event("debate.synthesis_published") is not None
    assert registry.event("debate.subject_published") is not None


def test_its_settings_default_to_moderation_a_posteriori():
    assert manifest.default_settings() == {"moderation_a_priori": False}


@pytest.mark.django_db
def test_its_statistics_count_the_published_subjects():
    module = DebateModuleFactory()
    SubjectFactory(
        module=module, comments_count=5, comments_favorable_count=3, comments_neutral_count=2, followers_count=4
    )
    SubjectFactory(module=module, comments_count=1, comments_unfavorable_count=1)
    SubjectFactory(module=module, status="draft", comments_count=50)
    stats = {figure.key: figure.value for figure in statistics_of(module)}
    assert stats == {
        "contributions": 6,
        "participants": 0,  # the counters were set by hand: no comment rows
        "subjects": 2,
        "favorable": 3,
        "neutral": 2,
        "unfavorable": 1,
        "followers": 4,
        "syntheses": 0,
    }
