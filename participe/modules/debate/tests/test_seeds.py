"""The demo content of a debate, and its place in the demo data."""

from __future__ import annotations

from unittest import mock

import pytest

from participe.modules.debate.models import Subject
from participe.modules.debate.seeds import seed
from participe.modules.debate.tests.factories import DebateModuleFactory, synthesis_phase
from participe.spaces.models import Module
from tests.factories import make_org_admin

pytestmark = pytest.mark.django_db


def test_the_seed_creates_two_published_questions_once():
    module = DebateModuleFactory()
    make_org_admin()  # who writes them (without anyone to write them, the seed leaves the module empty)
    synthesis_phase(module)  # comments closed: questions only, whatever the comments app offers
    seed(module)
    seed(module)
    subjects = list(Subject.objects.filter(module=module))
    assert [s.title for s in subjects] == [
        "Faut-il piétonniser la place du Marché le samedi ?",
        "Quels usages pour la place en dehors des jours de marché ?",
    ]
    assert all(s.is_published for s in subjects)


def test_the_seed_posts_the_residents_comments_through_the_comments_app():
    module = DebateModuleFactory()
    with mock.patch("participe.modules.debate.seeds._comment") as comment:
        seed(module)
    # Without the demo residents in the database, nobody comments.
    comment.assert_not_called()


def test_the_demo_data_holds_a_running_debate():
    from participe.backoffice.demo import load_demo

    with mock.patch("participe.modules.debate.seeds._comments"):
        load_demo()
        load_demo()  # idempotent
    module = Module.objects.get(space__slug="place-du-marche", module_type="debate")
    phase = module.current_phase()
    assert phase is not None and phase.phase_type == "debat"
    assert Subject.objects.filter(module=module, status=Subject.Status.PUBLISHED).count() == 2


def test_the_demo_residents_answer_with_stances_and_replies():
    pytest.importorskip("participe.comments.services")
    from participe.backoffice.demo import load_demo
    from participe.comments.models import Comment

    load_demo()
    first = Subject.objects.get(title="Faut-il piétonniser la place du Marché le samedi ?")
    assert (first.comments_favorable_count, first.comments_neutral_count, first.comments_unfavorable_count) == (2, 1, 1)
    comments = Comment.objects.filter(object_id=first.pk, content_type__model="subject")
    assert comments.filter(parent__isnull=False).count() == 3
    assert comments.filter(official_role="service").exists()  # the city answers as a service
    assert comments.filter(entered_by__isnull=False, author__pseudonym="Marcel_D").exists()  # typed by an agent
