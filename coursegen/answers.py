"""Checks of a question's answer data that a schema cannot express.

Each problem is (message, code, location), the location being keys into the question's
YAML so that validation can report the line of the offending option or item.
"""

from __future__ import annotations

from .markup import fold
from .model import Question, split_cloze

ANSWER_HINTS = {
    "correct-count": "mark exactly one option 'correct: true'",
    "no-correct": "mark at least one option 'correct: true'",
    "duplicate-option": "make every option different",
    "cloze-gap": "mark each blank in the prompt as {{answer}}, or {{answer|alternative}}",
    "duplicate-item": "make every item different",
}


def answer_problems(question: Question) -> list[tuple[str, str, tuple]]:
    """Problems with the answer data of one question: (message, code, location)."""
    problems: list[tuple[str, str, tuple]] = []
    kind = question.kind
    if kind in ("single_choice", "multiple_response"):
        correct = sum(o.correct for o in question.options)
        if kind == "single_choice" and correct != 1:
            problems.append(
                (
                    f"a single_choice question needs exactly one correct option, found {correct}",
                    "correct-count",
                    ("options",),
                )
            )
        if kind == "multiple_response" and correct == 0:
            problems.append(
                (
                    "a multiple_response question needs at least one correct option",
                    "no-correct",
                    ("options",),
                )
            )
        problems += _duplicates(
            [o.text for o in question.options], "options", "option", "duplicate-option", "text"
        )
    elif kind == "cloze":
        gaps = [p for p in split_cloze(question.prompt) if not isinstance(p, str)]
        if not gaps:
            problems.append(
                ("a cloze question needs at least one gap in its prompt", "cloze-gap", ("prompt",))
            )
        elif any(not a for g in gaps for a in g.answers):
            problems.append(("a cloze gap is empty", "cloze-gap", ("prompt",)))
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


def _duplicates(
    texts: list[str], key: str, what: str, code: str, sub: str | None = None
) -> list[tuple[str, str, tuple]]:
    seen: set[str] = set()
    problems = []
    for i, text in enumerate(texts):
        if fold(text) in seen:
            loc = (key, i, sub) if sub else (key, i)
            problems.append((f"{what} '{text}' appears twice", code, loc))
        seen.add(fold(text))
    return problems
