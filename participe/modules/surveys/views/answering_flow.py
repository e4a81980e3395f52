"""Going through a questionnaire page by page: who is answering (and in which mode), the draft, the pages that
conditions leave, what a posted page does (save, go back, go on, send) and how a page is drawn.

Used by ``views.answer`` and ``views.module_page``; the writes go through ``services.answering``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from participe.accounts.middleware import participant
from participe.modules.surveys import answers
from participe.modules.surveys.answers import Page, QuestionSpec, Values
from participe.modules.surveys.forms import answering as answer_fields
from participe.modules.surveys.selectors import answering as selectors
from participe.modules.surveys.selectors.answering import Respondent
from participe.modules.surveys.services import answering
from participe.spaces.models import Module
from participe.spaces.participation import NOT_SIGNED_IN

MODES = {
    "apercu": "surveys.try_questionnaire",
    "test": "surveys.try_questionnaire",
    "papier": "surveys.enter_paper_response",
}
PREVIEW_SESSION_KEY = "surveys_preview"


def mode_of(request: HttpRequest) -> str:
    """ "apercu", "test" or "papier" when asked in the address and allowed to the user; "" otherwise."""
    return next((mode for mode in MODES if request.GET.get(mode) == "1"), "")


def answer_url(module: Module, page: int, mode: str) -> str:
    url = reverse("spaces:surveys:answer", kwargs={"slug": module.space.slug, "module_slug": module.slug, "page": page})
    return f"{url}?{mode}=1" if mode else url


def receipt_url(module: Module, receipt: Any) -> str:
    return reverse(
        "spaces:surveys:receipt", kwargs={"slug": module.space.slug, "module_slug": module.slug, "receipt": receipt}
    )


def _respondent(request: HttpRequest, mode: str) -> Respondent:
    if mode in ("apercu", "test"):
        return Respondent(user=request.user, is_test=True)
    if mode == "papier":
        return Respondent(entered_by=request.user, is_paper=True)
    user, agent = participant(request)
    return Respondent(user=user if getattr(user, "is_authenticated", False) else None, entered_by=agent)


class Flow:
    """One request's view of a questionnaire being answered."""

    def __init__(self, request: HttpRequest, module: Module, mode: str) -> None:
        self.request = request
        self.module = module
        if mode and not request.user.has_perm(MODES[mode], module):
            mode = ""  # a resident following a staff link simply answers
        self.mode = mode
        self.questionnaire = selectors.questionnaire_of(module)
        self.specs: list[QuestionSpec] = selectors.question_specs(self.questionnaire) if self.questionnaire else []
        self.pages = answers.split_pages(self.specs)
        self.respondent = _respondent(request, mode)
        session = request.session
        self.draft = None
        if self.questionnaire is not None and mode != "apercu":
            self.draft = selectors.draft_for(self.respondent, self.questionnaire, session)
        self.values: Values = dict(self.draft.draft) if self.draft else self._preview_values()
        self.access = selectors.answer_access(self.respondent, module, self.questionnaire, session)

    @classmethod
    def open(cls, request: HttpRequest, module: Module, mode: str) -> Flow:
        return cls(request, module, mode)

    # --- pages --------------------------------------------------------------------------------------------------
    @property
    def visible(self) -> set[int]:
        return answers.visible_ids(self.specs, self.values)

    @property
    def shown_pages(self) -> list[Page]:
        return answers.visible_pages(self.pages, self.visible) or self.pages[:1]

    def page(self, number: int) -> Page | None:
        return self.pages[number - 1] if 1 <= number <= len(self.pages) else None

    def first_shown_from(self, page: Page) -> Page:
        shown = self.shown_pages
        return next((p for p in shown if p.number >= page.number), shown[-1])

    def _neighbour(self, page: Page, step: int) -> Page | None:
        shown = self.shown_pages
        later = [p for p in shown if (p.number - page.number) * step > 0]
        if not later:
            return None
        return min(later, key=lambda p: abs(p.number - page.number))

    def resume_page(self) -> int:
        page = self.draft.page if self.draft is not None else 1
        return page if 1 <= page <= len(self.pages) else 1

    # --- who may -----------------------------------------------------------------------------------------------
    def refusal(self) -> HttpResponse | None:
        """Where to send someone who may not answer now: the login page, or the module page that says why."""
        if self.access.allowed:
            return None
        if self.access.code == NOT_SIGNED_IN:
            return redirect_to_login(self.request.get_full_path())
        if self.mode:  # the module page says why to residents; staff modes have no such page
            messages.error(self.request, self.access.reason)
        return HttpResponseRedirect(self.module.get_absolute_url())

    # --- drawing a page -----------------------------------------------------------------------------------------
    def errors_to_show(self, page: Page) -> dict[str, str]:
        """Errors of a page sent back to be corrected (``?verifier=1``, after a refused submission)."""
        if self.request.GET.get("verifier") != "1":
            return {}
        return answers.validate(page.questions, self.values, self.visible).errors

    def render(
        self, page: Page, *, errors: dict[str, str], notice: str = "", revealed: frozenset[int] = frozenset()
    ) -> HttpResponse:
        visible = self.visible
        fields = answer_fields.build_fields(
            page.questions, self.values, errors, visible, {q.id for q in page.questions}
        )
        for built in fields:
            built.revealed = built.question.id in revealed
        shown = self.shown_pages
        position = next((i for i, p in enumerate(shown, start=1) if p.number == page.number), 1)
        is_last = self._neighbour(page, +1) is None
        context = {
            "module": self.module,
            "space": self.module.space,
            "questionnaire": self.questionnaire,
            "page": page,
            "fields": fields,
            "summary": answer_fields.error_summary(fields, errors),
            "notice": notice,
            "position": position,
            "total": len(shown),
            "is_first": position == 1,
            "is_last": is_last,
            "mode": self.mode,
            "action_url": answer_url(self.module, page.number, self.mode),
            "discard_url": self._discard_url(),
            "has_draft": self.draft is not None or bool(self.values),
            "signed_in": self.respondent.user is not None,
            "has_files": any(f.question.kind == answers.FILE for f in fields),
            "has_required": any(f.question.required for f in fields),
            "acting_for": getattr(self.request, "acting_for", None),
        }
        return render(self.request, "surveys/answer_page.html", context)

    def _discard_url(self) -> str:
        url = reverse(
            "spaces:surveys:discard", kwargs={"slug": self.module.space.slug, "module_slug": self.module.slug}
        )
        return f"{url}?{self.mode}=1" if self.mode else url

    # --- a posted page -----------------------------------------------------------------------------------------
    def post(self, page: Page) -> HttpResponse:
        posted = answers.read_posted(page.questions, self.request.POST)
        self.values = answers.merge(self.values, page.questions, posted)
        file_errors = self._files(page)
        action = self.request.POST.get("action", "next")
        if action == "save":
            self._save(page.number)
            return self._saved()
        if action == "previous":
            target = self._neighbour(page, -1) or page
            self._save(target.number)
            return HttpResponseRedirect(answer_url(self.module, target.number, self.mode))
        visible = self.visible
        errors = {**answers.validate(page.questions, self.values, visible).errors, **file_errors}
        revealed = self._revealed(page, visible)
        errors = {k: v for k, v in errors.items() if not any(_belongs(k, q) for q in revealed)}
        if errors or revealed:
            self._save(page.number)
            notice = _revealed_notice(len(revealed)) if revealed else ""
            return self.render(page, errors=errors, notice=notice, revealed=frozenset(q.id for q in revealed))
        following = self._neighbour(page, +1)
        if following is not None:
            self._save(following.number)
            return HttpResponseRedirect(answer_url(self.module, following.number, self.mode))
        self._save(page.number)
        return self._submit()

    def _files(self, page: Page) -> dict[str, str]:
        errors = {}
        for question in page.questions:
            if question.kind != answers.FILE:
                continue
            upload = self.request.FILES.get(question.name)
            try:
                if upload is not None:
                    name, original = self._keep_file(question, upload)
                    self.values = answering.file_replace(
                        values=self.values, question=question, name=name, original=original
                    )
                elif self.request.POST.get(f"{question.name}-clear"):
                    self.values = answering.file_replace(values=self.values, question=question, name="", original="")
            except ValidationError as error:
                errors[question.name] = " ".join(error.messages)
        return errors

    def _keep_file(self, question: QuestionSpec, upload: Any) -> tuple[str, str]:
        if self.mode in ("apercu", "test") or self.questionnaire is None:
            answering.file_check(question=question, upload=upload)
            return answering.PLACEHOLDER_FILE, answering._original_name(upload.name or "")
        return answering.file_store(questionnaire=self.questionnaire, question=question, upload=upload)

    def _revealed(self, page: Page, visible: set[int]) -> list[QuestionSpec]:
        """Questions of this page that the answers just posted show, and that the person has not seen yet (no
        script ran to show them): the page comes back once for them, without errors."""
        shown = set(self.request.POST.getlist("shown"))
        return [
            q
            for q in page.questions
            if q.id in visible and str(q.id) not in shown and not q.is_section and q.condition_question_id is not None
        ]

    def _save(self, resume_at: int) -> None:
        if self.questionnaire is None:
            return
        if self.mode == "apercu":
            store = dict(self.request.session.get(PREVIEW_SESSION_KEY, {}))
            store[str(self.questionnaire.pk)] = self.values
            self.request.session[PREVIEW_SESSION_KEY] = store
            return
        if self.request.session.session_key is None:
            self.request.session.save()
        self.draft = answering.draft_save(
            questionnaire=self.questionnaire,
            respondent=self.respondent,
            draft=self.draft,
            values=self.values,
            page=resume_at,
            session=self.request.session,
        )

    def _saved(self) -> HttpResponse:
        if self.mode:
            messages.success(self.request, _("Les réponses sont gardées."))
            return HttpResponseRedirect(answer_url(self.module, self.resume_page(), self.mode))
        if self.respondent.user is not None:
            text = _(
                "Vos réponses sont enregistrées : reprenez quand vous voulez depuis la page du questionnaire, sur cet appareil ou un autre."
            )
        else:
            text = _(
                "Vos réponses sont enregistrées dans ce navigateur : revenez sur la page du questionnaire avec le même "
                "appareil et le même navigateur pour reprendre. Sans compte, elles ne sont pas retrouvables ailleurs."
            )
        messages.success(self.request, text)
        return HttpResponseRedirect(self.module.get_absolute_url())

    def _submit(self) -> HttpResponse:
        assert self.questionnaire is not None
        if self.mode == "apercu":
            return self._preview_end()
        try:
            response = answering.response_submit(
                questionnaire=self.questionnaire,
                respondent=self.respondent,
                draft=self.draft,
                specs=self.specs,
                values=self.values,
                session=self.request.session,
            )
        except answering.AnswersInvalid as invalid:
            messages.error(self.request, _("Une réponse est à corriger avant l'envoi : elle est signalée ci-dessous."))
            return HttpResponseRedirect(
                answer_url(self.module, invalid.page, self.mode) + ("&" if self.mode else "?") + "verifier=1"
            )
        except answering.AnswerRefused as refused:
            messages.error(self.request, refused.message)
            return HttpResponseRedirect(self.module.get_absolute_url())
        if response.pk is None:
            # Anonymous: the receipt is shown in this answer only; the session (which holds the account) keeps it not.
            return render_receipt(self.request, self.module, response, mode=self.mode)
        return HttpResponseRedirect(receipt_url(self.module, response.receipt))

    # --- preview ------------------------------------------------------------------------------------------------
    def _preview_values(self) -> Values:
        if self.mode != "apercu" or self.questionnaire is None:
            return {}
        return dict(self.request.session.get(PREVIEW_SESSION_KEY, {}).get(str(self.questionnaire.pk), {}))

    def preview_forget(self) -> None:
        store = dict(self.request.session.get(PREVIEW_SESSION_KEY, {}))
        if self.questionnaire is not None:
            store.pop(str(self.questionnaire.pk), None)
        self.request.session[PREVIEW_SESSION_KEY] = store

    def _preview_end(self) -> HttpResponse:
        try:
            answering.check_all(self.specs, self.values)
        except answering.AnswersInvalid as invalid:
            messages.error(self.request, _("Une réponse est à corriger avant l'envoi : elle est signalée ci-dessous."))
            return HttpResponseRedirect(answer_url(self.module, invalid.page, self.mode) + "&verifier=1")
        self.preview_forget()
        context = {
            "module": self.module,
            "space": self.module.space,
            "questionnaire": self.questionnaire,
            "response": None,
            "mode": "apercu",
            "again_url": answer_url(self.module, 1, "apercu"),
        }
        return render(self.request, "surveys/receipt.html", context)


def render_receipt(request: HttpRequest, module: Module, response: Any, *, mode: str) -> HttpResponse:
    """The receipt: the answers are recorded, the closing message, and what comes next."""
    settings = selectors.survey_settings(module)
    user = request.user
    kept = response.pk is not None
    context = {
        "module": module,
        "space": module.space,
        "questionnaire": response.questionnaire,
        "response": response,
        "anonymous": bool(settings.get("anonymous")),
        "can_see_own": kept
        and response.participant_id is not None
        and user.has_perm("surveys.view_response", response),
        "again_url": (
            answer_url(module, 1, "")
            if settings.get("multiple_answers") and not mode and not response.entered_by_id
            else ""
        ),
        "can_view_results": user.has_perm("surveys.view_results", module),
        "mode": mode,
    }
    return render(request, "surveys/receipt.html", context)


def _belongs(key: str, question: QuestionSpec) -> bool:
    return key == question.name or key.startswith(f"{question.name}-")


def _revealed_notice(count: int) -> str:
    return ngettext(
        "Selon votre réponse, une question s'ajoute sur cette page : elle est signalée ci-dessous. Répondez-y, puis continuez.",
        "Selon vos réponses, %(n)s questions s'ajoutent sur cette page : elles sont signalées ci-dessous. Répondez-y, puis continuez.",
        count,
    ) % {"n": count}
