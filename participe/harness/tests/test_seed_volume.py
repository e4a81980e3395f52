"""seed_volume writes consistent rows (ids, foreign keys, roles) that the platform can use, the same each time."""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count, Min, Sum
from django.test import Client

from participe.accounts.models import User
from participe.comments.models import Comment
from participe.core.registry import registry
from participe.harness.volume import BENCH_PASSWORD, PLATFORM_HOOKS, discover_hooks
from participe.notifications.models import Follow
from participe.search.models import SearchEntry
from participe.spaces.models import Module, Phase, Space
from participe.supports.models import Support
from participe.verifications.models import Verification

pytestmark = pytest.mark.django_db

# The modules' models, by label: the platform (harness included) never imports a module.
Proposal, StatusChange, Subject, PageContent = (
    apps.get_model(label)
    for label in ("proposals.Proposal", "proposals.StatusChange", "debate.Subject", "page.PageContent")
)
Questionnaire, Response, Answer, Tally = (
    apps.get_model("surveys", name) for name in ("Questionnaire", "Response", "Answer", "Tally")
)


def seed(tmp_path, **sizes):
    manifest = tmp_path / "manifest.json"
    call_command("seed_volume", no_progress=True, manifest=str(manifest), **sizes)
    return json.loads(manifest.read_text())


def test_it_seeds_accounts_spaces_modules_and_phases(tmp_path):
    data = seed(tmp_path, accounts=60, spaces=6, modules_per_space=2, territories=2)
    assert User.objects.filter(pseudonym__startswith="vol-").count() == 60
    assert Space.objects.count() == 6
    assert Module.objects.count() == 12
    assert Phase.objects.exists()
    assert Verification.objects.exists()
    assert User.objects.filter(is_org_admin=True).count() == 2
    assert data["rows"] > 60 and data["password"] == BENCH_PASSWORD
    assert data["accounts"]["admin"] and data["spaces"] and data["modules"]


def test_its_accounts_sign_in_and_its_pages_render(tmp_path):
    data = seed(tmp_path, accounts=30, spaces=4, territories=1)
    client = Client()
    assert client.login(email=data["accounts"]["verified"][0], password=BENCH_PASSWORD)
    assert client.get(f"/demarches/{data['spaces'][0]}/").status_code == 200
    assert client.get(data["modules"][0]).status_code == 200
    assert client.get("/demarches/").status_code == 200


def test_it_adds_a_second_volume_after_the_first(tmp_path):
    seed(tmp_path, accounts=20, spaces=2, territories=1)
    seed(tmp_path, accounts=20, spaces=2, territories=1)
    assert User.objects.filter(pseudonym__startswith="vol-").count() == 40
    assert Space.objects.count() == 4
    user = User.objects.create_user(email="after@example.org", password="x" * 12)  # the id sequence moved on
    assert user.pk > max(User.objects.exclude(pk=user.pk).values_list("pk", flat=True))


def test_hooks_of_modules_run_before_those_of_the_platform():
    found = discover_hooks()
    assert "harness" not in [label for _order, label, _hook in found]
    assert [order for order, _label, _hook in found] == sorted(order for order, _label, _hook in found)


def test_it_runs_the_hooks_the_manifests_declare_then_the_platform_ones():
    found = {label: f"{hook.__module__}.{hook.__name__}" for _order, label, hook in discover_hooks()}
    declared = {m.app_label: m.volume for m in registry.all() if m.volume}
    assert set(declared) >= {"page", "debate", "surveys", "proposals"}
    assert found == declared | PLATFORM_HOOKS
    assert [label for _order, label, _hook in discover_hooks()][-len(PLATFORM_HOOKS) :] == sorted(PLATFORM_HOOKS)
    assert [label for _order, label, _hook in discover_hooks(["supports", "page"])] == ["page", "supports"]


def contributions_seed(tmp_path, **sizes):
    options = {"accounts": 60, "spaces": 8, "territories": 1, "contributions": 1_500, "batch_size": 200}
    return seed(tmp_path, **(options | sizes))


def test_every_installed_module_gets_its_rows(tmp_path):
    # Spaces take the module types in turn (two each): enough spaces that every installed type gets a module.
    data = contributions_seed(tmp_path, spaces=len(registry.all()) + 2)
    assert Module.objects.values("module_type").distinct().count() == len(registry.all())
    assert Proposal.objects.exists() and StatusChange.objects.exists()
    assert Subject.objects.filter(status="published").exists() and Subject.objects.filter(status="draft").exists()
    assert PageContent.objects.count() == Module.objects.filter(module_type="page").count()
    assert Questionnaire.objects.count() == Module.objects.filter(module_type="surveys").count()
    assert Response.objects.exists() and Answer.objects.exists() and Tally.objects.exists()
    for model in (Proposal, Subject):
        assert Comment.objects.filter(content_type=ContentType.objects.get_for_model(model)).exists()
        assert Follow.objects.filter(content_type=ContentType.objects.get_for_model(model)).exists()
    assert Support.objects.filter(content_type=ContentType.objects.get_for_model(Comment)).exists()
    indexed = set(SearchEntry.objects.values_list("kind", flat=True).distinct())
    assert {"proposals.proposal", "debate.subject", "spaces.space"} <= indexed
    contributions = sum(m.objects.count() for m in (Proposal, Comment, Support, Response))
    assert contributions == 1_500
    assert data["hooks"]["surveys"] > 0 and data["hooks"]["debate"] > 0


def _counted(model, source, **filters):
    content_type = ContentType.objects.get_for_model(model)
    rows = source.objects.filter(content_type=content_type, **filters).values_list("object_id")
    return dict(rows.annotate(n=Count("pk")))


def test_counters_match_the_rows(tmp_path):
    contributions_seed(tmp_path)
    for model in (Proposal, Subject):
        comments = _counted(model, Comment)
        favorable = _counted(model, Comment, parent__isnull=True, stance="favorable")
        followers = _counted(model, Follow)
        for item in model.objects.all():
            assert item.comments_count == comments.get(item.pk, 0)
            assert item.comments_favorable_count == favorable.get(item.pk, 0)
            assert item.followers_count == followers.get(item.pk, 0)
    supports = _counted(Proposal, Support)
    assert all(p.supports_count == supports.get(p.pk, 0) for p in Proposal.objects.all())
    proposal_type = ContentType.objects.get_for_model(Proposal)
    first_support = dict(
        Support.objects.filter(content_type=proposal_type).values_list("object_id").annotate(first=Min("created_at"))
    )
    assert first_support
    for proposal in Proposal.objects.filter(pk__in=first_support):
        assert first_support[proposal.pk] >= proposal.published_at  # nobody supports before publication
    comment_supports = _counted(Comment, Support)
    replies = dict(Comment.objects.filter(parent__isnull=False).values_list("parent").annotate(n=Count("pk")))
    for comment in Comment.objects.all():
        assert comment.supports_count == comment_supports.get(comment.pk, 0)
        assert comment.replies_count == replies.get(comment.pk, 0)
    assert not Support.objects.filter(content_type=ContentType.objects.get_for_model(Comment), counts_toward_limit=True)
    for survey in Questionnaire.objects.all():
        assert survey.responses_count == survey.responses.count()
    answered = Answer.objects.filter(choice__isnull=False).values("question", "choice", "row").annotate(n=Count("pk"))
    tallied = Tally.objects.filter(choice__isnull=False).values("question", "choice", "row").annotate(n=Sum("count"))
    assert sorted((a["question"], a["choice"], a["row"] or 0, a["n"]) for a in answered) == sorted(
        (t["question"], t["choice"], t["row"] or 0, t["n"]) for t in tallied
    )
    # Multiple choices and rankings count their respondents too (tally key 0:0:0:<territory>).
    respondents = (
        Answer.objects.filter(question__kind__in=["multiple", "ranking"])
        .values("question")
        .annotate(n=Count("response", distinct=True))
    )
    counted = (
        Tally.objects.filter(question__kind__in=["multiple", "ranking"], choice__isnull=True)
        .values("question")
        .annotate(n=Sum("count"))
    )
    assert respondents and sorted((r["question"], r["n"]) for r in respondents) == sorted(
        (t["question"], t["n"]) for t in counted
    )


def _snapshot():
    return (
        list(Proposal.objects.order_by("pk").values_list("pk", "title", "status", "supports_count", "author_id")),
        list(Comment.objects.order_by("pk").values_list("pk", "object_id", "author_id", "stance", "body", "parent_id")),
        list(Support.objects.order_by("pk").values_list("pk", "user_id", "object_id")),
        list(Answer.objects.order_by("pk").values_list("pk", "response_id", "choice_id", "number", "text")),
        list(Subject.objects.order_by("pk").values_list("pk", "title", "comments_count")),
        list(Follow.objects.order_by("pk").values_list("pk", "user_id", "object_id")),
    )


def test_the_same_seed_gives_the_same_rows(tmp_path):
    class Undo(Exception):
        pass

    snapshots = []
    for _run in range(2):
        with pytest.raises(Undo), transaction.atomic():
            contributions_seed(tmp_path, seed=11)
            snapshots.append(_snapshot())
            raise Undo
    assert snapshots[0] == snapshots[1]
    assert all(snapshots[0])


def test_the_indexes_and_constraints_dropped_while_loading_come_back(tmp_path):
    def definitions():
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY sql")
                return [row[0] for row in cursor.fetchall()]
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexdef")
            indexes = [row[0] for row in cursor.fetchall()]
            cursor.execute("SELECT conname FROM pg_constraint WHERE contype = 'u' ORDER BY conname")
            return indexes, [row[0] for row in cursor.fetchall()]

    before = definitions()
    contributions_seed(tmp_path, batch_size=100)
    assert definitions() == before


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"accounts": 5}, "--accounts must be at least 20"),
        ({"spaces": -1}, "--spaces must be 0 or more"),
        ({"territories": 0}, "--territories must be at least 1"),
        ({"contributions": -3}, "--contributions must be 0 or more"),
        ({"contributions": 1000, "spaces": 0}, "--contributions needs modules"),
        ({"batch_size": 10}, "--batch-size must be at least 100"),
        ({"only": ["nothing"]}, "--only: no volume hook in nothing"),
        ({"size": ["proposals"]}, "--size expects name=N"),
    ],
)
def test_bad_sizes_are_refused_with_a_clear_message(options, message):
    with pytest.raises(CommandError, match=message):
        call_command("seed_volume", no_progress=True, **options)
    assert not User.objects.filter(pseudonym__startswith="vol-").exists()
