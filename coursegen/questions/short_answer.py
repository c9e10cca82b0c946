"""Short answer: the learner types the answer; any of the accepted ones is right."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from pydantic import Field, StrictBool

from ..schematypes import Text
from .common import Problem, Question, QuestionIn, QuestionType, duplicates, split_cell


class ShortAnswerIn(QuestionIn):
    type: Literal["short_answer"]
    answers: list[Text] = Field(min_length=1)
    case_sensitive: StrictBool = False


@dataclass(frozen=True, kw_only=True)
class ShortAnswer(Question):
    kind: ClassVar[str] = "short_answer"
    label: ClassVar[str] = "Short answer"
    answers: tuple[str, ...]
    case_sensitive: bool = False


def answer_data(q: ShortAnswerIn) -> dict[str, Any]:
    return {"answers": tuple(q.answers), "case_sensitive": q.case_sensitive}


def problems(q: ShortAnswer) -> list[Problem]:
    """No two accepted answers are the same."""
    return duplicates(list(q.answers), "answers", "answer", "duplicate-item")


TYPE = QuestionType(
    schema=ShortAnswerIn,
    model=ShortAnswer,
    answer_data=answer_data,
    problems=problems,
    csv={"answer": lambda cell: {"answers": split_cell(cell)}},  # 'Ministry of Interior | MoI'
)
