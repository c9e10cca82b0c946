"""Multiple response: options, one or more of them correct."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from .common import (
    Choice,
    ChoiceIn,
    Problem,
    QuestionType,
    choice_data,
    duplicate_options,
    options_from_csv,
)


class MultipleResponseIn(ChoiceIn):
    type: Literal["multiple_response"]


@dataclass(frozen=True, kw_only=True)
class MultipleResponse(Choice):
    kind: ClassVar[str] = "multiple_response"
    label: ClassVar[str] = "Multiple response"


def problems(q: MultipleResponse) -> list[Problem]:
    """At least one option is correct, and no two options are the same."""
    found = []
    if not any(o.correct for o in q.options):
        message = "a multiple_response question needs at least one correct option"
        hint = "mark at least one option 'correct: true'"
        found.append(Problem(message, "no-correct", hint, ("options",)))
    return found + duplicate_options(q)


TYPE = QuestionType(
    schema=MultipleResponseIn,
    model=MultipleResponse,
    answer_data=choice_data,
    problems=problems,
    csv={"options": options_from_csv},
)
