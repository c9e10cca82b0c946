"""What every check reads: the course, its thresholds, and where each question is written."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import SourcePos
from ..loader import RawCourse
from ..model import Course, Question
from ..yamlio import position_of
from .settings import LintIn


@dataclass(frozen=True)
class Context:
    course: Course
    settings: LintIn
    written: dict[str, Any]  # question id -> its YAML mapping, which knows its positions

    def at(self, question: Question, *loc) -> SourcePos:
        """Where the part ``loc`` of ``question`` is written (its start if it has no such part)."""
        return position_of(self.written.get(question.id), loc) or question.pos


def written_questions(raw: RawCourse) -> dict[str, Any]:
    """Each question's YAML mapping by id, from the banks as loaded."""
    found: dict[str, Any] = {}
    for _, data in raw.banks:
        questions = data.get("questions") if isinstance(data, dict) else None
        for item in questions if isinstance(questions, list) else ():
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                found.setdefault(item["id"], item)
    return found
