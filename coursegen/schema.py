"""The shape of the files instructors write, as pydantic models.

These describe the input files (manifest, module front matter, question banks), not the
course model: validation checks raw YAML against them, then builds the model. The same
definitions produce the JSON Schema that editors use for completion.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StringConstraints
from pydantic_core import PydanticCustomError

from .model import BLOOM_LEVELS, DIFFICULTIES

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Difficulty = Literal[DIFFICULTIES]  # type: ignore[valid-type]
Bloom = Literal[BLOOM_LEVELS]  # type: ignore[valid-type]


# Booleans are StrictBool and numbers WholeNumber because pydantic's lax mode would take the
# text 'yes', "false" or "70" (a quoted value) and the number 0 or the boolean true for one
# another, so a mistyped answer would pass unnoticed. Unquoted true/false (and YAML's
# yes/no/on/off) and numbers reach the schema with their types already.
def _no_text_or_truth(value: Any) -> Any:
    # A float is left to pydantic, which takes a whole one (70.0: an integer in JSON Schema
    # too) and refuses 70.5.
    if isinstance(value, (str, bool)):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


WholeNumber = Annotated[int, BeforeValidator(_no_text_or_truth)]


class _Strict(BaseModel):
    # Numbers become text where text is expected (a short answer "2003"); unknown keys are
    # errors because a misspelt optional key would otherwise be silently ignored.
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, frozen=True)


class FinalAssessmentIn(_Strict):
    questions: WholeNumber = Field(
        20, ge=1, description="How many questions to draw from all banks."
    )
    pass_mark: WholeNumber = Field(70, ge=0, le=100, description="Percent needed to pass.")
    shuffle: StrictBool = Field(True, description="Draw and order questions at random.")


class ManifestIn(_Strict):
    """modules/course.yaml"""

    id: Slug
    title: Text
    version: Text
    language: Text = Field("en", description="A BCP 47 language tag, such as en, ar or en-US.")
    description: Text
    objectives: list[Text] = Field([], description="What a learner can do after the course.")
    authors: list[Text] = Field(min_length=1)
    license: Text
    modules: list[Slug] = Field(min_length=1, description="Module ids in teaching order.")
    final_assessment: FinalAssessmentIn = FinalAssessmentIn()


class ObjectiveIn(_Strict):
    id: Slug
    text: Text


class KeyTermIn(_Strict):
    term: Text
    definition: Text


class FrontMatterIn(_Strict):
    """The YAML front matter of a module file."""

    id: Slug
    title: Text
    objectives: list[ObjectiveIn] = Field(min_length=1)
    key_terms: list[KeyTermIn] = []
    related_topics: list[Text] = []
    summary: Text


class _QuestionIn(_Strict):
    id: Slug
    prompt: Text
    explanation: Text
    objectives: list[Slug] = Field(min_length=1)
    difficulty: Difficulty
    bloom: Bloom | None = None
    tags: list[Slug] = []
    source: Text = Field(description="A quotation of the module's text that supports the answer.")


class OptionIn(_Strict):
    text: Text
    correct: StrictBool = False
    feedback: Text | None = None


class SingleChoiceIn(_QuestionIn):
    type: Literal["single_choice"]
    options: list[OptionIn] = Field(min_length=2)
    shuffle: StrictBool = True


class MultipleResponseIn(_QuestionIn):
    type: Literal["multiple_response"]
    options: list[OptionIn] = Field(min_length=2)
    shuffle: StrictBool = True


class TrueFalseIn(_QuestionIn):
    type: Literal["true_false"]
    answer: StrictBool


class ShortAnswerIn(_QuestionIn):
    type: Literal["short_answer"]
    answers: list[Text] = Field(min_length=1)
    case_sensitive: StrictBool = False


class ClozeIn(_QuestionIn):
    type: Literal["cloze"]
    case_sensitive: StrictBool = False


class PairIn(_Strict):
    left: Text
    right: Text


class MatchingIn(_QuestionIn):
    type: Literal["matching"]
    pairs: list[PairIn] = Field(min_length=2)


class OrderingIn(_QuestionIn):
    type: Literal["ordering"]
    items: list[Text] = Field(min_length=2)


QuestionIn = Annotated[
    Union[  # noqa: UP007 - pydantic reads the discriminator from this form
        SingleChoiceIn,
        MultipleResponseIn,
        TrueFalseIn,
        ShortAnswerIn,
        ClozeIn,
        MatchingIn,
        OrderingIn,
    ],
    Field(discriminator="type"),
]
QUESTION_SCHEMAS: dict[str, type[_QuestionIn]] = {
    cls.model_fields["type"].annotation.__args__[0]: cls
    for cls in (
        SingleChoiceIn,
        MultipleResponseIn,
        TrueFalseIn,
        ShortAnswerIn,
        ClozeIn,
        MatchingIn,
        OrderingIn,
    )
}


class FlashcardIn(_Strict):
    id: Slug
    front: Text
    back: Text
    tags: list[Slug] = []


class BankIn(_Strict):
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
