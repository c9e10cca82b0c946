"""Single choice: options, exactly one of them correct."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from .choice import Choice, ChoiceIn, choice_type
from .common import Problem


class SingleChoiceIn(ChoiceIn):
    type: Literal["single_choice"]


@dataclass(frozen=True, kw_only=True)
class SingleChoice(Choice):
    kind: ClassVar[str] = "single_choice"
    label: ClassVar[str] = "Single choice"


def one_correct(q: SingleChoice) -> list[Problem]:
    correct = sum(o.correct for o in q.options)
    if correct == 1:
        return []
    message = f"a single_choice question needs exactly one correct option, found {correct}"
    hint = "mark exactly one option 'correct: true'"
    return [Problem(message, "correct-count", hint, ("options",))]


TYPE = choice_type(SingleChoiceIn, SingleChoice, one_correct)
