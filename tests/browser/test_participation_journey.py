"""Journey 4: the shared participation services on a debate subject. A resident comments with a position,
a neighbour answers and reports the comment, a space moderator hides it from the back-office queue; visitors no
longer read it and its author hears of it in the daily digest and on the notifications page."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from participe.accounts.models import User
from participe.comments.services import comment_create
from participe.modules.debate.models import Subject
from participe.modules.debate.tests.factories import DebateModuleFactory, SubjectFactory
from participe.notifications.tasks import send_digests
from participe.spaces.models import SpaceMembership
from tests.browser.helpers import assert_accessible, log_in
from tests.factories import SpaceFactory, UserFactory, make_space_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "Faut-il rendre la place du Marché piétonne le samedi matin ?"
COMMENT = (
    "Oui, sans hésiter ! Le samedi, M. Lucien Garnier, du 12 rue des Lilas, gare sa camionnette devant la "
    "fontaine et les poussettes passent sur la chaussée.\nUne place piétonne serait plus sûre pour les enfants."
)
COMMENT_START = "Oui, sans hésiter ! Le samedi, M. Lucien Garnier"
REPLY = "D'accord avec vous pour les enfants, mais pensez aux livraisons des commerçants avant 9 heures."
REPORT_DETAILS = "Le commentaire donne le nom et l'adresse d'un voisin."
HIDING_REASON = "Données personnelles d'un tiers (nom et adresse) : le commentaire est masqué."


@dataclass
class Debate:
    subject: Subject
    author: User
    neighbour: User
    moderator: User


def label(text: str) -> re.Pattern[str]:
    """A field's label, whether or not it is marked required (a trailing asterisk)."""
    return re.compile(rf"^{re.escape(text)}( \*)?$")


@pytest.fixture
def debate(transactional_db: Any) -> Debate:
    space = SpaceFactory(
        title="Réaménager la place du Marché",
        slug="place-du-marche",
        summary="Imaginons ensemble la future place du Marché.",
    )
    module = DebateModuleFactory(space=space, title="Le grand débat de la place", slug="grand-debat")
    subject = SubjectFactory(
        module=module,
        title=QUESTION,
        summary="Le marché attire chaque samedi plus de deux mille personnes.",
        body="<p>La ville envisage de fermer la place aux voitures le samedi de 7 h à 14 h.</p>",
    )
    earlier = UserFactory(email="bernard.roux@example.org", pseudonym="bernard-roux")
    comment_create(
        actor=earlier,
        target=subject,
        stance="unfavorable",
        body="Les personnes âgées du quartier ont besoin de se garer près des étals.",
    )
    return Debate(
        subject=subject,
        author=UserFactory(email="elodie.durand@example.org", pseudonym="elodie-gare"),
        neighbour=UserFactory(email="karim.benali@example.org", pseudonym="karim-marche"),
        moderator=make_space_role(
            space, SpaceMembership.Role.MODERATOR, email="moderation@example.org", pseudonym="moderatrice-marche"
        ),
    )


def comments_of(page: Any) -> Any:
    return page.get_by_role("region", name=re.compile(r"^Commentaires"))


def check(page: Any, new_context: Callable[..., Any] | None = None) -> None:
    """axe-core on the page. It needs JavaScript: for a page without it (``new_context`` given), the same
    address is opened, with the same session, in a context that runs scripts, and checked there."""
    if new_context is None:
        assert_accessible(page)
        return
    twin = new_context(storage_state=page.context.storage_state()).new_page()
    twin.goto(page.url)
    assert_accessible(twin)
    twin.close()


def write_comment(page: Any, server: str, debate: Debate, new_context: Callable[..., Any] | None = None) -> None:
    """The author opens the question, takes a position, writes and posts; the counts follow.
    With ``new_context``, the page runs no JavaScript (see ``check``)."""
    page.goto(server + debate.subject.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(QUESTION)
    section = comments_of(page)
    expect(section.get_by_role("heading", level=2)).to_have_text("Commentaires (1)")
    expect(section).to_contain_text("Défavorable : 1 (100 %)")
    check(page, new_context)
    section.get_by_label("favorable", exact=True).check()
    section.get_by_label(label("Votre commentaire")).fill(COMMENT)
    section.get_by_role("button", name="Publier mon commentaire").click()

    # Announced in a live region: the comments' own with htmx, the page's messages after a plain POST.
    expect(page.get_by_role("status").filter(has_text="Votre commentaire est publié.")).to_have_count(1)
    if new_context is None:  # htmx swapped the form in place and brought the focus to its message
        expect(section.locator("#comment-form").get_by_text("Votre commentaire est publié.")).to_be_focused()
    comment = section.get_by_role("article", name="elodie-gare")
    expect(comment).to_contain_text("Position : favorable")
    expect(comment).to_contain_text(COMMENT_START)
    expect(section.get_by_role("heading", level=2)).to_have_text("Commentaires (2)")
    expect(section).to_contain_text("Favorable : 1 (50 %)")
    expect(section).to_contain_text("Défavorable : 1 (50 %)")
    check(page, new_context)


def reply_and_report(page: Any, server: str, debate: Debate) -> None:
    """A neighbour answers the comment, then reports it (the form opens in place)."""
    page.goto(server + debate.subject.get_absolute_url())
    comment = comments_of(page).get_by_role("article", name="elodie-gare")
    comment.get_by_text("Répondre à elodie-gare").click()
    comment.get_by_label(label("Votre réponse")).fill(REPLY)
    comment.get_by_role("button", name="Publier ma réponse").click()
    comment = comments_of(page).get_by_role("article", name="elodie-gare")
    expect(comment.get_by_role("status")).to_contain_text("Votre réponse est publiée.")
    expect(comment.get_by_role("article", name="karim-marche")).to_contain_text(REPLY)
    assert_accessible(page)

    comment.get_by_role("link", name=re.compile(r"^Signaler le contenu « Oui, sans hésiter")).click()
    reason = page.get_by_role("group", name=label("Pourquoi signalez-vous ce contenu ?"))
    expect(reason).to_be_visible()
    expect(page).to_have_url(server + debate.subject.get_absolute_url())  # opened in place, under the comment
    assert_accessible(page)
    page.get_by_role("button", name="Envoyer le signalement").click()  # no reason chosen: said next to the field
    reason = page.get_by_role("group", name=label("Pourquoi signalez-vous ce contenu ?"))
    expect(reason).to_contain_text("Choisissez le motif du signalement.")
    assert_accessible(page)
    reason.get_by_label("Données personnelles").check()
    page.get_by_label("Précisions (facultatif)").fill(REPORT_DETAILS)
    page.get_by_role("button", name="Envoyer le signalement").click()
    expect(page.get_by_role("status").filter(has_text="Merci pour votre signalement.")).to_be_visible()


def hide_from_queue(page: Any, server: str, debate: Debate) -> None:
    """The space moderator finds the report in the back-office queue and hides the comment, with a reason."""
    log_in(page, server, debate.moderator.email, totp=True)
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Gestion").click()
    page.get_by_role("link", name=re.compile(r"^Modération\s+1\s+contenu à traiter")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Modération")
    row = page.get_by_role("row").filter(has_text=COMMENT_START)
    expect(row).to_contain_text("Données personnelles (1)")
    expect(row).to_contain_text("elodie-gare")
    assert_accessible(page)
    row.get_by_role("link", name=re.compile(r"^Oui, sans hésiter")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(COMMENT_START)
    expect(page.get_by_role("region", name="Signalements")).to_contain_text(REPORT_DETAILS)
    assert_accessible(page)
    decision = page.get_by_role("group", name="Masquer le contenu")
    decision.get_by_label(label("Motif de la décision")).fill(HIDING_REASON)
    decision.get_by_role("button", name="Masquer le contenu").click()
    expect(page.get_by_role("status")).to_contain_text("Le contenu est masqué ; son auteur en est informé.")
    expect(page.get_by_role("region", name="Signalements")).to_contain_text("Contenu masqué")
    expect(page.get_by_role("region", name="Historique de la modération")).to_contain_text(HIDING_REASON)
    assert_accessible(page)
    page.get_by_role("navigation", name="Fil d’Ariane").get_by_role("link", name="Modération").click()
    expect(page.get_by_role("main")).to_contain_text("rien à modérer pour le moment")


def visitor_no_longer_reads_it(page: Any, server: str, debate: Debate) -> None:
    page.goto(server + debate.subject.get_absolute_url())
    section = comments_of(page)
    expect(section.get_by_role("article")).to_have_count(1)  # the hidden comment goes, and its reply with it
    expect(section.get_by_role("article", name="bernard-roux")).to_contain_text("Les personnes âgées du quartier")
    expect(section).not_to_contain_text("Lucien Garnier")
    expect(section).not_to_contain_text(REPLY)
    expect(section).to_contain_text("Favorable : 0 (0 %)")
    expect(section).to_contain_text("Défavorable : 1 (100 %)")
    assert_accessible(page)


def author_is_told(page: Any, server: str, debate: Debate, mailoutbox: list[Any]) -> None:
    """The daily digest tells the author why the comment was hidden, with a way to stop these emails;
    the notifications page says the same, and the author still sees the comment, marked."""
    mailoutbox.clear()
    assert send_digests("daily") >= 1
    emails = [m for m in mailoutbox if m.to == [debate.author.email]]
    assert len(emails) == 1, [(m.to, m.subject) for m in mailoutbox]
    digest = emails[0]
    assert digest.subject == "Votre résumé du jour : 2 notifications"
    assert "Une de mes contributions a été masquée" in digest.body
    assert f"Motif : {HIDING_REASON}" in digest.body
    assert "Réponse à l'un de mes commentaires" in digest.body
    unsubscribe = digest.extra_headers["List-Unsubscribe"].strip("<>")
    assert "/notifications/desabonnement/" in unsubscribe
    assert unsubscribe in digest.body
    html = next(content for content, mimetype in digest.alternatives if mimetype == "text/html")
    assert "Une de mes contributions a été masquée" in html and unsubscribe in html

    page.goto(server + debate.subject.get_absolute_url())
    mine = comments_of(page).get_by_role("article", name="elodie-gare")
    expect(mine).to_contain_text("masqué par la modération")
    expect(mine).to_contain_text(COMMENT_START)

    page.get_by_role("link", name="Notifications (2 non lues)").click()  # the reply, then the decision
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes notifications")
    hidden = page.get_by_role("listitem").filter(has_text="Une de mes contributions a été masquée")
    expect(hidden).to_contain_text(f"Motif : {HIDING_REASON}")
    expect(hidden).to_contain_text("Non lue")
    expect(page.get_by_role("listitem").filter(has_text="Réponse à l'un de mes commentaires")).to_be_visible()
    assert_accessible(page)

    page.goto(server + urlsplit(unsubscribe).path)  # the email's address uses SITE_URL, not the live server
    expect(page.get_by_role("heading", level=1)).to_have_text("Se désabonner des courriels")
    expect(page.get_by_role("button", name="Confirmer le désabonnement")).to_be_visible()
    assert_accessible(page)


def test_a_reported_comment_is_hidden_and_its_author_told(
    new_context: Callable[..., Any], server: str, debate: Debate, mailoutbox: list[Any]
) -> None:
    author = new_context().new_page()
    log_in(author, server, debate.author.email)
    write_comment(author, server, debate)

    neighbour = new_context().new_page()
    log_in(neighbour, server, debate.neighbour.email)
    reply_and_report(neighbour, server, debate)

    hide_from_queue(new_context().new_page(), server, debate)
    visitor_no_longer_reads_it(new_context().new_page(), server, debate)
    author_is_told(author, server, debate, mailoutbox)


def test_commenting_replying_and_reporting_work_without_javascript(
    nojs_page: Any, new_context: Callable[..., Any], server: str, debate: Debate
) -> None:
    log_in(nojs_page, server, debate.author.email)
    write_comment(nojs_page, server, debate, new_context)

    page = new_context(java_script_enabled=False).new_page()
    log_in(page, server, debate.neighbour.email)
    page.goto(server + debate.subject.get_absolute_url())
    comment = comments_of(page).get_by_role("article", name="elodie-gare")
    comment.get_by_text("Répondre à elodie-gare").click()  # a <details>: no script needed to open it
    comment.get_by_label(label("Votre réponse")).fill(REPLY)
    comment.get_by_role("button", name="Publier ma réponse").click()
    expect(page.get_by_role("status").filter(has_text="Votre réponse est publiée.")).to_have_count(1)
    comment = comments_of(page).get_by_role("article", name="elodie-gare")
    expect(comment.get_by_role("article", name="karim-marche")).to_contain_text(REPLY)

    comment.get_by_role("link", name=re.compile(r"^Signaler le contenu « Oui, sans hésiter")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Signaler un contenu")
    check(page, new_context)
    page.get_by_role("button", name="Envoyer le signalement").click()  # no reason chosen: said next to the field
    expect(page.get_by_role("group", name=label("Pourquoi signalez-vous ce contenu ?"))).to_contain_text(
        "Choisissez le motif du signalement."
    )
    page.get_by_label("Données personnelles").check()
    page.get_by_label("Précisions (facultatif)").fill(REPORT_DETAILS)
    page.get_by_role("button", name="Envoyer le signalement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merci pour votre signalement")
    check(page, new_context)
    page.get_by_role("link", name=re.compile(r"^Revenir à « Oui, sans hésiter")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(QUESTION)
    # One report is below the threshold (3): the comment stays published until a moderator decides.
    expect(comments_of(page).get_by_role("article", name="elodie-gare")).to_contain_text(COMMENT_START)
