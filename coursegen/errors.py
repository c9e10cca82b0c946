"""Diagnostics and the exceptions that carry them to the user.

Every problem found in a course becomes a Diagnostic with a source position. Validation
collects them all; the CLI prints them sorted, one per line, in the form compilers use:
``path:line:col: error: message [code]``.

The exceptions are plain: the library runs without click, and only the CLI turns them into
an exit status and a message.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from enum import Enum
from typing import Protocol


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class SourcePos:
    """A place in a course file: path as given to the user, 1-based line and column."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{max(self.col, 1)}"


@dataclass(frozen=True)
class Diagnostic:
    """One problem in the course, where it is, and how to fix it."""

    pos: SourcePos
    severity: Severity
    message: str
    code: str
    hint: str = ""

    def sort_key(self) -> tuple:
        return (self.pos, self.code, self.message)

    def format(self) -> str:
        text = f"{self.pos}: {self.severity.value}: {self.message} [{self.code}]"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


class Report(Protocol):
    """How a check reports a problem it finds (the validator's ``report``)."""

    def __call__(
        self,
        pos: SourcePos,
        message: str,
        code: str,
        hint: str = "",
        severity: Severity = Severity.ERROR,
    ) -> None: ...


def did_you_mean(word: str, choices) -> str:
    """Return ``did you mean 'x'?`` for the closest choice, or an empty string."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


class CourseError(Exception):
    """Raised for any problem with the user's input or environment; shown without a traceback."""


class ValidationFailed(CourseError):
    """Raised when a course has errors (or warnings, checked strictly); carries every diagnostic."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = sorted(diagnostics, key=Diagnostic.sort_key)
        errors = sum(d.severity is Severity.ERROR for d in self.diagnostics)
        warnings = len(self.diagnostics) - errors
        if errors:
            super().__init__(
                f"course is not valid: {plural(errors, 'error')}, {plural(warnings, 'warning')}"
            )
        else:  # the course is valid: say what stops the check, as FormatsFallShort does
            made = "it an error" if warnings == 1 else "them errors"
            super().__init__(f"{plural(warnings, 'warning')}; strict mode makes {made}")


class FormatsFallShort(ValidationFailed):
    """Raised in a strict check when formats cannot carry some of a course that is valid."""

    def __init__(self, diagnostics: list[Diagnostic], summary: str):
        super().__init__(diagnostics)
        Exception.__init__(self, f"{summary}; strict mode makes that an error")


class ImportRefused(ValidationFailed):
    """Raised when an import finds errors, in the export or in the course it would make."""

    def __init__(self, diagnostics: list[Diagnostic], source: str):
        super().__init__(diagnostics)
        errors = sum(d.severity is Severity.ERROR for d in self.diagnostics)
        Exception.__init__(self, f"nothing imported from {source}: {plural(errors, 'error')}")


class OutputError(CourseError):
    """Raised when the output folder cannot be written; the previous output is left as it was."""


def plural(n: int, noun: str) -> str:
    """``1 error``, ``2 errors``."""
    return f"{n} {noun}" + ("" if n == 1 else "s")
