"""Output formats. Each is one module with an ``export`` function; adding one is one file
and one line in EXPORTERS.

An exporter writes only inside the folder it is given and never reads outside the course.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # the CLI imports this registry; it must not pay for these at start-up
    from pathlib import Path

    from ..errors import Diagnostic
    from ..model import Course


@dataclass(frozen=True)
class BuildContext:
    """What an exporter may know about the build besides the course."""

    course_dir: Path
    timestamp: int  # seconds since the epoch; SOURCE_DATE_EPOCH when set, so builds reproduce
    live_reload: bool = False  # `coursegen serve`: pages reload themselves after a rebuild
    # Files of the course folder itself (such as the Anki lock file) that an exporter wants
    # updated; written only once the whole build has succeeded.
    deferred_writes: dict[Path, str] = field(default_factory=dict)
    # What a format could not express (a question type it lacks, say), as warnings at the
    # item's source position: the build reports them instead of dropping anything silently.
    warnings: list[Diagnostic] = field(default_factory=list)
    # What formats earlier in this build wrote, by format, for later ones to reuse (the SCORM
    # package is the HTML site): html -> its site folder in the staging output.
    built: dict[str, Path] = field(default_factory=dict)

    def warn(self, pos, message: str, code: str, hint: str = "") -> None:
        """Report that this format could not carry something the course has."""
        from ..errors import Diagnostic, Severity

        self.warnings.append(Diagnostic(pos, Severity.WARNING, message, code, hint))


class Exporter(Protocol):
    def __call__(self, course: Course, out_dir: Path, context: BuildContext) -> list[Path]:
        """Write this format's files under ``out_dir``; return the paths written."""


# format name -> (module, one-line description). Modules are imported only when used.
EXPORTERS: dict[str, tuple[str, str]] = {
    "html": (".html", "an offline HTML course site, and the same as a zip"),
    "anki": (".anki", "Anki decks (.apkg) that update in place"),
    "scorm": (".scorm", "the HTML course as a SCORM 1.2 package for an LMS"),
    "qti": (".qti", "a QTI 1.2 package (.zip) of the quizzes, as Canvas imports it"),
    "moodle": (".moodle", "Moodle XML for Moodle's question bank, a category per module"),
    "gift": (".gift", "GIFT text for Moodle, for the question types GIFT can express"),
}


def get_exporter(name: str) -> Exporter:
    module_name, _ = EXPORTERS[name]
    return importlib.import_module(module_name, __package__).export
