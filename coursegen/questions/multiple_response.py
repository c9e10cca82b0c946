"""Multiple response: options, one or more of them correct."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from .choice import Choice, ChoiceIn, choice_type
from .common import Problem


class MultipleResponseIn(ChoiceIn):
    type: Literal["multiple_response"]


@dataclass(frozen=True, kw_only=True)
class MultipleResponse(Choice):
    kind: ClassVar[str] = "multiple_response"
    label: ClassVar[str] = "Multiple response"


def some_correct(q: MultipleResponse) -> list[Problem]:
    if any(o.correct for o in q.options):
        return []
    message = "a multiple_response question needs at least one correct option"
    hint = "mark at least one option 'correct: true'"
    return [Problem(message, "no-correct", hint, ("options",))]


TYPE = choice_type(MultipleResponseIn, MultipleResponse, some_correct)
