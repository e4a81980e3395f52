"""The authorization matrix's filler: over the demo and the audit's fixtures, every URL gets parameters."""

from __future__ import annotations

import pytest
from django.urls import get_resolver

from audit.authz import Filler, walk
from audit.expectations import EXPECTATIONS, SKIP_NAMES
from audit.fixtures import prepare
from participe.backoffice.demo import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def filler(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = str(tmp_path)
    with django_capture_on_commit_callbacks(execute=True):  # notifications are sent once committed
        load_demo()
        prepare()
    return Filler()


def test_it_fills_every_url_but_the_skipped_ones(filler):
    unfilled = [name for route, name in walk(get_resolver().url_patterns)
                if name not in SKIP_NAMES and filler.fill(route, name) is None]  # fmt: skip
    assert unfilled == []


def test_it_fills_module_urls_with_a_module_of_their_type(filler):
    routes = dict((name, route) for route, name in walk(get_resolver().url_patterns))
    assert "/place-du-marche/vos-deplacements-au-quotidien/resultats/" in filler.fill(
        routes["spaces:surveys:results"], "spaces:surveys:results"
    )
    assert "/budget-participatif-2027/boite-a-idees/propositions/" in filler.fill(
        routes["spaces:proposals:detail"], "spaces:proposals:detail"
    )


def test_every_url_has_declared_outcomes(filler):
    undeclared = [name for _route, name in walk(get_resolver().url_patterns)
                  if name not in SKIP_NAMES and name not in EXPECTATIONS]  # fmt: skip
    assert undeclared == []


@pytest.mark.parametrize(
    ("path", "name", "result", "participant", "wrong"),
    [
        ("/gestion/", "backoffice:dashboard", "second_factor", "forbidden", False),
        ("/gestion/", "backoffice:dashboard", "ok", "forbidden", True),  # the back-office opened without the code
        ("/api/v1/moderation/queue", "api:queue_list", "forbidden", "forbidden", False),
        ("/api/v1/moderation/queue", "api:queue_list", "ok", "forbidden", True),  # more than a resident gets
        ("/commentaires/3/modifier/", "comments:edit", "forbidden", "ok", False),  # karim's own comment
        ("/x/", "x", "error", "error", True),
    ],
)
def test_staff_without_the_second_factor_are_held_to_the_participant_s_outcomes(
    path, name, result, participant, wrong, filler
):
    from audit.authz import check_staff_nomfa

    assert (check_staff_nomfa(path, name, result, participant) is not None) is wrong
