"""The authorization matrix (``python -m audit --only authz``) over the surveys module: which objects fill the URLs
and the outcomes the rules (``rules.py``) give each role. The survey of the place du Marché: neither the agent nor
the moderator runs that space (only the organisation admin does); camille answered it with a photo and the admin
requested an export (the audit's fixtures). See docs/benchmarks.md, "Sweeps".
"""

from __future__ import annotations

from typing import Any

SPACE = "place-du-marche"


def _module() -> Any:
    from participe.spaces.models import Module

    return Module.objects.select_related("space").filter(space__slug=SPACE, module_type="surveys").first()


def _page(**extra: Any) -> dict[str, Any] | None:
    module = _module()
    return None if module is None else {"slug": module.space.slug, "module_slug": module.slug, **extra}


def _camille_file() -> Any:
    from participe.modules.surveys.models import Answer

    rows = Answer.objects.filter(
        response__questionnaire__module=_module(), response__participant__email="camille@example.org"
    )
    return rows.exclude(file="").order_by("pk").first()


def _receipt() -> dict[str, Any] | None:
    answer = _camille_file()
    return None if answer is None else _page(receipt=answer.response.receipt)


def _answer_file(public: bool) -> dict[str, Any] | None:
    answer = _camille_file()
    if answer is None:
        return None
    return _page(pk=answer.pk) if public else {"pk": answer.pk}


def _free_text_question() -> dict[str, Any] | None:
    from participe.modules.surveys.models import Question

    question = Question.objects.filter(questionnaire__module=_module(), kind="long_text").order_by("pk").first()
    return None if question is None else {"pk": question.pk}


PARAMS = {
    "spaces:surveys:answer": lambda: _page(page=1),
    "spaces:surveys:receipt": _receipt,
    "spaces:surveys:answer_file": lambda: _answer_file(public=True),
    "spaces:surveys:open_data": lambda: _page(extension="csv"),
    "backoffice:surveys:answer_file": lambda: _answer_file(public=False),
    "backoffice:surveys:question_answers": _free_text_question,
}

ROLES = ("anonymous", "participant", "verified", "moderator", "agent", "admin")


def _row(*outcomes: str | set[str]) -> dict[str, set[str]]:
    return {r: {o} if isinstance(o, str) else o for r, o in zip(ROLES, outcomes, strict=True)}


EXPECTATIONS: dict[str, dict[str, set[str]]] = {
    "spaces:surveys:answer": _row("login", "ok", "redirect", "ok", "ok", "ok"),
    "spaces:surveys:discard": {"*": {"method"}},
    "spaces:surveys:receipt": _row("notfound", "notfound", "ok", "notfound", "notfound", "ok"),
    "spaces:surveys:mine": _row("login", "ok", "ok", "ok", "ok", "ok"),
    "spaces:surveys:answer_file": _row("notfound", "notfound", "ok", "notfound", "notfound", "ok"),
    "spaces:surveys:results": _row("notfound", "notfound", "notfound", "notfound", "notfound", "ok"),
    "spaces:surveys:open_data": _row("notfound", "notfound", "notfound", "notfound", "notfound", "ok"),
    "backoffice:surveys:questionnaire": _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:surveys:question_create": _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:surveys:questionnaire_edit": _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:surveys:questionnaire_duplicate": _row(
        "login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"
    ),
    "backoffice:surveys:test_responses_clear": _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:surveys:question_edit": _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:surveys:question_kind": _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:surveys:question_condition": _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:surveys:question_move": _row("login", "forbidden", "forbidden", "method", "method", "method"),
    "backoffice:surveys:question_duplicate": _row("login", "forbidden", "forbidden", "method", "method", "method"),
    "backoffice:surveys:question_delete": _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "redirect"),
    "backoffice:surveys:results": _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:surveys:exports": _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:surveys:question_answers": _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:surveys:answer_file": _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:surveys:export_progress": _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "redirect"),
    "backoffice:surveys:export_download": _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:surveys:export_delete": _row("login", "forbidden", "forbidden", "method", "method", "method"),
    "api:questionnaire_detail": {"*": {"ok"}},
    "api:results_detail": _row("notfound", "notfound", "notfound", "notfound", "notfound", "ok"),
}
