"""Check raw YAML against the file schemas and explain each failure in an instructor's words.

pydantic finds the problems; this module turns each one into a Diagnostic at the line of the
offending value, with a message that names the key and a hint that says how to fix it.
"""

from __future__ import annotations

import contextlib
import datetime
import difflib
import functools
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from .errors import Diagnostic, Severity, SourcePos, did_you_mean
from .questions import QUESTION_TYPES
from .schematypes import SLUG_PATTERN
from .yamlio import position_of, unquoted_kind

M = TypeVar("M", bound=BaseModel)


def check(schema: type[M], data: Any, where: SourcePos) -> tuple[M | None, list[Diagnostic]]:
    """Validate ``data`` against ``schema``; return the instance or the diagnostics."""
    if not isinstance(data, dict):
        found = _describe(data)
        return None, [
            _error(
                getattr(data, "pos", where),
                f"expected a mapping of keys to values, found {found}",
                "wrong-type",
                "the file must start with 'key: value' lines",
            )
        ]
    try:
        return schema.model_validate(data), []
    except ValidationError as exc:
        errors = _without_misspelt_keys(schema, exc.errors())
        return None, [_diagnose(schema, data, where, err) for err in errors]


def valid_part(schema: type[M], data: Any) -> M | None:
    """``data`` as ``schema`` without the keys that fail, if what remains is valid.

    A misspelt key is read as the key it is close to, so a front matter with a typo or one
    bad field still names its module and its objectives, and its bank is checked against them.
    """
    if not isinstance(data, dict):
        return None
    try:
        schema.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
    else:
        return None  # not broken: check() gave the whole model
    meant = {
        e["loc"][0]: _meant_key(schema, e, data) for e in errors if e["type"] == "extra_forbidden"
    }
    failing = {e["loc"][0] for e in errors if e["loc"]}
    part = {meant.get(k) or k: v for k, v in data.items() if k not in failing or meant.get(k)}
    try:
        return schema.model_validate(part)
    except ValidationError:
        return None


def _meant_key(schema: type[BaseModel], err: dict, data: dict) -> str | None:
    """The key an unknown top-level key is close to, if that key is missing."""
    missing = [name for name in schema.model_fields if name not in data]
    close = difflib.get_close_matches(str(err["loc"][0]), missing, n=1)
    return close[0] if close else None


def valid_items(item_schema: Any, items: Any) -> list[tuple[int, Any]]:
    """The items of a list that pass ``item_schema`` on their own, with their indexes.

    When a file fails its schema, ``check`` reports every problem in it; these are the items
    that can still be checked further, so that one broken question hides no other's problems.
    """
    if not isinstance(items, list):
        return []
    adapter = _adapter(item_schema)
    valid = []
    for i, item in enumerate(items):
        with contextlib.suppress(ValidationError):  # reported by check()
            valid.append((i, adapter.validate_python(item)))
    return valid


@functools.cache
def _adapter(item_schema: Any) -> TypeAdapter:
    return TypeAdapter(item_schema)


def _without_misspelt_keys(schema: type[BaseModel], errors: list[dict]) -> list[dict]:
    """Drop "missing 'prompt'" where an unknown 'promt' beside it already says it all."""
    misspelt = set()
    for err in errors:
        if err["type"] == "extra_forbidden":
            close = difflib.get_close_matches(
                str(err["loc"][-1]), _fields_at(schema, err["loc"][:-1]), n=1
            )
            misspelt.update((tuple(err["loc"][:-1]), c) for c in close)
    return [
        e
        for e in errors
        if not (e["type"] == "missing" and (tuple(e["loc"][:-1]), e["loc"][-1]) in misspelt)
    ]


def _diagnose(schema: type[BaseModel], data: Any, where: SourcePos, err: dict) -> Diagnostic:
    loc, kind, value = tuple(err["loc"]), err["type"], err.get("input")
    name, key = _described(loc), _key_name(loc)
    pos = position_of(data, loc) or where
    if kind == "extra_forbidden":
        allowed = _fields_at(schema, loc[:-1])
        suggestion = did_you_mean(loc[-1], allowed)
        message = f"unknown key '{loc[-1]}'" + (f"; {suggestion}" if suggestion else "")
        hint = f"allowed keys here: {', '.join(allowed)}" if allowed else "remove it"
        return _error(position_of(data, loc, key=True) or pos, message, "unknown-key", hint)
    if kind in ("missing", "union_tag_not_found"):
        missing = loc[-1] if kind == "missing" else "type"
        return _error(
            pos, f"missing required key '{missing}'", "missing-key", f"add '{missing}: ...' here"
        )
    if kind == "union_tag_invalid":
        tag = err["ctx"]["tag"]
        suggestion = did_you_mean(tag, QUESTION_TYPES)
        return _error(
            position_of(data, (*loc, "type")) or pos,
            f"unknown question type '{tag}'" + (f"; {suggestion}" if suggestion else ""),
            "unknown-type",
            f"use one of: {', '.join(QUESTION_TYPES)}",
        )
    if kind == "literal_error":
        expected = err["ctx"]["expected"].replace("'", "")
        suggestion = did_you_mean(value, expected.replace(" or ", ", ").split(", "))
        return _error(
            pos,
            f"{name} cannot be '{value}'" + (f"; {suggestion}" if suggestion else ""),
            "bad-value",
            f"use one of: {expected}",
        )
    if kind == "string_pattern_mismatch" and err["ctx"]["pattern"] == SLUG_PATTERN:
        return _error(
            pos,
            f"'{value}' is not a valid id",
            "bad-id",
            "ids use lowercase letters, digits and single hyphens, e.g. 'ov-mission-1'",
        )
    if kind == "too_short":
        need, got = err["ctx"]["min_length"], err["ctx"]["actual_length"]
        return _error(
            pos,
            f"{name} needs at least {need} item{'s' * (need != 1)}, found {got}",
            "too-few",
            f"add more items to '{key}'",
        )
    if kind in ("greater_than_equal", "less_than_equal"):
        low, high = _bounds(schema, loc)
        side = f"at least {low}" if kind == "greater_than_equal" else f"at most {high}"
        if low is not None and high is not None:
            hint = f"write a whole number from {low} to {high}"
        else:
            hint = f"write a whole number of {side}"
        return _error(pos, f"{name} must be {side}, found {value}", "bad-value", hint)
    if kind == "iso_date":
        return _error(
            pos,
            f"{name} must be a date written YYYY-MM-DD, found {_describe(value)}",
            "bad-date",
            "write the year, month and day, e.g. 2026-12-01",
        )
    if kind == "contact":
        return _error(
            pos,
            f"{name} must be an e-mail address or a web address, found {_describe(value)}",
            "bad-contact",
            "write an address such as courses@example.org or https://example.org/courses",
        )
    if kind in _NUMERIC:
        return _numeric(pos, name, value, kind)
    if kind == "string_too_short":
        return _error(pos, f"{name} is empty", "empty", f"write the {key}, or remove the key")
    expected = _expected(kind)
    if expected:
        hint = _wrong_type_hint(expected, value)
        return _error(
            pos, f"{name} must be {expected}, found {_describe(value)}", "wrong-type", hint
        )
    return _error(pos, f"{name}: {err['msg']}", "bad-value", "see the course format in README.md")


# A numeric question's figures and tolerances (questions/numeric.py): message, code, hint.
_NUMERIC = {
    "number": (
        "{name} must be a number, found {found}",
        "wrong-type",
        "write a number such as 45 or 12.5, without quotes or a unit",
    ),
    "tolerance": (
        "{name} must be a number or a percentage, found {found}",
        "bad-tolerance",
        "write an absolute tolerance such as 0.5, or a relative one such as 2%",
    ),
    "negative_tolerance": (
        "{name} cannot be negative, found {found}",
        "bad-tolerance",
        "write how far from the figure an answer may be, such as 0.5",
    ),
    "numeric_answer": (
        "a numeric question needs either 'answer' or 'answers', {found}",
        "numeric-answer",
        "write 'answer: <figure>', or list several figures under 'answers:'",
    ),
}


def _numeric(pos: SourcePos, name: str, value: Any, kind: str) -> Diagnostic:
    message, code, hint = _NUMERIC[kind]
    if kind == "numeric_answer":
        both = isinstance(value, dict) and "answer" in value and "answers" in value
        found = "not both" if both else "found neither"
    elif kind == "number" and isinstance(value, str) and unquoted_kind(value) in ("int", "float"):
        found, hint = _describe(value), "write the number without quotes"
    else:
        found = _describe(value)
    return _error(pos, message.format(name=name, found=found), code, hint)


def _expected(kind: str) -> str:
    if kind.startswith("string_") or kind == "str_type":
        return "text"
    if kind.startswith("bool_"):
        return "true or false"
    if kind == "finite_number" or (
        kind.startswith(("int_", "float_")) and not kind.endswith(("than", "equal"))
    ):
        return "a whole number"
    if kind.startswith("list_"):
        return "a list"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return "a mapping of keys to values"
    return ""


_UNQUOTED_KINDS = {"true or false": ("bool",), "a whole number": ("int", "float")}


def _wrong_type_hint(expected: str, value: Any) -> str:
    if expected == "text" and isinstance(value, bool):
        return "YAML reads yes/no/true/false/on/off as true or false: put the text in quotes"
    if expected == "text" and isinstance(value, dict):
        return "a ': ' inside text starts a mapping: put the whole text in quotes"
    if isinstance(value, str) and unquoted_kind(value) in _UNQUOTED_KINDS.get(expected, ()):
        return f"write {expected} without quotes"  # YAML would have read it so: it was quoted
    if expected == "a list":
        return "write each item on its own line starting with '- ', or as [a, b]"
    if expected == "a mapping of keys to values":
        return "write 'key: value' lines, indented under this one"
    return f"write {expected} here"


def _describe(value: Any) -> str:
    """What was written, as a value of its type: text is quoted, a number or boolean is not."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"the text '{value}'"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, datetime.date):  # YAML reads 2003-01-01 as a date
        return f"the date {value}"
    return "a list" if isinstance(value, list) else "a mapping"


def _described(loc: tuple) -> str:
    """``'prompt'``, or ``item 3 of 'options'`` when the value is an item of a list."""
    parts = [p for p in loc if not (isinstance(p, str) and p in QUESTION_TYPES)]
    if parts and isinstance(parts[-1], int):
        return f"item {parts[-1] + 1} of '{_key_name(loc)}'"
    return f"'{_key_name(loc)}'"


def _key_name(loc: tuple) -> str:
    """The last key in ``loc`` (skipping list indexes) for use in a message."""
    names = [p for p in loc if isinstance(p, str) and p not in QUESTION_TYPES]
    return names[-1] if names else "value"


def _fields_at(schema: Any, loc: tuple) -> list[str]:
    """The keys allowed in the mapping that ``loc`` points to, following the schema types."""
    current = _type_at(schema, loc)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _type_at(schema: Any, loc: tuple) -> Any:
    current = schema
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, str) and part in QUESTION_TYPES and _is_union(current):
            current = QUESTION_TYPES[part].schema
        elif isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part)
            current = field.annotation if field else None
        elif typing.get_origin(current) is list:
            current = typing.get_args(current)[0]
    return _unwrap(current)


def _bounds(schema: Any, loc: tuple) -> tuple[Any, Any]:
    """The least and greatest values the number at ``loc`` may take (None where unbounded)."""
    model = _type_at(schema, loc[:-1])
    field = model.model_fields[loc[-1]]
    low = next((m.ge for m in field.metadata if hasattr(m, "ge")), None)
    high = next((m.le for m in field.metadata if hasattr(m, "le")), None)
    return low, high


def _unwrap(tp: Any) -> Any:
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    args = typing.get_args(tp) if _is_union(tp) else ()
    non_null = [a for a in args if a is not type(None)]
    return non_null[0] if len(non_null) == 1 else tp


def _is_union(tp: Any) -> bool:
    return typing.get_origin(tp) in (typing.Union, types.UnionType)


def _error(pos: SourcePos, message: str, code: str, hint: str) -> Diagnostic:
    return Diagnostic(pos, Severity.ERROR, message, code, hint)
