"""What the question types share: the base of every schema and model, and their problems.

Each type's module builds on these and ends with its ``TYPE``, a QuestionType.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, ClassVar, Literal, NamedTuple

from pydantic import Field, StrictBool

from ..errors import SourcePos
from ..markup import fold
from ..schematypes import Slug, Strict, Text

if TYPE_CHECKING:
    from ..model import Image

DIFFICULTIES = ("easy", "medium", "hard")
BLOOM_LEVELS = ("remember", "understand", "apply", "analyse", "evaluate", "create")

Difficulty = Literal[DIFFICULTIES]  # type: ignore[valid-type]
Bloom = Literal[BLOOM_LEVELS]  # type: ignore[valid-type]


class QuestionIn(Strict):
    """What every question of a bank has; each type's schema adds its answer data."""

    id: Slug
    prompt: Text
    explanation: Text
    objectives: list[Slug] = Field(min_length=1)
    # Left out, a question has no difficulty rather than an invented one (stats say 'unset').
    difficulty: Difficulty | None = None
    bloom: Bloom | None = None
    tags: list[Slug] = []
    source: Text = Field(description="A quotation of the module's text that supports the answer.")
    retired: StrictBool = Field(
        False,
        description="Kept in the bank but out of every course and package; its Anki note moves "
        "to the Retired subdeck. Set it back to false (or remove it) to bring the question back.",
    )
    type: str  # each type's schema narrows it to its own name, which the bank's union reads


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
    difficulty: str | None
    bloom: str | None
    tags: tuple[str, ...]
    source: str
    pos: SourcePos
    images: tuple[Image, ...] = ()  # images its text shows, resolved inside the course
    retired: bool = False  # kept in its bank, left out of the course (Course.retired)


def remembered_hash(question: Question) -> int:
    """The dataclass hash of ``question``, computed once."""
    # Stored beside the fields as cached_property does; a frozen question never changes.
    found = question.__dict__.get("_hash")
    if found is None:
        found = hash(tuple(getattr(question, f.name) for f in fields(question)))
        question.__dict__["_hash"] = found
    return found


class Problem(NamedTuple):
    """A problem with a question's answer data that its schema cannot express.

    ``loc`` is a path of keys into the question's YAML, so that validation reports the line
    of the offending option or item; ``offset`` is where in the text at ``loc`` it is.
    """

    message: str
    code: str
    hint: str
    loc: tuple
    offset: int | None = None


_DUPLICATE_HINTS = {
    "duplicate-option": "make every option different",
    "duplicate-item": "make every item different",
}


def duplicates(
    texts: list[str], key: str, what: str, code: str, sub: str | None = None
) -> list[Problem]:
    """A problem for each text that repeats an earlier one, folded as quotations are."""
    seen: set[str] = set()
    problems = []
    for i, text in enumerate(texts):
        folded = fold(text)  # once: folding is most of what validating a question costs
        if folded in seen:
            loc = (key, i, sub) if sub else (key, i)
            message = f"{what} '{text}' appears twice"
            problems.append(Problem(message, code, _DUPLICATE_HINTS[code], loc))
        seen.add(folded)
    return problems


def split_cell(cell: str) -> list[str]:
    """A CSV cell's parts: 'a | b | c'."""
    return [p.strip() for p in cell.split("|") if p.strip()]


@dataclass(frozen=True)
class QuestionType:
    """One question type, as the bank schema, validation and `coursegen import-csv` use it.

    - ``schema``: the pydantic model of the question as a bank writes it;
    - ``model``: the frozen dataclass that the course holds;
    - ``answer_data``: the checked input's answer data, as keyword arguments of ``model``;
    - ``problems``: the checks of the answer data that the schema cannot express;
    - ``csv``: each CSV column the type reads -> the input keys and values its cell gives;
    - ``csv_hints``: for a problem's code, what to do about it in a CSV row, in the sheet's
      words (a bank marks a right option 'correct: true', a sheet puts '*' before it).
    """

    schema: type[QuestionIn]
    model: type[Question]
    answer_data: Callable[[Any], dict[str, Any]]
    problems: Callable[[Any], list[Problem]] = lambda question: []
    csv: Mapping[str, Callable[[str], dict[str, Any]]] = field(default_factory=dict)
    csv_hints: Mapping[str, str] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return self.model.kind

    def make(self, q: QuestionIn, module_id: str, pos: SourcePos) -> Question:
        """The model of the checked question ``q``, which module ``module_id`` holds."""
        return self.model(
            id=q.id,
            module_id=module_id,
            prompt=q.prompt,
            explanation=q.explanation,
            objectives=tuple(q.objectives),
            difficulty=q.difficulty,
            bloom=q.bloom,
            tags=tuple(q.tags),
            source=q.source,
            pos=pos,
            retired=q.retired,
            **self.answer_data(q),
        )
