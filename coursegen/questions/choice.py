"""What the two choice types, single_choice and multiple_response, share: options."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import Field, StrictBool

from ..schematypes import Strict, Text
from .common import Problem, Question, QuestionIn, QuestionType, duplicates, split_cell


class OptionIn(Strict):
    text: Text
    correct: StrictBool = False
    feedback: Text | None = None


class ChoiceIn(QuestionIn):
    options: list[OptionIn] = Field(min_length=2)
    shuffle: StrictBool = True


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool
    feedback: str | None = None


@dataclass(frozen=True, kw_only=True)
class Choice(Question):
    options: tuple[Option, ...]
    shuffle: bool = True


# What to do about a right option too many or too few, in a CSV row's words.
_STAR = "in the 'options' cell, put '*' before each right option, as in '*Paris | Lyon'"


def choice_type(
    schema: type[ChoiceIn], model: type[Choice], problems: Callable[[Any], list[Problem]]
) -> QuestionType:
    """A type of choice question, whose ``problems`` check which options are correct.

    No two of its options may be the same; its CSV cell is '*Right | Wrong | *Also right'.
    """
    return QuestionType(
        schema=schema,
        model=model,
        answer_data=_choice_data,
        problems=lambda q: problems(q) + _duplicate_options(q),
        csv={"options": _options_from_csv},
        csv_hints={"correct-count": _STAR, "no-correct": _STAR},
    )


def _choice_data(q: ChoiceIn) -> dict[str, Any]:
    options = tuple(Option(o.text, o.correct, o.feedback) for o in q.options)
    return {"options": options, "shuffle": q.shuffle}


def _duplicate_options(q: Choice) -> list[Problem]:
    return duplicates([o.text for o in q.options], "options", "option", "duplicate-option", "text")


def _options_from_csv(cell: str) -> dict[str, Any]:
    options = [
        {"text": p.lstrip("*").strip(), **({"correct": True} if p.startswith("*") else {})}
        for p in split_cell(cell)
    ]
    return {"options": options}
