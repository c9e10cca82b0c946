"""The shape of the files instructors write, as pydantic models.

These describe the input files (manifest, module front matter, question banks), not the
course model: validation checks raw YAML against them, then builds the model. The same
definitions produce the JSON Schema that editors use for completion.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, BeforeValidator, Field, StrictBool, WithJsonSchema

from .lint.settings import LintIn
from .questions import QUESTION_TYPES
from .questions.common import BLOOM_LEVELS, DIFFICULTIES
from .schematypes import SLUG_PATTERN, Contact, IsoDate, Slug, Strict, Text, WholeNumber

# A level, or a level and every one above it: 'apply+' is apply, analyse, evaluate, create.
_DIFFICULTY_PICKS = (*DIFFICULTIES, *(f"{d}+" for d in DIFFICULTIES))
_BLOOM_PICKS = (*BLOOM_LEVELS, *(f"{b}+" for b in BLOOM_LEVELS))


def _listed(value: Any) -> Any:
    # One value is written bare (module: history), several as a list; both mean "any of".
    return [value] if isinstance(value, (str, int, float)) else value


def _one_or_more(item: Any, item_schema: dict) -> Any:
    """A list of ``item`` that may be written as one bare value, as editors are told."""
    either = {"anyOf": [item_schema, {"type": "array", "items": item_schema}]}
    return Annotated[list[item], BeforeValidator(_listed), WithJsonSchema(either)]


_SLUG_SCHEMA = {"type": "string", "pattern": SLUG_PATTERN}
Slugs = _one_or_more(Slug, _SLUG_SCHEMA)
DifficultyPicks = _one_or_more(Literal[_DIFFICULTY_PICKS], {"enum": list(_DIFFICULTY_PICKS)})
BloomPicks = _one_or_more(Literal[_BLOOM_PICKS], {"enum": list(_BLOOM_PICKS)})


class RuleIn(Strict):
    """One rule of a blueprint: how many questions to draw from the set its filters select."""

    draw: WholeNumber = Field(ge=1, description="How many questions to draw from the set.")
    per: Literal["module", "objective"] | None = Field(
        None, description="Draw that many from each module, or from each objective."
    )
    name: Text | None = Field(None, description="The rule's name for learners and in LMSs.")
    module: Slugs = Field([], description="Module ids; questions of any of them.")
    objective: Slugs = Field([], description="Objective ids; questions assessing any of them.")
    difficulty: DifficultyPicks = Field(
        [], description="easy, medium, hard, or medium+ for medium and hard; one or a list."
    )
    bloom: BloomPicks = Field(
        [], description="Bloom levels, or apply+ for apply and every level above; one or a list."
    )
    tag: Slugs = Field([], description="Tags; questions with any of them.")


class FinalAssessmentIn(Strict):
    questions: WholeNumber = Field(
        20,
        ge=1,
        description="How many questions to draw from all banks; with a blueprint, its total.",
    )
    pass_mark: WholeNumber = Field(70, ge=0, le=100, description="Percent needed to pass.")
    shuffle: StrictBool = Field(True, description="Draw and order questions at random.")
    max_attempts: WholeNumber | None = Field(
        None, ge=1, description="How many attempts a learner may make; left out, any number."
    )
    review: Literal["after_submit", "after_pass", "never"] = Field(
        "after_submit",
        description="When a submitted attempt shows each question right or wrong, with the "
        "right answer and why: after each attempt, once the learner has passed, or never.",
    )
    blueprint: list[RuleIn] = Field(
        [], description="Rules, each drawing a number of questions from a set; see README.md."
    )


class ManifestIn(Strict):
    """modules/course.yaml"""

    id: Slug
    title: Text
    version: Text
    language: Text = Field("en", description="A BCP 47 language tag, such as en, ar or en-US.")
    description: Text
    objectives: list[Text] = Field([], description="What a learner can do after the course.")
    authors: list[Text] = Field([], description="Who wrote the course; left out, a warning.")
    license: Text | None = Field(
        None, description="The terms of reuse, such as CC BY 4.0; left out, it is warned about."
    )
    publisher: Text | None = Field(
        None, description="Who publishes the course: its authors, a team or an institution."
    )
    logo: Text | None = Field(
        None, description="The publisher's logo: an image file, its path relative to modules/."
    )
    contact: Contact | None = Field(
        None, description="Where to write about the course: an e-mail address or https:// URL."
    )
    edition: IsoDate | None = Field(None, description="The date of this edition: YYYY-MM-DD.")
    modules: list[Slug] = Field(min_length=1, description="Module ids in teaching order.")
    final_assessment: FinalAssessmentIn = FinalAssessmentIn()
    lint: LintIn = Field(LintIn(), description="Thresholds of `coursegen lint`; see README.md.")


class ObjectiveIn(Strict):
    id: Slug
    text: Text


class KeyTermIn(Strict):
    term: Text
    definition: Text


class FrontMatterIn(Strict):
    """The YAML front matter of a module file."""

    id: Slug
    title: Text
    objectives: list[ObjectiveIn] = Field(min_length=1)
    key_terms: list[KeyTermIn] = []
    related_topics: list[Text] = []
    summary: Text | None = Field(
        None, description="A few sentences that sum the lesson up; left out, the page has none."
    )


# A bank's question is of the type that its 'type' names: a union of every type's schema,
# which only Union[...] can spell from a list.
QuestionIn = Annotated[
    Union[tuple(t.schema for t in QUESTION_TYPES.values())],  # noqa: UP007
    Field(discriminator="type"),
]


class FlashcardIn(Strict):
    id: Slug
    front: Text
    back: Text
    tags: list[Slug] = []


class BankIn(Strict):
    """A question bank file."""

    module: Slug = Field(description="The id of the module this bank belongs to.")
    questions: list[QuestionIn] = []
    flashcards: list[FlashcardIn] = []


SCHEMAS: dict[str, tuple[type[BaseModel], str]] = {
    "bank": (BankIn, "question-bank.schema.json"),
    "module": (FrontMatterIn, "module.schema.json"),
    "course": (ManifestIn, "course.schema.json"),
}


def json_schema(kind: str) -> dict:
    """The JSON Schema of one kind of course file, for editors' completion and checks."""
    model, file_name = SCHEMAS[kind]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://coursegen.invalid/schemas/{file_name}",
        **model.model_json_schema(),
    }
