"""Output formats. Each is one module; adding one is one file and one line in EXPORTERS.

A format module has:

- ``export(course, out_dir, context) -> list[Path]``: write the format's files into
  ``out_dir``, a fresh empty folder of its own, and return the paths of what a user opens.
  The pipeline then moves each file or folder it made into the output, replacing that
  file or folder of the previous build; it never sees the live output, so it may write
  however it likes.
- optionally ``shortfalls(course) -> Iterable[Shortfall]``: what of the course the format
  cannot carry as written. The pipeline reports each in one shape, and the questions a
  format leaves out are not in the course that its ``export`` is given.
- optionally ``OWNS``: the names (``{id}`` is the course id) of every file or folder the
  format may write, for a format that does not always write them all: the pipeline removes
  those of the previous build, so none is left stale.
- optionally ``PROMPTS``: the forms the format renders a question's prompt in, of
  ``ahead.BLOCK`` and ``ahead.SPLIT``, so that a build renders only those ahead (ahead.py);
  without it, both.
- optionally ``STATE_FILE``: the name of a file in ``question_banks/`` that the format keeps
  from build to build (Anki's lock file). The pipeline reads it for the format
  (``context.state``) and writes the format's ``context.new_state`` once the build succeeds.
  What a format appends to ``context.messages`` (the notes it retired) the build prints.

A format may hand slow work that only writes into its folder (deflating a zip) to
``context.in_background(job)``: the pipeline runs it beside the next formats and waits for
it before anything is swapped in. What it returns waits for the job, for a later format
that reads what the job wrote (SCORM copies the HTML site's zip).

A format whose work falls into parts that need nothing of each other (the HTML site's
module pages) may do them through ``context.in_parts(parts)``, and declare
``parts(course, out_dir, context) -> Parts``, the same parts made afresh: then, in a build
whose formats share two processes, the process that has finished its own formats does
some of them (parallel.Shared), so that both processes end together. Each part's result is
pickled; outside such a build, the parts are split as ``parallel.split_map`` splits them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # the CLI imports this registry; it must not pay for these at start-up
    from pathlib import Path
    from types import ModuleType

    from ..errors import SourcePos
    from ..media import MediaFile
    from ..model import Course, Question


@dataclass(frozen=True)
class Shortfall:
    """Something of the course that a format cannot carry as written, and why.

    ``leaves_out`` is the id of the question the format leaves out; without it, the format
    carries the thing changed (shortened, matched more loosely, not reported).
    """

    pos: SourcePos
    what: str  # "question 'wc-order' (ordering)", "the course title"
    reason: str
    hint: str = ""
    leaves_out: str | None = None
    kind: str = ""  # the question's type, for counting; empty for the course's own fields

    @classmethod
    def of_question(cls, q: Question, reason: str, hint: str = "", *, left_out: bool = False):
        """A question the format leaves out (``left_out``) or carries changed."""
        what = f"question '{q.id}' ({q.kind})"
        return cls(q.pos, what, reason, hint, q.id if left_out else None, q.kind)


@dataclass
class State:
    """A file a format keeps in the course between builds; ``data`` is None when absent."""

    path: Path
    data: bytes | None


@dataclass(frozen=True)
class Parts:
    """Pieces of a format's work that either build process may do: ``do(i)`` for each i in
    ``range(count)``, which writes only into the format's folder and returns what the
    format needs of it; ``weight(i)`` is what piece i costs, roughly."""

    count: int
    do: Callable[[int], object]
    weight: Callable[[int], float] = lambda i: 1


def split_parts(parts: Parts) -> list:
    """Every part's result, in order, split between this process and one beside it."""
    from .. import parallel  # not for the CLI's start-up

    return parallel.split_map(parts.do, range(parts.count), parts.weight)


def at_once(job: Callable[[], object]) -> Callable[[], None]:
    """Run ``job`` now; what waits for it then has nothing to wait for."""
    job()
    return lambda: None


@dataclass
class BuildContext:
    """What a format may know about the build besides the course."""

    timestamp: int  # seconds since the epoch; SOURCE_DATE_EPOCH when set, so builds reproduce
    live_reload: bool = False  # `coursegen serve`: pages reload themselves after a rebuild
    # What formats earlier in this build wrote, for later ones to reuse (the SCORM package is
    # the HTML site): "html" -> its site folder; "html.zip" -> a function that waits for the
    # site's zip and gives its path.
    built: dict[str, object] = field(default_factory=dict)
    # Every image file the course shows, by its path: read, sanitised and named once.
    media: dict[Path, MediaFile] = field(default_factory=dict)
    state: State | None = None  # this format's STATE_FILE, read by the pipeline
    new_state: bytes | None = None  # what the pipeline writes to STATE_FILE after the build
    messages: list[str] = field(default_factory=list)  # for the builder: "retired 1 note: ..."
    # Runs a job that writes into the format's folder; the pipeline runs it beside the next
    # formats. Called outside a build (a test calling export), the job runs at once. Returns
    # a function that waits for the job to end.
    in_background: Callable[[Callable[[], object]], Callable[[], None]] = at_once
    # Does a format's parts (see Parts) and returns what each one returned, in order.
    in_parts: Callable[[Parts], list] = split_parts


class Exporter(Protocol):
    def __call__(self, course: Course, out_dir: Path, context: BuildContext) -> list[Path]:
        """Write this format's files into ``out_dir``; return the paths a user opens."""


# format name -> (module, one-line description). Modules are imported only when used.
EXPORTERS: dict[str, tuple[str, str]] = {
    "html": (".html", "an offline HTML course site, its zip, and the instructor's answer key"),
    "anki": (".anki", "Anki decks (.apkg) that update in place"),
    "scorm": (".scorm", "the HTML course as a SCORM 1.2 package for an LMS"),
    "qti": (".qti", "a QTI 1.2 package (.zip) of the quizzes, as Canvas imports it"),
    "moodle": (".moodle", "Moodle XML for Moodle's question bank, a category per module"),
    "gift": (".gift", "GIFT text for Moodle, for the question types GIFT can express"),
}


def get_format(name: str) -> ModuleType:
    """The module of the format ``name``."""
    module_name, _ = EXPORTERS[name]
    return importlib.import_module(module_name, __package__)


def shortfalls_of(name: str, course: Course) -> list[Shortfall]:
    """What the format ``name`` cannot carry of ``course``, as it declares."""
    declared = getattr(get_format(name), "shortfalls", None)
    return list(declared(course)) if declared else []


def prompt_renderings(names: Iterable[str]) -> frozenset:
    """The forms of a prompt that the formats ``names`` render (each one's PROMPTS), for a
    build to render those ahead (ahead.py)."""
    from .. import ahead  # the registry is imported at start-up; ahead brings the Markdown

    return frozenset().union(*(getattr(get_format(n), "PROMPTS", ahead.BOTH) for n in names))


def left_out_by(shortfalls: Iterable[Shortfall]) -> set[str]:
    return {s.leaves_out for s in shortfalls if s.leaves_out}
