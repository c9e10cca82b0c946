"""Matching: pairs of a left and a right item; the learner matches each left to its right."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from pydantic import Field

from ..schematypes import Strict, Text
from .common import Problem, Question, QuestionIn, QuestionType, duplicates, split_cell


class PairIn(Strict):
    left: Text
    right: Text


class MatchingIn(QuestionIn):
    type: Literal["matching"]
    pairs: list[PairIn] = Field(min_length=2)


@dataclass(frozen=True)
class Pair:
    left: str
    right: str


@dataclass(frozen=True, kw_only=True)
class Matching(Question):
    kind: ClassVar[str] = "matching"
    label: ClassVar[str] = "Matching"
    pairs: tuple[Pair, ...]


def answer_data(q: MatchingIn) -> dict[str, Any]:
    return {"pairs": tuple(Pair(p.left, p.right) for p in q.pairs)}


def problems(q: Matching) -> list[Problem]:
    """No two left items are the same, nor two right items."""
    lefts, rights = [p.left for p in q.pairs], [p.right for p in q.pairs]
    return duplicates(lefts, "pairs", "left item", "duplicate-item", "left") + duplicates(
        rights, "pairs", "right item", "duplicate-item", "right"
    )


def pairs_from_csv(cell: str) -> dict[str, Any]:
    """'left => right | left => right'."""
    sides = (p.split("=>", 1) for p in split_cell(cell))
    return {"pairs": [dict(zip(("left", "right"), map(str.strip, s), strict=False)) for s in sides]}


TYPE = QuestionType(
    schema=MatchingIn,
    model=Matching,
    answer_data=answer_data,
    problems=problems,
    csv={"options": pairs_from_csv},
)
