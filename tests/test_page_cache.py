"""The page cache of visitors without a session (decision 0041): what is kept, what is never kept, and that every
write changing a kept page makes the next anonymous visit show the change. No timing here: only correctness."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from participe.comments.services import comment_create, comment_delete, comment_edit
from participe.core import pagecache
from participe.moderation.services.decisions import content_hide
from participe.modules.debate.tests.factories import DebateModuleFactory, SubjectFactory
from participe.modules.proposals.services import analysis
from participe.modules.proposals.services import proposals as proposal_services
from participe.modules.proposals.tests.factories import ProposalFactory, ProposalModuleFactory
from participe.organisation.services import organisation_update
from participe.search import services as search_services
from participe.spaces.models import Phase, Space
from participe.spaces.services import module_update, phase_save, space_update
from participe.supports.services import support_add
from tests.factories import SpaceFactory, UserFactory, make_org_admin, make_space_role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PARTICIPE_PAGE_CACHE = True
    settings.PARTICIPE_PAGE_CACHE_GRACE_SECONDS = 0  # every write shows at once; the grace's own tests set one
    settings.PARTICIPE_PAGE_CACHE_SEARCH_GRACE_SECONDS = 0
    settings.PARTICIPE_PAGE_CACHE_LIST_GRACE_SECONDS = 0
    caches["pages"].clear()
    yield
    caches["pages"].clear()


def stored() -> list[pagecache.Entry]:
    store = caches["pages"]
    return [store.get(key.split(":", 2)[-1]) for key in list(store._cache)]  # type: ignore[attr-defined]


def page(client: Client, url: str, **headers: str) -> str:
    """The page's text, its CSRF token (masked anew at each answer) left out."""
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", html.unescape(response.content.decode()))


@pytest.fixture
def module():
    return ProposalModuleFactory(title="Boîte à idées du centre-ville")


@pytest.fixture
def proposal(module):
    return ProposalFactory(module=module, title="Des bancs place du Marché")


def proposal_url(proposal) -> str:
    return proposal.get_absolute_url()


# --- kept and served --------------------------------------------------------------------------------------------
def test_an_anonymous_page_is_kept_and_served_again_without_the_view(client, proposal, django_assert_max_num_queries):
    url = proposal_url(proposal)
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"]
    assert len(stored()) == 1
    proposal.__class__.objects.filter(pk=proposal.pk).update(title="Changé sans service")  # no service: no bump
    with django_assert_max_num_queries(0):  # tokens and page from the local-memory caches of the tests
        again = client.get(url)
    assert "Des bancs place du Marché" in again.content.decode()
    assert "Cookie" in again["Vary"] and "HX-Request" in again["Vary"]


def test_a_conditional_get_of_the_same_page_gets_a_304(client, proposal):
    url = proposal_url(proposal)
    first = client.get(url)
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200


def test_home_list_space_module_map_feed_and_debate_are_kept(client, module, proposal):
    debate = DebateModuleFactory(space=module.space)
    subject = SubjectFactory(module=debate)
    urls = [
        reverse("home"),
        reverse("spaces:list"),
        module.space.get_absolute_url(),
        module.get_absolute_url(),
        reverse("spaces:proposals:map", kwargs={"slug": module.space.slug, "module_slug": module.slug}),
        reverse("spaces:proposals:geojson", kwargs={"slug": module.space.slug, "module_slug": module.slug}),
        subject.get_absolute_url(),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert len(stored()) == len(urls)


def test_account_pages_are_not_kept(client, proposal):
    client.get(reverse("account_login"))
    client.get(reverse("account_signup"))
    assert stored() == []


def test_the_search_page_is_kept_and_shows_every_change_of_the_index_at_once(client, commits, module, proposal):
    url = reverse("search:search") + "?q=bancs"
    search_services.index_object(proposal)
    first = page(client, url)
    assert "place du Marché" in first
    assert len(stored()) == 1
    assert page(client, url) == first  # served again from the cache
    # A new proposal is indexed: the kept search pages go.
    with commits():
        other = ProposalFactory(module=module, title="D'autres bancs au parc")
        search_services.index_object(other)
    assert "au parc" in page(client, url)
    # Hidden by moderation: gone from the results at once.
    with commits():
        content_hide(actor=make_org_admin(), target=proposal, reason="Hors sujet")
    shown = page(client, url)
    assert "place du Marché" not in shown and "au parc" in shown
    # A rebuild of the index too.
    before = page(client, url)
    with commits():
        search_services.reindex()
    assert page(client, url) == before
    assert len(stored()) >= 2


def test_a_signed_in_search_is_never_kept_nor_served_a_kept_page(client, proposal):
    url = reverse("search:search") + "?q=bancs"
    search_services.index_object(proposal)
    page(client, url)
    kept = len(stored())
    client.force_login(UserFactory())
    assert "place du Marché" in page(client, url)
    assert len(stored()) == kept


def test_the_setting_turns_it_off(client, settings, proposal):
    settings.PARTICIPE_PAGE_CACHE = False
    client.get(proposal_url(proposal))
    assert stored() == []


def test_the_command_forgets_every_page(client, proposal):
    url = proposal_url(proposal)
    client.get(url)
    proposal.__class__.objects.filter(pk=proposal.pk).update(title="Nouveau titre")
    call_command("clear_page_cache", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert "Nouveau titre" in page(client, url)


# --- never kept, never served to others ---------------------------------------------------------------------------
def test_the_csrf_token_is_never_kept_and_each_visitor_gets_a_working_one(client, proposal):
    url = proposal_url(proposal)
    first = client.get(url)
    body = first.content.decode()
    assert pagecache.PLACEHOLDER not in body and 'name="csrfmiddlewaretoken" value="' in body
    (entry,) = stored()
    assert entry.has_placeholder and pagecache.PLACEHOLDER.encode() in entry.content
    token = first.cookies["csrftoken"].value
    assert token.encode() not in entry.content
    # Another visitor gets the kept page with their own token, and the language form accepts it.
    other = Client(enforce_csrf_checks=True)
    served = other.get(url)
    value = served.content.decode().split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    assert value != pagecache.PLACEHOLDER and "csrftoken" in served.cookies
    answer = other.post(reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": value})
    assert answer.status_code == 302


def test_a_signed_in_view_is_never_kept_nor_served_a_kept_page(client, proposal):
    url = proposal_url(proposal)
    resident = UserFactory(pseudonym="camille-unique")
    client.force_login(resident)
    assert "camille-unique" in page(client, url)
    assert stored() == []
    visitor = Client()
    assert "camille-unique" not in page(visitor, url)  # rendered for the visitor, then kept
    assert len(stored()) == 1
    assert "camille-unique" in page(client, url)  # the signed-in person never gets the kept page


def test_a_staff_view_is_never_kept_for_others(client, proposal):
    url = proposal_url(proposal)
    admin = make_org_admin(pseudonym="admin-unique")
    client.force_login(admin)
    staff_page = page(client, url)
    assert "admin-unique" in staff_page
    assert stored() == []
    assert "admin-unique" not in page(Client(), url)


def test_a_private_space_is_never_kept(client):
    space = SpaceFactory(visibility=Space.Visibility.PRIVATE)
    module = ProposalModuleFactory(space=space)
    proposal = ProposalFactory(module=module, title="Idée des membres")
    assert client.get(proposal.get_absolute_url()).status_code == 302  # the visitor is asked to sign in
    member = make_space_role(space, "member")
    signed_in = Client()
    signed_in.force_login(member)
    assert "Idée des membres" in page(signed_in, proposal.get_absolute_url())
    assert stored() == []


def test_a_page_of_a_private_space_is_refused_to_the_cache_even_when_answered(rf, proposal):
    from participe.spaces.http import require_visible

    proposal.module.space.visibility = Space.Visibility.PRIVATE
    request = rf.get("/")
    request._page_cache_candidate = True
    request.user = make_org_admin()
    require_visible(request, "proposals.view_proposal", proposal)
    assert request._page_cache_forbidden is True


def test_a_page_that_sets_a_message_or_a_session_is_not_kept(client, proposal, module):
    # A cursor no list made: the first page and a notice (a message cookie): not kept.
    client.get(module.get_absolute_url() + "?apres=abimé")
    assert stored() == []


def test_languages_and_htmx_fragments_are_kept_apart(client, module, proposal):
    url = module.get_absolute_url()
    french = page(client, url)
    english = Client()
    english.cookies["django_language"] = "en"
    in_english = page(english, url)
    fragment = page(client, url, **{"HX-Request": "true"})
    assert french != in_english and "<html" in french and "<html" not in fragment
    assert len(stored()) == 3
    assert page(client, url) == french and page(english, url) == in_english


# --- every write shows at the next anonymous visit ----------------------------------------------------------------
def test_a_comment_shows(client, commits, proposal):
    url = proposal_url(proposal)
    page(client, url)
    with commits():
        comment_create(actor=UserFactory(), target=proposal, body="Un commentaire tout neuf", stance="favorable")
    assert "Un commentaire tout neuf" in page(client, url)


def test_a_support_shows(client, commits, proposal):
    url = proposal_url(proposal)
    before = page(client, url)
    assert "1 soutien" not in before
    with commits():
        support_add(actor=UserFactory(), target=proposal)
    assert "1 soutien" in page(client, url)


def test_supports_and_comments_renew_their_items_page_its_module_and_its_demarche_not_the_other_items(
    client, commits, module, proposal, django_assert_max_num_queries
):
    other = ProposalFactory(module=module, title="Un abri à vélos")
    space_url = module.space.get_absolute_url()
    lists = [module.get_absolute_url(), module.get_absolute_url() + "carte/propositions.geojson"]
    for url in [proposal_url(proposal), proposal_url(other), space_url, *lists]:
        page(client, url)
    kept = len(stored())
    with commits():
        support_add(actor=UserFactory(), target=proposal)
    assert "1 soutien" in page(client, proposal_url(proposal))
    with django_assert_max_num_queries(0):  # the other proposal's page is still served from the cache
        assert "Un abri à vélos" in page(client, proposal_url(other))
    # The module's pages and the démarche's own page were renewed: rendered again, kept again.
    for url in [space_url, *lists]:
        page(client, url)
    assert len(stored()) == kept  # every renewed page kept anew in its old entry's place
    # A comment, a reply, a support of a comment, the same way.
    with commits():
        comment = comment_create(actor=UserFactory(), target=other, body="Oui, près de la gare", stance="favorable")
    assert "Oui, près de la gare" in page(client, proposal_url(other))
    with django_assert_max_num_queries(0):
        page(client, proposal_url(proposal))
    with commits():
        support_add(actor=UserFactory(), target=comment)
    assert "1 soutien" in page(client, proposal_url(other)).split("Oui, près de la gare", 1)[1]
    with django_assert_max_num_queries(0):
        page(client, proposal_url(proposal))


# --- the grace of supports and new comments (decision 0045) ----------------------------------------------------
@pytest.fixture
def clock(settings, monkeypatch):
    """The page cache's clock, moved by hand; a grace of 10 seconds."""
    settings.PARTICIPE_PAGE_CACHE_GRACE_SECONDS = 10
    settings.PARTICIPE_PAGE_CACHE_SEARCH_GRACE_SECONDS = 60
    settings.PARTICIPE_PAGE_CACHE_LIST_GRACE_SECONDS = 30
    now = [1_000_000.0]
    monkeypatch.setattr(pagecache, "_now", lambda: now[0])
    return now


def test_with_a_grace_supports_and_new_comments_show_once_it_is_over_and_the_page_is_rendered_once(
    client, commits, clock, module, proposal, django_assert_max_num_queries
):
    urls = [proposal_url(proposal), module.get_absolute_url(), module.space.get_absolute_url()]
    for url in urls:
        page(client, url)
    clock[0] += 60  # the pages were rendered a minute ago
    with commits():
        support_add(actor=UserFactory(), target=proposal)
        comment_create(actor=UserFactory(), target=proposal, body="Et une fontaine aussi", stance="favorable")
    # The pages were rendered more than the grace ago: the first visitor after the acts sees them, and so does the
    # next one, from the page rendered for the first.
    first = page(client, urls[0])
    assert "1 soutien" in first and "Et une fontaine aussi" in first
    with django_assert_max_num_queries(0):
        assert page(client, urls[0]) == first
    # Acts within the grace of that rendering: the page is served as it was, without the view, for the grace.
    clock[0] += 1
    with commits():
        support_add(actor=UserFactory(), target=proposal)
        comment_create(actor=UserFactory(), target=proposal, body="Avec de l'ombre", stance="neutral")
    clock[0] += 8
    with django_assert_max_num_queries(0):
        stale = page(client, urls[0])
    assert "2 soutiens" not in stale and "Avec de l'ombre" not in stale
    clock[0] += 2  # 11 seconds after it was rendered: rendered again
    fresh = page(client, urls[0])
    assert "2 soutiens" in fresh and "Avec de l'ombre" in fresh
    assert "2 soutiens" in page(client, urls[1])  # the module's list, rendered a minute ago: at once


def test_with_a_grace_a_modules_and_a_demarches_pages_have_their_own_longer_one(
    client, commits, clock, module, proposal, django_assert_max_num_queries
):
    lists = [module.get_absolute_url(), module.space.get_absolute_url()]
    item = proposal_url(proposal)
    for url in [*lists, item]:
        page(client, url)
    clock[0] += 1
    with commits():
        support_add(actor=UserFactory(), target=proposal)
    clock[0] += 11  # past the item's grace (10 s), within the lists' (30 s): served as they were, without the view
    assert "1 soutien" in page(client, item)
    for url in lists:
        with django_assert_max_num_queries(0):
            page(client, url)
    assert "1 soutien" not in page(client, lists[0])
    clock[0] += 20  # 32 s after they were rendered: rendered again, once
    for url in lists:
        with CaptureQueriesContext(connection) as rendered:
            page(client, url)
        assert rendered.captured_queries, url
        with django_assert_max_num_queries(0):
            page(client, url)
    assert "1 soutien" in page(client, lists[0])
    # Anything but a support or a new comment shows on them at once, as before.
    with commits():
        content_hide(actor=make_org_admin(), target=proposal, reason="Hors sujet")
    assert "Des bancs place du Marché" not in page(client, lists[0])


def test_with_a_grace_an_edited_or_withdrawn_comment_and_other_changes_show_at_once(
    client, commits, clock, module, proposal
):
    author = UserFactory()
    url = proposal_url(proposal)
    with commits():
        comment = comment_create(actor=author, target=proposal, body="Un texte à reprendre", stance="favorable")
    clock[0] += 60
    assert "Un texte à reprendre" in page(client, url)
    clock[0] += 1
    with commits():
        comment_edit(actor=author, comment=comment, body="Un texte repris")
    assert "Un texte repris" in page(client, url) and "Un texte à reprendre" not in page(client, url)
    clock[0] += 1
    with commits():
        comment_delete(actor=author, comment=comment)
    assert "Un texte repris" not in page(client, url)
    clock[0] += 1
    with commits():
        content_hide(actor=make_org_admin(), target=proposal, reason="Hors sujet")
    assert "Des bancs place du Marché" not in page(client, module.get_absolute_url())


def test_with_a_grace_the_search_page_shows_a_new_comment_after_it_and_an_edit_or_a_hiding_at_once(
    client, commits, clock, proposal, django_assert_max_num_queries
):
    author = UserFactory()
    url = reverse("search:search") + "?q=fontaine"
    assert "sur la place" not in page(client, url)  # nothing found yet; kept (found words are marked)
    clock[0] += 1
    with commits():
        comment = comment_create(actor=author, target=proposal, body="Une fontaine sur la place", stance="favorable")
    with django_assert_max_num_queries(0):
        assert "sur la place" not in page(client, url)  # within the search page's grace (60 s)
    clock[0] += 30
    with django_assert_max_num_queries(0):
        assert "sur la place" not in page(client, url)
    clock[0] += 30
    assert "sur la place" in page(client, url)
    clock[0] += 1
    with commits():
        comment_edit(actor=author, comment=comment, body="Une fontaine et des bancs")
    shown = page(client, url)
    assert "et des bancs" in shown and "sur la place" not in shown
    clock[0] += 1
    with commits():
        content_hide(actor=make_org_admin(), target=comment, reason="Hors sujet")
    assert "et des bancs" not in page(client, url)


def test_a_new_and_an_edited_proposal_show(client, commits, module, proposal):
    author = UserFactory()
    list_url = module.get_absolute_url()
    page(client, list_url)
    with commits():
        created = proposal_services.proposal_create(
            actor=author,
            module=module,
            data={"title": "Un composteur rue Haute", "body": "<p>Pour les déchets verts du quartier.</p>"},
        )
    assert "Un composteur rue Haute" in page(client, list_url)
    detail = proposal_url(created)
    page(client, detail)
    with commits():
        proposal_services.proposal_update(actor=author, proposal=created, data={"title": "Deux composteurs rue Haute"})
    assert "Deux composteurs rue Haute" in page(client, detail)


def test_an_official_answer_shows(client, commits, module, proposal):
    admin = make_org_admin()
    url = proposal_url(proposal)
    page(client, url)
    with commits():
        analysis.answer_publish(
            actor=admin, proposal=proposal, status="selected", answer="<p>La mairie installera trois bancs.</p>"
        )
    assert "La mairie installera trois bancs." in page(client, url)


def test_a_moderation_act_shows(client, commits, proposal):
    url = proposal.module.get_absolute_url()
    assert "Des bancs place du Marché" in page(client, url)
    with commits():
        content_hide(actor=make_org_admin(), target=proposal, reason="Hors sujet")
    assert "Des bancs place du Marché" not in page(client, url)


def test_a_phase_change_shows_on_the_home_page_and_the_module(client, commits, module, proposal):
    admin = make_org_admin()
    home = page(client, reverse("home"))
    module_page = page(client, module.get_absolute_url())
    phase = module.phases.get()
    end = timezone.now() + datetime.timedelta(days=400)
    with commits():
        phase_save(actor=admin, phase=phase, data={"end": end})
    assert page(client, reverse("home")) != home
    assert page(client, module.get_absolute_url()) != module_page


def test_a_phase_ending_bounds_the_lifetime_of_kept_pages(module):
    Phase.objects.filter(module=module).update(end=timezone.now() + datetime.timedelta(seconds=30))
    pagecache.bump_all()
    assert 0 < pagecache._timeout() <= 31


def test_a_space_and_a_module_edit_show_everywhere(client, commits, module, proposal):
    admin = make_org_admin()
    space = module.space
    urls = [reverse("home"), reverse("spaces:list"), space.get_absolute_url()]
    for url in urls:
        page(client, url)
    with commits():
        space_update(actor=admin, space=space, data={"title": "Budget du quartier Nord"})
    for url in urls:
        assert "Budget du quartier Nord" in page(client, url), url
    page(client, module.get_absolute_url())
    with commits():
        module_update(actor=admin, module=module, data={"title": "Idées pour le Nord"})
    assert "Idées pour le Nord" in page(client, module.get_absolute_url())


def test_a_setting_of_the_organisation_shows(client, commits, proposal):
    page(client, reverse("home"))
    with commits():
        organisation_update(actor=make_org_admin(), data={"short_description": "Une ville qui écoute."})
    assert "Une ville qui écoute." in page(client, reverse("home"))


def test_the_organisation_is_read_once_for_the_sites_token_and_a_signed_in_reader_sees_it_changed(
    client, commits, proposal
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(UserFactory())
    url = proposal_url(proposal)
    page(client, url)
    with CaptureQueriesContext(connection) as queries:
        page(client, url)
    assert not [q for q in queries.captured_queries if "organisation_organisation" in q["sql"]]
    with commits():
        organisation_update(actor=make_org_admin(), data={"name": "Ville de Lumerac-sur-Loire"})
    assert "Ville de Lumerac-sur-Loire" in page(client, url)


def test_a_comment_on_a_debate_question_shows(client, commits):
    debate = DebateModuleFactory()
    subject = SubjectFactory(module=debate)
    url = subject.get_absolute_url()
    page(client, url)
    with commits():
        comment_create(actor=UserFactory(), target=subject, body="Avis sur la question du débat", stance="unfavorable")
    assert "Avis sur la question du débat" in page(client, url)


def test_a_write_in_one_space_keeps_the_pages_of_another(client, commits, proposal):
    other = ProposalFactory(title="Ailleurs")
    page(client, proposal_url(other))
    with commits():
        support_add(actor=UserFactory(), target=proposal)
    assert len(stored()) == 1
    other.__class__.objects.filter(pk=other.pk).update(title="Changé sans service")
    assert "Ailleurs" in page(client, proposal_url(other))  # still the kept page


def test_the_random_order_of_visitors_without_a_session_is_shared_and_sets_no_cookie(client, module):
    for n in range(5):
        ProposalFactory(module=module, title=f"Idée numéro {n}")
    first = client.get(module.get_absolute_url())
    assert "sessionid" not in first.cookies
    assert len(stored()) == 1
    assert page(Client(), module.get_absolute_url()) == page(client, module.get_absolute_url())


def test_an_answer_varying_on_a_header_the_key_does_not_hold_is_not_kept(rf, settings):
    from django.http import HttpResponse

    def view(request):
        return HttpResponse("selon le navigateur", headers={"Vary": "User-Agent"})

    middleware = pagecache.PageCacheMiddleware(view)
    request = rf.get(reverse("home"))
    request.session = type("S", (), {"modified": False})()
    middleware(request)
    assert stored() == []


def test_a_request_reads_each_token_once_and_again_after_renewing_it(monkeypatch):
    """The page's key, its kept parts and thread ask for the same tokens: one read per request (issue #12); a token
    the request renews is read again, and outside a request nothing is remembered."""
    from django.http import HttpRequest, HttpResponse

    versions = caches["default"]
    reads: list[list[str]] = []
    get_many = versions.get_many
    monkeypatch.setattr(versions, "get_many", lambda keys, **kw: reads.append(list(keys)) or get_many(keys, **kw))
    seen: dict[str, list[str]] = {}

    def view(request: HttpRequest) -> HttpResponse:
        seen["first"] = pagecache._tokens([pagecache.SITE, "quartiers"])
        seen["again"] = pagecache._tokens(["quartiers", pagecache.SITE, "quartiers/idees"])
        pagecache.bump("quartiers")
        seen["renewed"] = pagecache._tokens([pagecache.SITE, "quartiers"])
        return HttpResponse("ok")

    request = HttpRequest()
    request.method = "POST"  # never kept: only the tokens the view asks for are read
    pagecache.PageCacheMiddleware(view)(request)

    assert seen["again"][:2] == seen["first"][::-1]
    assert seen["renewed"][0] == seen["first"][0] and seen["renewed"][1] != seen["first"][1]
    assert [len(r) for r in reads] == [2, 1, 1]  # both; the new one only; the renewed one
    reads.clear()
    assert pagecache._tokens([pagecache.SITE]) == [seen["first"][0]]
    assert pagecache._tokens([pagecache.SITE]) == [seen["first"][0]]
    assert len(reads) == 2  # outside a request, read each time


def test_a_new_comment_enters_the_search_index_by_the_worker_as_it_then_is(queued, proposal):
    """The index is written by a background task (issue #12), enqueued with the comment; it writes what the comment
    is when it runs: a comment withdrawn meanwhile stays out."""
    from django.contrib.contenttypes.models import ContentType

    from participe.comments import tasks
    from participe.comments.models import Comment
    from participe.search.models import SearchEntry
    from tests.tasks import run_queued

    author = UserFactory()
    kept = comment_create(actor=author, target=proposal, body="Des bancs à l'ombre des tilleuls", stance="favorable")
    gone = comment_create(actor=author, target=proposal, body="Un second avis, retiré", stance="neutral")
    entries = SearchEntry.objects.filter(content_type=ContentType.objects.get_for_model(Comment))
    assert not entries.exists()
    assert [r.args for r in queued if r.task.name == tasks.index_new_comment.name] == [[kept.pk], [gone.pk]]
    comment_delete(actor=author, comment=gone)
    run_queued(queued)
    assert [int(pk) for pk in entries.values_list("object_id", flat=True)] == [kept.pk]
