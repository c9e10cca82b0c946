"""libyaml's syntax errors in an instructor's words, at the place to fix.

The parser says what it expected ("did not find expected '-' indicator (while parsing a
block collection)"); an author needs to know what they wrote wrong. Each common message is
read together with the line it points at, and said again as the mistake that nearly always
causes it; the parser's own words stay in the hint, for the rare case the guess is wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import yaml

QUOTE_IT = "put the whole text in double quotes"


@dataclass(frozen=True)
class Plain:
    """A syntax error said plainly: where (0-based line and column), what, and what to do."""

    line: int
    column: int
    message: str
    hint: str


def plain_words(exc: yaml.MarkedYAMLError, lines: list[str]) -> Plain | None:
    """The error in plain words, or None for a message this module does not know."""
    problem, context = exc.problem or "", exc.context or ""
    for (known_problem, known_context), explain in _EXPLAINED.items():
        if problem.startswith(known_problem) and context.startswith(known_context):
            plain = explain(_At(exc, lines))
            if plain is not None:
                said = f"{problem} ({context})" if context else problem
                hint = f"{plain.hint}; the parser said: {said}"
                return Plain(plain.line, plain.column, plain.message, hint)
    return None


class _At:
    """The error's marks, and the lines of the file they point into."""

    def __init__(self, exc: yaml.MarkedYAMLError, lines: list[str]):
        self.lines = lines
        mark = exc.problem_mark or exc.context_mark
        self.line = min(mark.line, len(lines) - 1)
        self.column = mark.column if self.line == mark.line else len(lines[self.line])
        self.opened = exc.context_mark  # where the thing that is not closed begins

    @property
    def text(self) -> str:
        return self.lines[self.line]

    def indent(self, line: int) -> int:
        return len(self.lines[line]) - len(self.lines[line].lstrip(" "))

    def line_above(self) -> int | None:
        above = self.line - 1
        while above >= 0 and (not self.lines[above].strip() or _comment(self.lines[above])):
            above -= 1
        return above if above >= 0 else None

    def here(self, message: str, hint: str) -> Plain:
        return Plain(self.line, self.column, message, hint)

    def at_start(self, message: str, hint: str) -> Plain:
        return Plain(self.line, self.indent(self.line), message, hint)

    def at_opening(self, message: str, hint: str) -> Plain:
        mark = self.opened or self
        return Plain(mark.line, mark.column, message, hint)

    def value_start(self) -> str:
        """The first character of this line's value, after its 'key: '."""
        _, colon, value = self.text.partition(": ")
        return value.lstrip()[:1] if colon else ""

    def at_value(self, message: str, hint: str) -> Plain:
        key, _, value = self.text.partition(": ")
        return Plain(self.line, len(key) + 2 + len(value) - len(value.lstrip()), message, hint)


def _comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def _colon_in_text(at: _At) -> Plain | None:
    above = at.line_above()
    first_colon = at.text.find(": ")
    if first_colon == at.column and above is not None and at.indent(at.line) > at.indent(above):
        return at.at_start(
            "this line is indented more than the line above it",
            f"line it up with the keys above it (line {above + 1}), or, if it continues the "
            "text above, put that text in double quotes",
        )
    return at.here("this text contains ': ', which YAML reads as the start of a new key", QUOTE_IT)


def _not_in_the_list(at: _At) -> Plain:
    dash = at.opened.column if at.opened else 0
    if at.indent(at.line) == dash:
        return at.at_start(
            "a new list item must start with '- '",
            f"write '- ' before it, in line with the '- ' of line {at.opened.line + 1}"
            if at.opened
            else "write '- ' before it",
        )
    return at.at_start(
        "this line is indented differently from the lines above it",
        "indent each key of a list item in line with the first key after its '- '",
    )


def _not_a_key(at: _At) -> Plain:
    if at.text.lstrip().startswith("- "):
        return at.at_start(
            "a list item ('- ') where a 'key: value' line is expected",
            "indent the list under its key, or write 'key: value'",
        )
    value = at.value_start()
    if value in ("{", "["):
        return at.at_value(
            f"text that starts with '{value}' is read as a YAML "
            f"{'mapping' if value == '{' else 'list'}",
            QUOTE_IT,
        )
    if value in ('"', "'"):
        return at.here(
            "there is more text after the closing quotation mark",
            f'{QUOTE_IT}, and write a double quote inside it as \\"',
        )
    return at.at_start(
        "this line does not line up with the keys above it",
        "indent it like the other keys of its mapping",
    )


def _never_closed(name: str) -> Callable[[_At], Plain]:
    def explain(at: _At) -> Plain:
        opened = at.opened
        where = f"line {opened.line + 1}, column {opened.column + 1}" if opened else "here"
        return at.at_opening(
            f"the {name} opened here is never closed",
            f"close the {name} that starts at {where}",
        )

    return explain


def _cannot_start(at: _At) -> Plain:
    character = at.text[at.column : at.column + 1]
    start = at.value_start()
    if start in ("*", "&"):
        what = "alias" if start == "*" else "anchor"
        return at.at_value(f"text that starts with '{start}' is read as a YAML {what}", QUOTE_IT)
    return at.here(f"text cannot start with '{character}' in YAML", QUOTE_IT)


def _block_text(at: _At) -> Plain:
    return at.here(
        "after '|' or '>' the text must start on the next line",
        "move the text to the next line, indented under the key, or quote it",
    )


_EXPLAINED: dict[tuple[str, str], Callable[[_At], Plain | None]] = {
    ("mapping values are not allowed", ""): _colon_in_text,
    ("did not find expected '-' indicator", "while parsing a block collection"): _not_in_the_list,
    ("did not find expected key", "while parsing a block mapping"): _not_a_key,
    ("found unexpected end of stream", "while scanning a quoted scalar"): _never_closed(
        "quotation mark"
    ),
    ("did not find expected ',' or ']'", "while parsing a flow sequence"): _never_closed(
        "list '['"
    ),
    ("did not find expected ',' or '}'", "while parsing a flow mapping"): _never_closed(
        "mapping '{'"
    ),
    ("did not find expected alphabetic or numeric character", "while scanning an a"): (
        _cannot_start  # an alias or an anchor
    ),
    ("found undefined alias", ""): _cannot_start,
    ("found character that cannot start any token", ""): _cannot_start,
    ("did not find expected comment or line break", "while scanning a block scalar"): (_block_text),
}
