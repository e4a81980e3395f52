"""Public pages of the ballot service: a receipt is looked up after the count; the tally file is downloaded."""

from __future__ import annotations

import base64

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from participe.ballots import schemas, selectors
from participe.ballots.models import Election


def _visible(request: HttpRequest, pk: int) -> Election:
    election = get_object_or_404(Election.objects.select_related("module__space"), pk=pk)
    if not request.user.has_perm("ballots.view_election", election):
        raise Http404
    return election


def receipt_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Anyone enters a receipt code and sees whether that ballot is in the counted box (and, when the election
    publishes ballots with their receipts, what it says). A GET: nothing is written, nothing is logged."""
    election = _visible(request, pk)
    code = request.GET.get("code", "").strip()[:40]
    context: dict[str, object] = {"election": election, "module": election.module, "space": election.module.space}
    context["code"] = code
    if code:
        canonical = selectors.normalise_receipt(code)
        if not canonical:
            context["error"] = _(
                "Un code de reçu compte 12 caractères (chiffres et lettres), par exemple 7K3M-Q9TD-2XHB."
            )
        elif election.is_counted:
            ballot = selectors.ballot_by_receipt(election, canonical)
            context["canonical"] = canonical
            context["ballot"] = ballot
            if ballot is not None and election.publish_receipts:
                context["content"] = schemas.get(election.schema).display(election, ballot.content)
    return render(request, "ballots/receipt_check.html", context)


def tally_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The tally file of a counted election, with its SHA-256 in the ``Digest`` header (RFC 3230)."""
    election = _visible(request, pk)
    if not election.is_counted or not election.tally_file:
        raise Http404
    response = StreamingHttpResponse(selectors.tally_chunks(election), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="depouillement-{election.pk}.json"'
    response["Digest"] = "sha-256=" + base64.b64encode(bytes.fromhex(election.tally_sha256)).decode()
    return response
