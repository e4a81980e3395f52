"""The demo content of a debate, and its place in the demo data."""

from __future__ import annotations

from unittest import mock

import pytest

from participe.comments.models import Comment
from participe.modules.debate.models import Subject
from participe.modules.debate.seeds import seed
from participe.modules.debate.tests.factories import DebateModuleFactory, synthesis_phase
from participe.spaces.models import Module
from tests.factories import ServiceFactory, UserFactory, make_org_admin

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
    agent = make_org_admin(pseudonym="mairie")
    ServiceFactory(name="Service de la voirie").members.add(agent)
    for pseudonym in ("Camille_des_Tilleuls", "Karim", "jeanne.m"):
        UserFactory(pseudonym=pseudonym)
    UserFactory(pseudonym="Marcel_D", email=None, managed_by=agent)  # no email: the agent types for him
    module = DebateModuleFactory()
    seed(module)
    first, second = Subject.objects.filter(module=module).order_by("position")
    comments = Comment.objects.filter(content_type__model="subject", object_id=first.pk)
    top = comments.filter(parent__isnull=True)
    assert sorted(top.values_list("author__pseudonym", "stance")) == [
        ("Camille_des_Tilleuls", "favorable"),
        ("Karim", "neutral"),
        ("Marcel_D", "unfavorable"),
        ("jeanne.m", "favorable"),
    ]
    assert comments.filter(parent__isnull=False).count() == 3
    assert comments.get(author=agent).official_role == "service"  # the city answers in its service's name
    assert comments.get(author__pseudonym="Marcel_D").entered_by == agent
    # Posted through the comments app: the subjects' counters count them.
    first.refresh_from_db()
    assert (first.comments_count, first.comments_favorable_count) == (7, 2)
    assert (first.comments_neutral_count, first.comments_unfavorable_count) == (1, 1)
    second.refresh_from_db()
    assert second.comments_count == Comment.objects.filter(object_id=second.pk, content_type__model="subject").count()
    assert second.comments_count == 3


def test_without_the_demo_residents_the_seed_posts_no_comment():
    make_org_admin()
    module = DebateModuleFactory()
    seed(module)
    assert Subject.objects.filter(module=module).count() == 2
    assert not Comment.objects.exists()


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
    from participe.backoffice.demo import load_demo

    load_demo()
    first = Subject.objects.get(title="Faut-il piétonniser la place du Marché le samedi ?")
    assert (first.comments_favorable_count, first.comments_neutral_count, first.comments_unfavorable_count) == (2, 1, 1)
    comments = Comment.objects.filter(object_id=first.pk, content_type__model="subject")
    assert comments.filter(parent__isnull=False).count() == 3
    assert comments.filter(official_role="service").exists()  # the city answers as a service
    assert comments.filter(entered_by__isnull=False, author__pseudonym="Marcel_D").exists()  # typed by an agent
