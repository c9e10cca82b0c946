"""Ordering: items written in the correct order; the learner puts them back in it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from pydantic import Field

from ..schematypes import Text
from .common import Problem, Question, QuestionIn, QuestionType, duplicates, split_cell


class OrderingIn(QuestionIn):
    type: Literal["ordering"]
    items: list[Text] = Field(min_length=2)


@dataclass(frozen=True, kw_only=True)
class Ordering(Question):
    """``items`` are in the correct order; exporters shuffle them for the learner."""

    kind: ClassVar[str] = "ordering"
    label: ClassVar[str] = "Ordering"
    items: tuple[str, ...]


def problems(q: Ordering) -> list[Problem]:
    """No two items are the same."""
    return duplicates(list(q.items), "items", "item", "duplicate-item")


TYPE = QuestionType(
    schema=OrderingIn,
    model=Ordering,
    answer_data=lambda q: {"items": tuple(q.items)},
    problems=problems,
    csv={"options": lambda cell: {"items": split_cell(cell)}},  # 'first | second | third'
)
