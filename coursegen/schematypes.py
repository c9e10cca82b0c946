"""The values the input schemas are made of: strict mappings, ids, texts and whole numbers.

Both the course files' schemas (schema.py) and each question type's (questions/) use them.
"""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, StringConstraints
from pydantic_core import PydanticCustomError

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


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

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# YAML reads an unquoted 2026-12-01 as a date, a quoted one as text; pydantic's lax date
# would also take a number (seconds since 1970) or a date and time.
def _iso_date(value: Any) -> Any:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise PydanticCustomError("iso_date", "Input should be a date written YYYY-MM-DD")


IsoDate = Annotated[datetime.date, BeforeValidator(_iso_date)]

# An e-mail address, or a web address a browser opens as it is.
_CONTACT = re.compile(r"^(?:[^@\s/:]+@[^@\s/]+\.[^@\s/.]+|https?://[^\s/]+\.[^\s]+)$")


def _contact(value: Any) -> Any:
    if isinstance(value, str) and _CONTACT.match(value.strip()):
        return value.strip()
    raise PydanticCustomError("contact", "Input should be an e-mail address or a web address")


Contact = Annotated[str, BeforeValidator(_contact)]


class Strict(BaseModel):
    # Numbers become text where text is expected (a short answer "2003"); unknown keys are
    # errors because a misspelt optional key would otherwise be silently ignored.
    # defer_build: each model's validator is made when first used, not at import; most are
    # only ever used inside the bank's, and making them all took a tenth of `validate`.
    model_config = ConfigDict(
        extra="forbid", coerce_numbers_to_str=True, frozen=True, defer_build=True
    )
