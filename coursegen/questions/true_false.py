"""True or false: a statement, and whether it is true."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from pydantic import StrictBool

from .common import Question, QuestionIn, QuestionType


class TrueFalseIn(QuestionIn):
    type: Literal["true_false"]
    answer: StrictBool


@dataclass(frozen=True, kw_only=True)
class TrueFalse(Question):
    kind: ClassVar[str] = "true_false"
    label: ClassVar[str] = "True or false"
    answer: bool


def answer_from_csv(cell: str) -> dict[str, Any]:
    """'true' or 'false' ('yes' and 'no' too); any other text is left for the schema to refuse."""
    truth = {"true": True, "yes": True, "false": False, "no": False}.get(cell.lower(), cell)
    return {"answer": truth}


TYPE = QuestionType(
    schema=TrueFalseIn,
    model=TrueFalse,
    answer_data=lambda q: {"answer": q.answer},
    csv={"answer": answer_from_csv},
)
