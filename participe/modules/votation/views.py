"""Public pages of a votation: the question, the ballot, its review, the receipt, the results.

Casting is three steps that all work without JavaScript: the ballot form (GET), the review (POST: nothing is written;
the page shows the ballot and carries it, with a one-time token, to the confirmation), the confirmation (POST: the
ballot service casts it and the receipt is shown in the answer itself, never kept in the session). Sending the
confirmation again (a reload, a double click) answers with the same receipt: the token is the idempotency key.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participe.ballots import schemas
from participe.ballots import selectors as ballots
from participe.ballots.models import Election
from participe.ballots.services import ballot_cast
from participe.core.capabilities import Cap
from participe.modules.votation import selectors
from participe.modules.votation.forms import BallotForm, initial_from, read_ballot
from participe.modules.votation.models import Question
from participe.modules.votation.schema import options_of
from participe.permissions.explain import explain
from participe.permissions.refusals import Refused
from participe.spaces.models import Module
from participe.verifications.eligibility import rule_for


def _base(request: HttpRequest, module: Module, question: Question | None) -> dict[str, Any]:
    return {"module": module, "space": module.space, "question": question}


def module_page(request: HttpRequest, module: Module) -> HttpResponse:
    """The question, its options, who may vote and until when, and what the visitor may do now."""
    question = selectors.question_of(module)
    context = _base(request, module, question)
    election = question.election if question else None
    if question is not None and election is not None:
        rule = rule_for(module, Cap.VOTE)
        opens_at, closes_at = ballots.vote_window(election)
        context |= {
            "election": election,
            "options": options_of(question),
            "verdict": explain(request.user, "ballots.vote_now", election),
            "voted": ballots.roll_entry_of(request.user, election) if request.user.is_authenticated else None,
            "stations": ballots.stations_of(module) if election.paper else [],
            "eligibility": rule.describe() if rule is not None else "",
            "opens_at": opens_at,
            "closes_at": closes_at,
            "upcoming": opens_at is not None and opens_at > timezone.now(),
        }
    return render(request, "votation/module_page.html", context)


def _votation(request: HttpRequest, slug: str, module_slug: str) -> tuple[Module, Question, Election]:
    module = get_object_or_404(
        Module.objects.select_related("space").prefetch_related("phases"),
        space__slug=slug,
        slug=module_slug,
        module_type="votation",
    )
    if not request.user.has_perm("votation.view_votation", module):
        raise Http404
    question = selectors.question_of(module)
    if question is None or question.election is None:
        raise Http404
    return module, question, question.election


def _refused(request: HttpRequest, module: Module, message: str) -> HttpResponse:
    messages.error(request, message)
    return redirect(module.get_absolute_url())


def _may_vote(request: HttpRequest, election: Election) -> str:
    """'' when the visitor may vote here now, else why not (the first reason)."""
    if getattr(request, "acting_for", None) is not None:
        return _("Le vote est personnel : l'habitant vote lui-même, en ligne ou au bureau de vote.")
    verdict = explain(request.user, "ballots.vote_now", election)
    return "" if verdict.allowed else verdict.message


def ballot(request: HttpRequest, slug: str, module_slug: str) -> HttpResponse:
    """GET: the ballot. POST: the review of the ballot (or, with ``modifier``, the ballot again to change it)."""
    module, question, election = _votation(request, slug, module_slug)
    refusal = _may_vote(request, election)
    if refusal:
        return _refused(request, module, refusal)
    if request.method == "POST" and "modifier" not in request.POST:
        form = BallotForm(request.POST, question=question)
        if form.is_valid():
            kind, content = form.normalised
            return render(
                request,
                "votation/review.html",
                _base(request, module, question)
                | {
                    "election": election,
                    "blank": kind == "blank",
                    "display": schemas.get(election.schema).display(election, content) if content else "",
                    "ballot_json": json.dumps(content),
                    "token": secrets.token_urlsafe(24),
                },
            )
    elif request.method == "POST":
        content = read_ballot(request.POST.get("bulletin", "")) or {}
        form = BallotForm(initial=initial_from(question, content, request.POST.get("blanc") == "1"), question=question)
    else:
        form = BallotForm(question=question)
    return _ballot_page(request, module, question, form)


def _ballot_page(request: HttpRequest, module: Module, question: Question, form: BallotForm) -> HttpResponse:
    context = _base(request, module, question) | {"form": form, "options": options_of(question)}
    return render(request, "votation/ballot.html", context, status=200)


@require_POST
def confirm(request: HttpRequest, slug: str, module_slug: str) -> HttpResponse:
    """Cast the reviewed ballot and show the receipt (the same receipt if this confirmation is sent again)."""
    module, question, election = _votation(request, slug, module_slug)
    if getattr(request, "acting_for", None) is not None:
        return _refused(request, module, _may_vote(request, election))
    content = read_ballot(request.POST.get("bulletin", ""))
    blank = request.POST.get("blanc") == "1"
    if content is None and not blank:
        return redirect(module.get_absolute_url())
    try:
        cast = ballot_cast(
            actor=request.user,
            election=election,
            content=content,
            blank=blank,
            idempotency_key=request.POST.get("jeton", "")[:200] or None,
            email_receipt=request.POST.get("recu_courriel") == "1",
        )
    except Refused as refused:
        return _refused(request, module, str(refused))
    except ValidationError as invalid:
        form = BallotForm(initial=initial_from(question, content, blank), question=question)
        form.ballot_errors = (
            [m for ms in invalid.message_dict.values() for m in ms]
            if hasattr(invalid, "error_dict")
            else invalid.messages
        )
        return _ballot_page(request, module, question, form)
    context = _base(request, module, question) | {
        "election": election,
        "cast": cast,
        "emailed": request.POST.get("recu_courriel") == "1" and bool(getattr(request.user, "email", "")),
    }
    return render(request, "votation/receipt.html", context)


def results(request: HttpRequest, slug: str, module_slug: str) -> HttpResponse:
    """The results once counted: turnout and threshold, per option, per channel and per quartier (charts and
    tables), the tally file, the receipt check, the collectivité's decision."""
    module, question, election = _votation(request, slug, module_slug)
    laid_out = selectors.results(question) if request.user.has_perm("ballots.view_results", election) else None
    context = _base(request, module, question) | {"election": election, "results": laid_out}
    return render(request, "votation/results.html", context)
