"""Cloze: the prompt is a text with blanks, and each blank holds its accepted answers.

The gap syntax is read in this one place, by validation and (through ``Cloze.parts``) by
every format. A gap is ``{{answer}}`` or ``{{answer|also accepted}}``. It ends at the first
``}}``, so an answer may hold a single brace. A gap that is never closed, a gap inside a gap,
a ``}}`` outside any gap and an empty answer are errors: each format would otherwise show its
own reading of them. Markdown's backslash (``{\\{``, ``}\\}``) shows two braces as text.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar, Literal

from pydantic import StrictBool

from .common import Problem, Question, QuestionIn, QuestionType

_BRACES = re.compile(r"\{\{|\}\}")
_SHOWN = 20  # characters of the prompt that a message quotes
_HINTS = {
    "cloze-gap": "mark each blank in the prompt as {{answer}}, or {{answer|alternative}}",
    "cloze-unclosed": "close the gap with '}}', as in {{answer}}; write '{\\{' to show two "
    "braces as text",
    "cloze-nested": "gaps cannot be nested: close each gap with '}}' before the next one opens",
    "cloze-stray": "remove the stray '}}', or write '}\\}' to show two braces as text",
    "cloze-empty": "give each answer of the gap some text, as in {{answer|also accepted}}",
}


class ClozeIn(QuestionIn):
    type: Literal["cloze"]
    case_sensitive: StrictBool = False


@dataclass(frozen=True)
class Gap:
    """One blank of a cloze: the first answer is the one shown, the rest are also accepted."""

    answers: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class Cloze(Question):
    """The prompt holds the text with its gaps marked ``{{answer}}``."""

    kind: ClassVar[str] = "cloze"
    label: ClassVar[str] = "Fill in the blanks"
    case_sensitive: bool = False

    # Read once: every format asks for the parts and gaps of every cloze, some more than once.
    @cached_property
    def parts(self) -> tuple[str | Gap, ...]:
        """The prompt split into text and gaps, in order."""
        return tuple(parse(self.prompt)[0])

    @cached_property
    def gaps(self) -> tuple[Gap, ...]:
        return tuple(p for p in self.parts if isinstance(p, Gap))

    def marked(self, mark: str) -> str:
        """The prompt with gap n replaced by ``mark.format(n)``, counting from 1."""
        count = itertools.count(1)
        return "".join(p if isinstance(p, str) else mark.format(next(count)) for p in self.parts)


def problems(q: Cloze) -> list[Problem]:
    """The gap syntax is sound, and the prompt has at least one gap."""
    parts, found = parse(q.prompt)
    if not found and all(isinstance(p, str) for p in parts):
        message = "a cloze question needs at least one gap in its prompt"
        found.append(_problem(None, message, "cloze-gap"))
    # Kept where Cloze.parts keeps what it reads: no format parses the prompt again, nor a
    # later build that finds the question checked in the store (2,000 clozes: 0.02 s).
    q.__dict__["parts"] = tuple(parts)
    return found


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
                message = f"gap '{inner}' is inside another gap"
                problems.append(_problem(at, message, "cloze-nested"))
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
        problems.append(_problem(opened, message, "cloze-unclosed"))
    parts.append(text[last:])
    return [p for p in parts if p != ""], problems


def _problem(offset: int | None, message: str, code: str) -> Problem:
    """A problem at character ``offset`` of the prompt, or (None) of the prompt as a whole."""
    return Problem(message, code, _HINTS[code], ("prompt",), offset)


def _gap(inside: str, offset: int, problems: list[Problem]) -> Gap:
    answers = tuple(a.strip() for a in inside.split("|"))
    if not any(answers):
        problems.append(_problem(offset, f"gap '{{{{{inside}}}}}' is empty", "cloze-empty"))
    elif not all(answers):
        message = f"gap '{{{{{inside}}}}}' has an empty answer"
        problems.append(_problem(offset, message, "cloze-empty"))
    return Gap(answers)


def _stray(before: str, offset: int) -> Problem:
    where = f" after '{before}'" if before else ""
    return _problem(offset, f"'}}}}'{where} closes no gap", "cloze-stray")


def _quote(text: str, at: int) -> str:
    """The text from ``at`` to the end of its line, cut short for a message."""
    line = text[at:].split("\n", 1)[0]
    return line if len(line) <= _SHOWN else line[:_SHOWN] + "..."


TYPE = QuestionType(
    schema=ClozeIn,
    model=Cloze,
    answer_data=lambda q: {"case_sensitive": q.case_sensitive},
    problems=problems,
)
