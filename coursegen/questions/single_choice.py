"""Single choice: options, exactly one of them correct."""

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


class SingleChoiceIn(ChoiceIn):
    type: Literal["single_choice"]


@dataclass(frozen=True, kw_only=True)
class SingleChoice(Choice):
    kind: ClassVar[str] = "single_choice"
    label: ClassVar[str] = "Single choice"


def problems(q: SingleChoice) -> list[Problem]:
    """Exactly one option is correct, and no two options are the same."""
    correct = sum(o.correct for o in q.options)
    found = []
    if correct != 1:
        message = f"a single_choice question needs exactly one correct option, found {correct}"
        hint = "mark exactly one option 'correct: true'"
        found.append(Problem(message, "correct-count", hint, ("options",)))
    return found + duplicate_options(q)


TYPE = QuestionType(
    schema=SingleChoiceIn,
    model=SingleChoice,
    answer_data=choice_data,
    problems=problems,
    csv={"options": options_from_csv},
)
