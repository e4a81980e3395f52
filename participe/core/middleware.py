"""Language selection: French unless the visitor chose another language with the footer form."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext as _

from participe.core.pagination import InvalidCursor


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Like LocaleMiddleware, but ignores the browser's Accept-Language.

    The interface of a French collectivité is French by default; English is an explicit choice,
    kept in the language cookie set by ``set_language``.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class InvalidCursorMiddleware:
    """A page asked with a cursor no list made (a tampered or truncated « page suivante » link): the same page
    without it — the first page — and a notice saying why, instead of an error or a silent first page.

    ``participe.core.pagination`` raises ``InvalidCursor`` for every list; the API answers it with a 400
    (``participe.api``), this answers the pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, InvalidCursor) or request.method not in ("GET", "HEAD"):
            return None
        query = request.GET.copy()
        for name in [name for name, values in query.lists() if exception.cursor in values]:
            del query[name]
        messages.info(
            request, _("Ce lien de page n'est pas valable (il a peut-être été coupé) : voici la première page.")
        )
        url = request.path + (f"?{query.urlencode()}" if query else "")
        if getattr(request, "htmx", False):  # "afficher plus" with a bad cursor: the whole page again
            return HttpResponse(status=204, headers={"HX-Redirect": url})
        return HttpResponseRedirect(url)
