"""The question types, one module each, and QUESTION_TYPES, the one list of them.

Everything that differs between types is read from here: the bank schema's union
(schema.py), the model classes (model.py), the building of the model and the answer checks
(validate.py), and the CSV columns (csvimport.py). A type's module holds its input schema,
its model class, its answer checks and its CSV cells, and ends with its ``TYPE``.
"""

from __future__ import annotations

from . import (
    cloze,
    matching,
    multiple_response,
    numeric,
    ordering,
    short_answer,
    single_choice,
    true_false,
)
from .common import QuestionType, remembered_hash

# In the order the README documents them, which the JSON Schema and `coursegen stats` follow.
QUESTION_TYPES: dict[str, QuestionType] = {
    module.TYPE.kind: module.TYPE
    for module in (
        single_choice,
        multiple_response,
        true_false,
        short_answer,
        cloze,
        matching,
        ordering,
        numeric,
    )
}

# `coursegen serve` finds its earlier work by the questions it was made from, hashing every
# question of the course on each rebuild; a dataclass's hash walks every field every time.
for _type in QUESTION_TYPES.values():
    _type.model.__hash__ = remembered_hash
