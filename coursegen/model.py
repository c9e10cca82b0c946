"""The course model: frozen, typed, and free of anything specific to an output format.

Validation builds it; every exporter reads it. Text fields hold the author's Markdown as
written; exporters decide how to render it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, fields
from functools import cached_property
from pathlib import Path
from typing import ClassVar

from . import cloze
from .cloze import Gap
from .errors import SourcePos

DIFFICULTIES = ("easy", "medium", "hard")
BLOOM_LEVELS = ("remember", "understand", "apply", "analyse", "evaluate", "create")


@dataclass(frozen=True)
class Objective:
    id: str
    text: str
    pos: SourcePos


@dataclass(frozen=True)
class KeyTerm:
    term: str
    definition: str
    pos: SourcePos


@dataclass(frozen=True)
class Image:
    """An image author text shows: ``src`` as written, ``path`` the file inside the course."""

    src: str
    alt: str
    path: Path
    pos: SourcePos


@dataclass(frozen=True)
class Module:
    id: str
    number: int
    title: str
    objectives: tuple[Objective, ...]
    key_terms: tuple[KeyTerm, ...]
    related_topics: tuple[str, ...]
    summary: str
    body: str
    images: tuple[Image, ...]  # those its lesson and its front matter's texts show
    path: Path
    pos: SourcePos

    def objective(self, objective_id: str) -> Objective | None:
        return next((o for o in self.objectives if o.id == objective_id), None)


@dataclass(frozen=True, kw_only=True)
class Question:
    """What every question has; subclasses add the answer data of one type."""

    kind: ClassVar[str] = ""
    label: ClassVar[str] = ""

    id: str
    module_id: str
    prompt: str
    explanation: str
    objectives: tuple[str, ...]
    difficulty: str
    bloom: str | None
    tags: tuple[str, ...]
    source: str
    pos: SourcePos
    images: tuple[Image, ...] = ()  # images its text shows, resolved inside the course


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool
    feedback: str | None = None


@dataclass(frozen=True, kw_only=True)
class SingleChoice(Question):
    kind: ClassVar[str] = "single_choice"
    label: ClassVar[str] = "Single choice"
    options: tuple[Option, ...]
    shuffle: bool = True


@dataclass(frozen=True, kw_only=True)
class MultipleResponse(Question):
    kind: ClassVar[str] = "multiple_response"
    label: ClassVar[str] = "Multiple response"
    options: tuple[Option, ...]
    shuffle: bool = True


@dataclass(frozen=True, kw_only=True)
class TrueFalse(Question):
    kind: ClassVar[str] = "true_false"
    label: ClassVar[str] = "True or false"
    answer: bool


@dataclass(frozen=True, kw_only=True)
class ShortAnswer(Question):
    kind: ClassVar[str] = "short_answer"
    label: ClassVar[str] = "Short answer"
    answers: tuple[str, ...]
    case_sensitive: bool = False


@dataclass(frozen=True, kw_only=True)
class Cloze(Question):
    """The prompt holds the text with its gaps marked ``{{answer}}`` (see cloze.py)."""

    kind: ClassVar[str] = "cloze"
    label: ClassVar[str] = "Fill in the blanks"
    case_sensitive: bool = False

    @property
    def parts(self) -> list[str | Gap]:
        """The prompt split into text and gaps, in order."""
        return cloze.parse(self.prompt)[0]

    @property
    def gaps(self) -> list[Gap]:
        return [p for p in self.parts if isinstance(p, Gap)]

    def marked(self, mark: str) -> str:
        """The prompt with gap n replaced by ``mark.format(n)``, counting from 1."""
        count = itertools.count(1)
        return "".join(p if isinstance(p, str) else mark.format(next(count)) for p in self.parts)


@dataclass(frozen=True)
class Pair:
    left: str
    right: str


@dataclass(frozen=True, kw_only=True)
class Matching(Question):
    kind: ClassVar[str] = "matching"
    label: ClassVar[str] = "Matching"
    pairs: tuple[Pair, ...]


@dataclass(frozen=True, kw_only=True)
class Ordering(Question):
    """``items`` are in the correct order; exporters shuffle them for the learner."""

    kind: ClassVar[str] = "ordering"
    label: ClassVar[str] = "Ordering"
    items: tuple[str, ...]


QUESTION_KINDS: dict[str, type[Question]] = {
    cls.kind: cls
    for cls in (SingleChoice, MultipleResponse, TrueFalse, ShortAnswer, Cloze, Matching, Ordering)
}


def _remembered_hash(question: Question) -> int:
    # Stored beside the fields as cached_property does; a frozen question never changes.
    found = question.__dict__.get("_hash")
    if found is None:
        found = hash(tuple(getattr(question, f.name) for f in fields(question)))
        question.__dict__["_hash"] = found
    return found


# `coursegen serve` finds its earlier work by the questions it was made from, hashing every
# question of the course on each rebuild; a dataclass's hash walks every field every time.
for _kind in QUESTION_KINDS.values():
    _kind.__hash__ = _remembered_hash


@dataclass(frozen=True)
class Flashcard:
    id: str
    module_id: str
    front: str
    back: str
    tags: tuple[str, ...]
    pos: SourcePos
    images: tuple[Image, ...] = ()


@dataclass(frozen=True)
class FinalAssessment:
    questions: int = 20
    pass_mark: int = 70
    shuffle: bool = True


@dataclass(frozen=True)
class Course:
    id: str
    title: str
    version: str
    language: str
    description: str
    objectives: tuple[str, ...]
    authors: tuple[str, ...]
    license: str
    final_assessment: FinalAssessment
    modules: tuple[Module, ...]
    questions: tuple[Question, ...]
    flashcards: tuple[Flashcard, ...]
    root: Path
    pos: SourcePos
    images: tuple[Image, ...] = ()  # images the manifest's texts show

    def questions_of(self, module_id: str) -> tuple[Question, ...]:
        return self._by_module[0].get(module_id, ())

    def flashcards_of(self, module_id: str) -> tuple[Flashcard, ...]:
        return self._by_module[1].get(module_id, ())

    def module(self, module_id: str) -> Module | None:
        return self._by_module[2].get(module_id)

    @cached_property
    def _by_module(self) -> tuple[dict, dict, dict]:
        # Built once: exporters ask per module, and a course may hold 50,000 questions.
        questions: dict[str, list] = {}
        for q in self.questions:
            questions.setdefault(q.module_id, []).append(q)
        cards: dict[str, list] = {}
        for c in self.flashcards:
            cards.setdefault(c.module_id, []).append(c)
        return (
            {k: tuple(v) for k, v in questions.items()},
            {k: tuple(v) for k, v in cards.items()},
            {m.id: m for m in self.modules},
        )
