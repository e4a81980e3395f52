from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from participe.search import selectors
from participe.search.forms import SearchForm


def search_page(request: HttpRequest) -> HttpResponse:
    """/recherche/?q=…: a GET form that works without JavaScript; htmx swaps only the results."""
    form = SearchForm(request.GET or None, user=request.user)
    page = selectors.SearchPage()
    if form.is_bound:
        form.is_valid()  # invalid filters are shown with their error; the valid ones still apply
        page = selectors.search(
            user=request.user, query=form.query, filters=form.filters(), cursor=request.GET.get("apres")
        )
    context = {"form": form, "page": page, "query": form.query if form.is_bound else ""}
    template = "search/partials/_results.html" if request.htmx else "search/search.html"  # type: ignore[attr-defined]
    return render(request, template, context)
