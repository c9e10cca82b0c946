"""The cloze gap syntax, read in this one place by validation and by every format.

A gap is ``{{answer}}`` or ``{{answer|also accepted}}``. It ends at the first ``}}``, so an
answer may hold a single brace. A gap that is never closed, a gap inside a gap, a ``}}``
outside any gap and an empty answer are errors: each format would otherwise show its own
reading of them. Markdown's backslash (``{\\{``, ``}\\}``) shows two braces as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BRACES = re.compile(r"\{\{|\}\}")
_SHOWN = 20  # characters of the prompt that a message quotes


@dataclass(frozen=True)
class Gap:
    """One blank of a cloze: the first answer is the one shown, the rest are also accepted."""

    answers: tuple[str, ...]


@dataclass(frozen=True)
class Problem:
    """What is wrong with the gap syntax at ``offset`` of the text, and its diagnostic code."""

    offset: int
    message: str
    code: str


def parse(text: str) -> tuple[list[str | Gap], list[Problem]]:
    """Split cloze text into literal strings and Gaps, with every syntax problem found."""
    parts: list[str | Gap] = []
    problems: list[Problem] = []
    opened = None  # offset of the '{{' of the gap being read
    depth = last = 0
    for match in _BRACES.finditer(text):
        at = match.start()
        if match.group() == "{{":
            if depth:
                end = text.find("}}", at)
                inner = text[at : end + 2] if end >= 0 else _quote(text, at)
                problems.append(Problem(at, f"gap '{inner}' is inside another gap", "cloze-nested"))
            else:
                opened = at
            depth += 1
        elif not depth:
            problems.append(_stray(text[max(last, at - 15) : at].strip(), at))
        else:
            depth -= 1
            if not depth:  # the gap that opened at `opened` closes here
                parts.append(text[last:opened])
                parts.append(_gap(text[opened + 2 : at], opened, problems))
                last = match.end()
    if depth:
        message = f"gap '{_quote(text, opened)}' is not closed"
        problems.append(Problem(opened, message, "cloze-unclosed"))
    parts.append(text[last:])
    return [p for p in parts if p != ""], problems


def _gap(inside: str, offset: int, problems: list[Problem]) -> Gap:
    answers = tuple(a.strip() for a in inside.split("|"))
    if not any(answers):
        problems.append(Problem(offset, f"gap '{{{{{inside}}}}}' is empty", "cloze-empty"))
    elif not all(answers):
        message = f"gap '{{{{{inside}}}}}' has an empty answer"
        problems.append(Problem(offset, message, "cloze-empty"))
    return Gap(answers)


def _stray(before: str, offset: int) -> Problem:
    where = f" after '{before}'" if before else ""
    return Problem(offset, f"'}}}}'{where} closes no gap", "cloze-stray")


def _quote(text: str, at: int) -> str:
    """The text from ``at`` to the end of its line, cut short for a message."""
    line = text[at:].split("\n", 1)[0]
    return line if len(line) <= _SHOWN else line[:_SHOWN] + "..."
