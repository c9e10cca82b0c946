"""The course model: frozen, typed, and free of anything specific to an output format.

Validation builds it; every exporter reads it. Text fields hold the author's Markdown as
written; exporters decide how to render it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .errors import SourcePos

# The questions' classes: each type is defined in its own module of questions/.
from .questions import QUESTION_TYPES
from .questions.choice import Option  # noqa: F401
from .questions.cloze import Cloze, Gap  # noqa: F401
from .questions.common import BLOOM_LEVELS, DIFFICULTIES, Question  # noqa: F401
from .questions.matching import Matching, Pair  # noqa: F401
from .questions.multiple_response import MultipleResponse  # noqa: F401
from .questions.numeric import Numeric, NumericAnswer  # noqa: F401
from .questions.ordering import Ordering  # noqa: F401
from .questions.short_answer import ShortAnswer  # noqa: F401
from .questions.single_choice import SingleChoice  # noqa: F401
from .questions.true_false import TrueFalse  # noqa: F401

QUESTION_KINDS: dict[str, type[Question]] = {k: t.model for k, t in QUESTION_TYPES.items()}


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
class Rule:
    """A blueprint rule: draw ``draw`` questions from those every filter selects (an empty
    filter selects all), or with ``per``, that many from each module or objective.

    ``difficulty`` and ``bloom`` are as written, 'hard' or 'apply+'; ``levels`` widens them.
    """

    number: int  # from 1, in the manifest's order
    draw: int
    pos: SourcePos
    per: str | None = None  # "module" or "objective"
    name: str | None = None
    modules: tuple[str, ...] = ()
    objectives: tuple[str, ...] = ()
    difficulty: tuple[str, ...] = ()
    bloom: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class FinalAssessment:
    questions: int = 20
    pass_mark: int = 70
    shuffle: bool = True
    max_attempts: int | None = None  # None: any number
    review: str = "after_submit"  # or "after_pass", "never"
    blueprint: tuple[Rule, ...] = ()  # none: ``questions`` drawn from every question


@dataclass(frozen=True)
class Course:
    id: str
    title: str
    version: str
    language: str
    description: str
    objectives: tuple[str, ...]
    authors: tuple[str, ...]
    license: str | None
    final_assessment: FinalAssessment
    modules: tuple[Module, ...]
    questions: tuple[Question, ...]
    flashcards: tuple[Flashcard, ...]
    root: Path
    pos: SourcePos
    images: tuple[Image, ...] = ()  # images the manifest's texts show
    publisher: str | None = None
    logo: Image | None = None  # the publisher's
    contact: str | None = None  # an e-mail address or a web address
    edition: datetime.date | None = None
    # Questions a bank keeps with 'retired: true': no format carries them, no final draws them.
    retired: tuple[Question, ...] = ()

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
