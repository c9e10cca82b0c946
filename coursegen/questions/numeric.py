"""Numeric: the learner types a number, right when it falls within an answer's tolerance.

A bank writes one right figure as ``answer: 45`` (with ``tolerance:`` and ``unit:`` beside
it), or several figures as ``answers:``, each with its own tolerance and feedback; a figure
marked ``correct: false`` is a known mistake whose feedback says what went wrong. A tolerance
is absolute (``0.5``, in the question's unit) or relative (``2%`` of the figure); the model
holds every tolerance as an absolute one, exact (``Decimal``), as every format writes it.

There is no partial credit: the HTML course, SCORM, Anki and Canvas grade an answer right
or wrong, and a learner must get the same grade from every format.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator, Field, StrictBool, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from ..schematypes import Strict, Text
from .common import Problem, Question, QuestionIn, QuestionType, split_cell

_PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")


def _number(value: Any) -> Any:
    # Quoted figures are refused as quoted booleans are (see schematypes): "45" may be a typo.
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise PydanticCustomError("number", "Input should be a number")
    return Decimal(str(value))


def _tolerance(value: Any) -> Any:
    """An absolute tolerance (a number of at least 0) or a relative one ('2%'), kept as written
    (a Decimal, or the percentage as text) until the figure it applies to is known."""
    if isinstance(value, str):
        if _PERCENT.match(value):
            return value.strip()
        raise PydanticCustomError("tolerance", "Input should be a tolerance")
    number = _number(value)
    if number < 0:
        raise PydanticCustomError("negative_tolerance", "Input should not be negative")
    return number


Number = Annotated[Decimal, BeforeValidator(_number), WithJsonSchema({"type": "number"})]
Tolerance = Annotated[
    Decimal | str,
    BeforeValidator(_tolerance),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0},
                {"type": "string", "pattern": "^\\s*\\d+(\\.\\d+)?\\s*%\\s*$"},
            ],
            "description": "Absolute, in the unit (0.5), or relative to the figure (2%).",
        }
    ),
]


class NumericAnswerIn(Strict):
    value: Number
    tolerance: Tolerance | None = None  # left out: the question's, or none
    correct: StrictBool = True
    feedback: Text | None = None


class NumericIn(QuestionIn):
    type: Literal["numeric"]
    answer: Number | None = Field(None, description="The right figure (or list 'answers').")
    answers: list[NumericAnswerIn] | None = Field(None, min_length=1)
    tolerance: Tolerance | None = Field(None, description="Of 'answer', and of each of 'answers'.")
    unit: Text | None = Field(None, description="Shown to the learner, who may type it too.")

    @model_validator(mode="after")
    def _answer_or_answers(self) -> NumericIn:
        if (self.answer is None) == (self.answers is None):
            raise PydanticCustomError("numeric_answer", "Input should have answer or answers")
        return self


@dataclass(frozen=True)
class NumericAnswer:
    """A figure and its absolute tolerance: every number from ``low`` to ``high`` matches."""

    value: Decimal
    tolerance: Decimal = Decimal(0)
    correct: bool = True
    feedback: str | None = None

    @property
    def low(self) -> Decimal:
        return self.value - self.tolerance

    @property
    def high(self) -> Decimal:
        return self.value + self.tolerance


@dataclass(frozen=True, kw_only=True)
class Numeric(Question):
    """``answers`` in the author's order; the first correct one is the answer shown."""

    kind: ClassVar[str] = "numeric"
    label: ClassVar[str] = "Numeric"
    answers: tuple[NumericAnswer, ...]
    unit: str | None = None

    @property
    def right(self) -> NumericAnswer:
        return next(a for a in self.answers if a.correct)

    def matching(self, number: Decimal) -> NumericAnswer | None:
        """The first answer whose range holds ``number``, as Moodle and the page match."""
        return next((a for a in self.answers if a.low <= number <= a.high), None)


def figure(number: Decimal) -> str:
    """A number as every format writes it: plain digits, no exponent, no trailing zeros."""
    text = f"{number.normalize():f}"
    return "0" if text in ("-0", "0") else text


def parse_figure(text: str) -> Decimal | None:
    """A figure as another format writes it ('1013', '10.13', '1e3'), or None if it is none."""
    try:
        number = Decimal(text.strip())
    except ArithmeticError:
        return None
    return number if number.is_finite() else None


def absolute(value: Decimal, tolerance: Decimal | str | None) -> Decimal:
    """The absolute tolerance of ``value``: 2% of 45 is 0.9."""
    if tolerance is None:
        return Decimal(0)
    if isinstance(tolerance, str):
        percent = Decimal(_PERCENT.match(tolerance).group(1))
        return abs(value) * percent / 100
    return tolerance


def answer_data(q: NumericIn) -> dict[str, Any]:
    if q.answers is None:
        answers = (NumericAnswer(q.answer, absolute(q.answer, q.tolerance)),)
    else:
        answers = tuple(
            NumericAnswer(
                a.value,
                absolute(a.value, a.tolerance if a.tolerance is not None else q.tolerance),
                a.correct,
                a.feedback,
            )
            for a in q.answers
        )
    return {"answers": answers, "unit": q.unit}


def problems(q: Numeric) -> list[Problem]:
    """At least one answer is right, and no two answers' ranges overlap."""
    found = []
    if not any(a.correct for a in q.answers):
        message = "a numeric question needs at least one correct answer, found none"
        found.append(
            Problem(
                message, "no-correct", "remove 'correct: false' from the right figure", ("answers",)
            )
        )
    for i, later in enumerate(q.answers):
        earlier = next((a for a in q.answers[:i] if _overlap(a, later)), None)
        if earlier is not None:
            message = f"answer {_range(later)} overlaps answer {_range(earlier)}"
            hint = "narrow the tolerances so that a figure matches one answer only"
            found.append(Problem(message, "numeric-overlap", hint, ("answers", i, "value")))
    return found


def _overlap(a: NumericAnswer, b: NumericAnswer) -> bool:
    # Two ranges that only touch end to end (44.5-45.5 and 45.5-46.5) are allowed: the first
    # listed takes the figure they share, in every format.
    low, high = max(a.low, b.low), min(a.high, b.high)
    return low < high or (low == high and (a.tolerance == 0 or b.tolerance == 0))


def _range(a: NumericAnswer) -> str:
    if not a.tolerance:
        return figure(a.value)
    return f"{figure(a.value)} ({figure(a.low)} to {figure(a.high)})"


def bank_data(answers: list[NumericAnswer], unit: str | None = None) -> dict[str, Any]:
    """The answer data a bank writes for figures read from another format: one right figure
    without feedback as 'answer' (with its 'tolerance'), else the list of 'answers'."""
    unit_data = {"unit": unit} if unit else {}
    if len(answers) == 1 and answers[0].correct and not answers[0].feedback:
        return {
            "answer": _yaml_number(answers[0].value),
            **_tolerance_data(answers[0]),
            **unit_data,
        }
    written = [
        {"value": _yaml_number(a.value), **_tolerance_data(a)}
        | ({} if a.correct else {"correct": False})
        | ({"feedback": a.feedback} if a.feedback else {})
        for a in answers
    ]
    return {"answers": written, **unit_data}


def _tolerance_data(a: NumericAnswer) -> dict[str, Any]:
    return {"tolerance": _yaml_number(a.tolerance)} if a.tolerance else {}


def _yaml_number(number: Decimal) -> int | float:
    # The shortest float that reads back as this Decimal: str(float('10.13')) is '10.13'.
    return int(number) if number == number.to_integral() else float(number)


def answer_from_csv(cell: str) -> dict[str, Any]:
    """'45 ± 0.5 km', '45 ± 2%', '1922': the figure, its tolerance and its unit.

    Several figures are '45 ± 0.5 | !4.5 # a tenth of the distance': '!' marks a known wrong
    figure and '#' starts its feedback. What the cell does not say is left for the schema to
    report (a figure that is not a number, say).
    """
    parts = split_cell(cell)
    answers = [_csv_answer(part) for part in parts]
    units = {a.pop("unit") for a in answers} - {None}
    unit = {"unit": units.pop()} if len(units) == 1 else {}
    if len(answers) == 1 and set(answers[0]) <= {"value", "tolerance"}:
        one = answers[0]
        return {"answer": one["value"], **_key("tolerance", one), **unit}
    return {"answers": answers, **unit}


_CSV_FIGURE = re.compile(
    r"^(?P<wrong>!)?\s*(?P<value>[-+]?\d+(?:\.\d+)?)\s*"
    r"(?:(?:±|\+/?-)\s*(?P<tolerance>-?\d+(?:\.\d+)?\s*%?))?\s*(?P<unit>[^#±\d][^#]*?)?\s*"
    r"(?:#\s*(?P<feedback>.*))?$"
)


def _csv_answer(part: str) -> dict[str, Any]:
    match = _CSV_FIGURE.match(part)
    if match is None:
        return {"value": part, "unit": None}  # the schema says it is not a number
    value, tolerance = match["value"], match["tolerance"]
    answer: dict[str, Any] = {"value": _csv_number(value)}
    if tolerance:
        tolerance = tolerance.replace(" ", "")
        answer["tolerance"] = tolerance if tolerance.endswith("%") else _csv_number(tolerance)
    if match["wrong"]:
        answer["correct"] = False
    if match["feedback"]:
        answer["feedback"] = match["feedback"].strip()
    answer["unit"] = match["unit"] or None
    return answer


def _csv_number(text: str) -> int | float:
    return float(text) if "." in text else int(text)


def _key(name: str, data: dict) -> dict:
    return {name: data[name]} if name in data else {}


TYPE = QuestionType(
    schema=NumericIn,
    model=Numeric,
    answer_data=answer_data,
    problems=problems,
    csv={"answer": answer_from_csv},
    csv_hints={"no-correct": "in the 'answer' cell, write a right figure without '!' before it"},
)
