"""Answering a questionnaire, as pure functions: no database, no request.

The package re-exports what the rest of the module uses: ``from participe.modules.surveys import answers``.

- ``QuestionSpec``: what answering needs of a question (built once per request by ``selectors.question_specs``).
- ``split_pages``: a ``section`` item starts a new page; questions before the first section are on page 1.
- ``visible_ids``: conditional display. A question (or a section, and then its whole page) is visible when the
  question it depends on is visible and the answer to it includes one of its ``condition_choices``.
- ``read_posted``: the posted form values of some questions, in the draft format ({"<pk>": [...], "<pk>-other": …,
  "<pk>-<row pk>": …, "<pk>-rank-<choice pk>": …}); form field names are these keys prefixed with "q".
- ``validate``: the values of the visible questions, checked per kind, into ``AnswerRow`` (one per future ``Answer``)
  and French error messages keyed by the id of the field they belong to.
- ``tally_increments``: what a submitted response adds to the ``Tally`` counters.
"""

from participe.modules.surveys.answers.specs import (
    CHOICE_KINDS,
    CLOSED_KINDS,
    DATE,
    FILE,
    LONG_TEXT,
    MATRIX,
    MAX_POSTED_CHARS,
    MULTIPLE,
    NUMBER,
    NUMBER_LIMIT,
    RANKING,
    SCALE,
    SECTION,
    SHORT_TEXT,
    SINGLE,
    ChoiceSpec,
    Page,
    QuestionSpec,
    RowSpec,
    Values,
    as_list,
    default_option,
    keys_of,
    merge,
    read_posted,
    split_pages,
    visible_ids,
    visible_pages,
)
from participe.modules.surveys.answers.tally import TallyIncrement, tally_increments, tally_key
from participe.modules.surveys.answers.validation import (
    VALIDATORS,
    AnswerRow,
    Invalid,
    Validation,
    parse_date,
    parse_number,
    required_message,
    validate,
)

__all__ = [
    "CHOICE_KINDS",
    "CLOSED_KINDS",
    "DATE",
    "FILE",
    "LONG_TEXT",
    "MATRIX",
    "MAX_POSTED_CHARS",
    "MULTIPLE",
    "NUMBER",
    "NUMBER_LIMIT",
    "RANKING",
    "SCALE",
    "SECTION",
    "SHORT_TEXT",
    "SINGLE",
    "VALIDATORS",
    "AnswerRow",
    "ChoiceSpec",
    "Invalid",
    "Page",
    "QuestionSpec",
    "RowSpec",
    "TallyIncrement",
    "Validation",
    "Values",
    "as_list",
    "default_option",
    "keys_of",
    "merge",
    "parse_date",
    "parse_number",
    "read_posted",
    "required_message",
    "split_pages",
    "tally_increments",
    "tally_key",
    "validate",
    "visible_ids",
    "visible_pages",
]
