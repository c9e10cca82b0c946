"""Writing a checked course's formats, each into a fresh folder of its own, in one process or
shared between two.

A build is pure Python, so a second core helps only as a second process (parallel.py): the
two share the formats as a queue, the costliest first, each process taking the next one
whenever it is free, so that both end together whatever the course and whatever an earlier
build left to reuse. Once none is left, a process does what parts are left of a format the
other is writing (the HTML site's module pages: exporters.Parts): with html and anki at
10,000 questions, the Anki process was otherwise idle for a third of the HTML's time. The
HTML site built alone is shared so too, its parts taken one at a time by both processes
(when they were halved beforehand by size, one process waited 0.08 s for the other at
10,000 questions). A format that has the machine to itself splits its own notes (anki.py).
Each process runs its formats one after another, each format's zip deflated beside the next,
and sends back what each format made: the paths a user opens and its messages; the new text
of its state file it writes aside, for the pipeline to put in place with the output.
"""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import parallel, reuse
from .errors import CourseError, OutputError
from .exporters import BuildContext, State, get_format, left_out_by
from .loader import BANKS_DIR
from .model import Course

if TYPE_CHECKING:
    from .build import BuildResult


def write_formats(job: FormatsJob, formats: list[str], progress) -> dict[str, Exported]:
    """Every format written, in two processes when the machine and the build allow it."""
    units = format_units(formats)
    # The formats that fall into parts (exporters.Parts): whichever process is done with its
    # own formats first does some of their parts, so that the two end together. A build of
    # such a format alone is shared so too: the second process has only parts to do.
    in_parts = [name for name in formats if hasattr(get_format(name), "parts")]
    if (len(units) < 2 and not in_parts) or not parallel.available():
        return job.run(formats, progress)
    tickets = parallel.Tickets(len(units))
    job.shared = {name: parallel.Shared(job.folders[name] / ".parts") for name in in_parts}

    def taken() -> Iterator[str]:
        while (ticket := tickets.take()) is not None:
            yield from units[ticket]

    def my_share() -> dict[str, Exported]:
        done = job.run(taken(), progress)
        # Every format is taken now: what is left is the wait for the other process.
        if theirs := [name for name in formats if name not in done]:
            progress(f"{', '.join(theirs)} (second process)")
        return done

    try:
        done_there, done_here = parallel.beside(lambda: job.run(taken(), _quiet), my_share)
    finally:
        tickets.close()
        for shared in job.shared.values():
            shared.close()
    return {**done_here, **done_there}


@dataclass(frozen=True)
class Exported:
    """What one format made, as it comes back from whichever process wrote it."""

    written: list[Path]
    messages: list[str]
    new_state: Path | None  # the format's STATE_FILE, if changed: its bytes are aside


@dataclass
class FormatsJob:
    """Everything a process needs to write some of the build's formats into their folders."""

    result: BuildResult  # the course, the output folder and what each format leaves out
    course_dir: Path
    folders: dict[str, Path]  # a fresh folder of each format's own
    media: dict
    timestamp: int
    live_reload: bool
    language: str | None
    # Where each format with a STATE_FILE writes its new bytes, to be put in place once the
    # output is (OutputTransaction.aside_file): written by the process that made them.
    aside: dict[str, Path] = dataclasses.field(default_factory=dict)
    shared: dict[str, parallel.Shared] = dataclasses.field(default_factory=dict)

    def run(self, names: Iterable[str], progress: Callable[[str], None]) -> dict[str, Exported]:
        """Write ``names`` one after another, each zip deflated beside the next format."""
        built: dict[str, Path] = {}  # the HTML site, for SCORM: both go to the same process
        done = {}
        with _Background(self.result.out_dir) as background:
            for i, name in enumerate(names):
                # What the last format made is garbage now, some of it in cycles (Jinja's).
                # When work is reused (serve), the caches hold it anyway, and a collection
                # would walk them.
                if i and not reuse.enabled():
                    gc.collect()
                progress(name)
                done[name] = self.export(name, built, background.of(name))
            self.help()
            background.finish()
        return done

    def help(self) -> None:
        """Do what parts are left of the formats the other process is writing."""
        for name, shared in self.shared.items():
            shared.help(lambda name=name: self.parts_of(name))

    def parts_of(self, name: str) -> tuple[int, Callable[[int], object]]:
        context = BuildContext(self.timestamp, self.live_reload, media=self.media)
        parts = get_format(name).parts(self.carried(name), self.folders[name], context)
        return parts.count, parts.do

    def carried(self, name: str) -> Course:
        """The course as format ``name`` carries it: without the questions it leaves out."""
        return _without(self.result.course, left_out_by(self.result.shortfalls[name]))

    def export(self, name: str, built: dict, in_background) -> Exported:
        format_module = get_format(name)
        state = _state(self.course_dir, format_module, self.language)
        context = BuildContext(
            self.timestamp, self.live_reload, built, self.media, state, in_background=in_background
        )
        if name in self.shared:
            shared = self.shared[name]
            context.in_parts = lambda parts: shared.run(parts.count, parts.do)
        folder, out = self.folders[name], self.result.out_dir
        paths = _export(format_module, name, self.carried(name), folder, context, out)
        # An unchanged state is left as it is, not read again to be compared before it is
        # written; a changed one is written here, not sent to the first process (14 MB of
        # Anki lock at 10,000 questions).
        changed = context.new_state is not None and context.new_state != state.data
        if changed:
            with _writing(name, out):
                self.aside[name].write_bytes(context.new_state)
        new_state = state.path if changed else None
        return Exported([out / p.relative_to(folder) for p in paths], context.messages, new_state)


def _quiet(stage: str) -> None:
    """The second process's progress: only the first one speaks to the terminal."""


# Seconds per 10,000 questions that each format takes to write after the others (which have
# parsed the Markdown they share), built afresh: the order in which the formats are taken,
# the costliest first, so that the last to be taken is short. A format added since counts
# as one second. SCORM is the HTML site's zip with a few files more when the HTML is built
# too, and goes with it: it copies it.
_COST = {"html": 2.3, "anki": 1.0, "scorm": 0.25, "qti": 0.8, "moodle": 0.8, "gift": 0.35}


def _cost(names: list[str]) -> float:
    return sum(_COST.get(name, 1.0) for name in names)


def format_units(formats: list[str]) -> list[list[str]]:
    """``formats`` in the units a process takes whole (HTML with SCORM), costliest first."""
    units = [["html", "scorm"]] if {"html", "scorm"} <= set(formats) else []
    units += [[name] for name in formats if not any(name in unit for unit in units)]
    return sorted(units, key=_cost, reverse=True)


def _without(course: Course, left_out: set[str]) -> Course:
    """The course as a format that leaves out ``left_out`` (question ids) carries it."""
    if not left_out:
        return course
    kept = tuple(q for q in course.questions if q.id not in left_out)
    return dataclasses.replace(course, questions=kept)


def _state(course_dir: Path, format_module, language: str | None) -> State | None:
    name = getattr(format_module, "STATE_FILE", None)
    if name is None:
        return None
    if language:  # each language's notes have their own history: anki-lock.ar.json
        name = f"{Path(name).stem}.{language}{Path(name).suffix}"
    path = course_dir.resolve() / BANKS_DIR / name
    try:
        return State(path, path.read_bytes())
    except FileNotFoundError:
        return State(path, None)
    except OSError as exc:
        raise CourseError(
            f"{path}: cannot be read: {getattr(exc, 'strerror', None) or exc}"
        ) from None


def _export(format_module, name, course, folder, context, out) -> list[Path]:
    with _writing(name, out):
        return format_module.export(course, folder, context)


@contextmanager
def _writing(name: str, out: Path):
    """Report a format's failure to write (a full disk, say); the previous output is kept."""
    try:
        yield
    except OSError as exc:
        raise OutputError(
            f"{out}: cannot write the {name} output: {exc.strerror or exc}"
            + (f" ({exc.filename})" if exc.filename else "")
        ) from None


class _Background:
    """The jobs formats hand off (deflating a zip), run beside the next formats.

    Each job runs in a forked process (parallel.py) where the machine allows it, else one at
    a time in a thread: zlib lets go of the interpreter's lock while it deflates. A job needs
    nothing back but its files, so a process costs only the fork, and leaves this process
    without threads, which a later fork must not inherit. The build waits for every job
    before it swaps anything in, and a job that fails fails the build as its format would.
    """

    def __init__(self, out: Path):
        self.out = out
        self.jobs: list[_Job] = []
        self.pool: ThreadPoolExecutor | None = None

    def of(self, name: str) -> Callable[[Callable[[], object]], Callable[[], None]]:
        """What format ``name`` calls to hand off a job; it returns the job's ``wait``."""

        def hand_off(job: Callable[[], object]) -> Callable[[], None]:
            self.jobs.append(_Job(name, self.out, self.start(job)))
            return self.jobs[-1].wait

        return hand_off

    def start(self, job: Callable[[], object]) -> Future | parallel.Pending:
        if parallel.available():
            return parallel.start(job)
        if self.pool is None:
            self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="coursegen-zip")
        return self.pool.submit(job)

    def finish(self) -> None:
        for job in self.jobs:
            job.wait()

    def __enter__(self) -> _Background:
        return self

    def __exit__(self, *exc_info) -> None:
        # On failure, end running jobs before the staging folder they write into goes.
        for job in self.jobs:
            job.cancel()
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


class _Job:
    """A job handed off by a format, running; waited for once, by whoever needs it first."""

    def __init__(self, name: str, out: Path, running: Future | parallel.Pending):
        self.name, self.out, self.running = name, out, running
        self.ended = False

    def wait(self) -> None:
        """Wait for the job to end; raise, as its format would, what it raised."""
        if not self.ended:
            self.ended = True
            with _writing(self.name, self.out):
                self.running.result()

    def cancel(self) -> None:
        if not self.ended:
            self.ended = True
            self.running.cancel()
