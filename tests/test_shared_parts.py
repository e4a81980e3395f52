"""Parts of pages kept for signed-in readers too (``participe.core.shared``, issue #12, decision 0046).

A kept part must give every reader the page the templates alone give; what is personal (the author's actions, the
support and follow buttons, the comments, forms and their tokens) is rendered for each reader; every write that
renews the page cache's tokens shows at once to signed-in readers (no grace for them); the staff's pages are never
kept; a part holding a form is never kept.
"""

from __future__ import annotations

import html
import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from participe.comments.services import comment_create
from participe.core import idempotency, shared
from participe.modules.proposals.services import analysis
from participe.modules.proposals.services import proposals as proposal_services
from participe.modules.proposals.tests.factories import ProposalFactory, ProposalModuleFactory
from participe.spaces import page_cache
from participe.supports.services import support_add
from tests.factories import UserFactory, make_org_admin, make_space_role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]  # signed-in readers: no grace

TOKENS = re.compile(rf'(name="(?:csrfmiddlewaretoken|{idempotency.FORM_FIELD})" value=")[^"]*(")')


@pytest.fixture
def proposal():
    module = ProposalModuleFactory(title="Boîte à idées du centre-ville")
    return ProposalFactory(module=module, title="Des bancs place du Marché", author=UserFactory(pseudonym="autrice"))


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return TOKENS.sub(r"\1…\2", html.unescape(response.content.decode()))


def kept_parts() -> int:
    return sum(1 for key in caches["fragments"]._cache if "shared:" in key)  # type: ignore[attr-defined]


def reader(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_reader_gets_the_page_the_templates_alone_give(settings, proposal):
    url = proposal.get_absolute_url()
    supporter = UserFactory()
    support_add(actor=supporter, target=proposal)
    readers = {
        "author": reader(proposal.author),
        "supporter": reader(supporter),
        "newcomer": reader(UserFactory()),
        "moderator": reader(make_space_role(proposal.module.space, "moderator")),
        "admin": reader(make_org_admin()),
    }
    settings.PARTICIPE_SHARED_FRAGMENTS = False
    expected = {name: page(client, url) for name, client in readers.items()}
    settings.PARTICIPE_SHARED_FRAGMENTS = True
    for _round in range(2):  # the first round keeps the parts, the second is served from them
        for name, client in readers.items():
            assert page(client, url) == expected[name], name
    # One part for the author, one for the other participants; none for the staff.
    assert kept_parts() == 2
    # What is personal stayed personal.
    assert "Retirer ma proposition" in expected["author"]
    assert "Retirer ma proposition" not in expected["newcomer"]
    assert expected["supporter"] != expected["newcomer"]  # the support button's state


def test_a_kept_part_is_served_without_its_queries(proposal):
    client = reader(UserFactory())
    url = proposal.get_absolute_url()
    page(client, url)
    with CaptureQueriesContext(connection) as queries:
        page(client, url)
    assert not [q for q in queries.captured_queries if "proposals_statuschange" in q["sql"]]  # the history's


def test_every_change_shows_at_once_to_signed_in_readers(commits, proposal):
    client = reader(UserFactory())
    url = proposal.get_absolute_url()
    page(client, url)
    with commits():  # an edit first: a supported proposal can no longer be edited
        proposal_services.proposal_update(
            actor=proposal.author, proposal=proposal, data={"title": "Des bancs et de l'ombre"}
        )
    assert "Des bancs et de l'ombre" in page(client, url)
    assert "1 soutien" not in page(client, url)
    with commits():
        support_add(actor=UserFactory(), target=proposal)
    assert "1 soutien" in page(client, url)  # no grace for a signed-in reader
    with commits():
        comment_create(actor=UserFactory(), target=proposal, body="Et une fontaine", stance="favorable")
    assert "Et une fontaine" in page(client, url)
    with commits():
        analysis.answer_publish(
            actor=make_org_admin(), proposal=proposal, status="selected", answer="<p>Trois bancs en mars.</p>"
        )
    assert "Trois bancs en mars." in page(client, url)


def test_a_steady_part_outlives_supports_and_comments_whose_counts_are_in_its_holes(commits, proposal):
    client = reader(UserFactory())
    url = proposal.get_absolute_url()
    page(client, url)
    kept = kept_parts()
    with commits():
        support_add(actor=UserFactory(), target=proposal)
        comment_create(actor=UserFactory(), target=proposal, body="Avec une fontaine", stance="favorable")
    with CaptureQueriesContext(connection) as queries:
        shown = page(client, url)
    assert "1 soutien" in shown and "Avec une fontaine" in shown  # the holes: at once
    assert kept_parts() == kept  # the part was not renewed…
    assert not [q for q in queries.captured_queries if "proposals_statuschange" in q["sql"]]  # …but served


def test_the_readers_class_holds_their_demarches_and_keeps_nothing_for_the_staff(proposal):
    space = proposal.module.space
    assert page_cache.reader_class(make_space_role(space, "member")) == f"reader:{space.pk}"
    assert page_cache.reader_class(None) == "visitor"
    assert page_cache.reader_class(UserFactory()) == "reader:"
    assert page_cache.reader_class(make_space_role(proposal.module.space, "moderator")) is None
    assert page_cache.reader_class(make_org_admin()) is None
    assert page_cache.reader_class(UserFactory(is_superuser=True, is_staff=True)) is None


def test_a_part_holding_a_form_is_never_kept(rf: RequestFactory, proposal):
    request = rf.get(proposal.get_absolute_url())
    request.user = UserFactory()
    template = Template(
        "{% load shared %}{% shared 'form' %}<form>{% csrf_token %}</form>{% hole %}<b>à moi</b>{% endhole %}"
        "{% endshared %}"
    )
    out = template.render(Context({"request": request, "csrf_token": "abc"}))
    assert "à moi" in out and 'value="abc"' in out and shared.CSRF_SENTINEL not in out
    assert kept_parts() == 0


def test_holes_are_rendered_for_each_reader_and_the_rest_kept(rf: RequestFactory, proposal):
    template = Template(
        "{% load shared %}{% shared 'greeting' %}<p>Bonjour</p>{% if show %}{% hole %}{{ who }}{% endhole %}"
        "{% endif %}{% hole %}[{{ who }}]{% endhole %}{% endshared %}"
    )
    outs = []
    for who in ("Alice", "Bruno"):
        request = rf.get(proposal.get_absolute_url())
        request.user = UserFactory()
        outs.append(template.render(Context({"request": request, "who": who, "show": True})))
    assert outs == ["<p>Bonjour</p>Alice[Alice]", "<p>Bonjour</p>Bruno[Bruno]"]
    assert kept_parts() == 1
