"""Checks of a question's answer data that a schema cannot express.

Each problem has a message, a code and a location: keys into the question's YAML, so that
validation can report the line of the offending option or item, and for a cloze the offset
of the offending mark inside the prompt.
"""

from __future__ import annotations

from typing import NamedTuple

from . import cloze
from .markup import fold
from .model import Question

ANSWER_HINTS = {
    "correct-count": "mark exactly one option 'correct: true'",
    "no-correct": "mark at least one option 'correct: true'",
    "duplicate-option": "make every option different",
    "cloze-gap": "mark each blank in the prompt as {{answer}}, or {{answer|alternative}}",
    "cloze-unclosed": "close the gap with '}}', as in {{answer}}; write '{\\{' to show two "
    "braces as text",
    "cloze-nested": "gaps cannot be nested: close each gap with '}}' before the next one opens",
    "cloze-stray": "remove the stray '}}', or write '}\\}' to show two braces as text",
    "cloze-empty": "give each answer of the gap some text, as in {{answer|also accepted}}",
    "duplicate-item": "make every item different",
}


class Problem(NamedTuple):
    message: str
    code: str
    loc: tuple
    offset: int | None = None  # where in the text at ``loc`` the problem is, if known


def answer_problems(question: Question) -> list[Problem]:
    """Problems with the answer data of one question."""
    problems: list[Problem] = []
    kind = question.kind
    if kind in ("single_choice", "multiple_response"):
        correct = sum(o.correct for o in question.options)
        if kind == "single_choice" and correct != 1:
            message = f"a single_choice question needs exactly one correct option, found {correct}"
            problems.append(Problem(message, "correct-count", ("options",)))
        if kind == "multiple_response" and correct == 0:
            message = "a multiple_response question needs at least one correct option"
            problems.append(Problem(message, "no-correct", ("options",)))
        problems += _duplicates(
            [o.text for o in question.options], "options", "option", "duplicate-option", "text"
        )
    elif kind == "cloze":
        problems += _cloze_problems(question.prompt)
    elif kind == "matching":
        problems += _duplicates(
            [p.left for p in question.pairs], "pairs", "left item", "duplicate-item", "left"
        )
        problems += _duplicates(
            [p.right for p in question.pairs], "pairs", "right item", "duplicate-item", "right"
        )
    elif kind == "ordering":
        problems += _duplicates(list(question.items), "items", "item", "duplicate-item")
    elif kind == "short_answer":
        problems += _duplicates(list(question.answers), "answers", "answer", "duplicate-item")
    return problems


def _cloze_problems(prompt: str) -> list[Problem]:
    parts, syntax = cloze.parse(prompt)
    problems = [Problem(p.message, p.code, ("prompt",), p.offset) for p in syntax]
    if not problems and all(isinstance(p, str) for p in parts):
        message = "a cloze question needs at least one gap in its prompt"
        problems.append(Problem(message, "cloze-gap", ("prompt",)))
    return problems


def _duplicates(
    texts: list[str], key: str, what: str, code: str, sub: str | None = None
) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for i, text in enumerate(texts):
        if fold(text) in seen:
            loc = (key, i, sub) if sub else (key, i)
            problems.append(Problem(f"{what} '{text}' appears twice", code, loc))
        seen.add(fold(text))
    return problems
