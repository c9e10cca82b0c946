"""The pipeline on one page: load -> validate -> export each format -> swap into place.

Everything is read and checked before anything is written. Each format writes into a fresh
folder of its own; the pipeline moves what it made into a staging folder beside the output
folder, which replaces the old output only once every format has been written (see
output.py), so a failed build leaves the previous output as it was.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import parallel, reuse
from .errors import (
    CourseError,
    Diagnostic,
    FormatsFallShort,
    OutputError,
    Severity,
    ValidationFailed,
    plural,
)
from .exporters import (
    EXPORTERS,
    BuildContext,
    Shortfall,
    State,
    get_format,
    left_out_by,
    shortfalls_of,
)
from .loader import BANKS_DIR, load_course
from .media import media_map
from .model import Course
from .output import OutputTransaction, check_output_folder
from .validate import validate

if TYPE_CHECKING:
    from .translation.apply import Applied


@dataclass
class BuildResult:
    course: Course
    out_dir: Path
    written: dict[str, list[Path]] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # What each format could not carry, by format: warnings, listed or counted by the CLI.
    shortfalls: dict[str, list[Shortfall]] = field(default_factory=dict)
    translation: Applied | None = None  # what a build in another language found
    messages: list[str] = field(default_factory=list)  # what formats told: "anki: retired ..."

    @property
    def format_warnings(self) -> list[Diagnostic]:
        """The shortfalls as warnings, format by format."""
        return shortfall_diagnostics(self.shortfalls)


def check_course(
    course_dir: str | Path,
    *,
    strict: bool = False,
    progress: Callable[[str], None] = lambda stage: None,
) -> tuple[Course | None, list[Diagnostic]]:
    """Load and validate a course; with ``strict``, any warning also means no course."""
    with gc_paused():
        progress("load")
        raw = load_course(course_dir)
        progress("validate")
        course, diagnostics = validate(raw)
    if strict and any(d.severity is Severity.WARNING for d in diagnostics):
        course = None
    return course, diagnostics


def check_formats(course: Course, formats: list[str]) -> dict[str, list[Shortfall]]:
    """What each of ``formats`` cannot carry of ``course``, as each format declares it."""
    _check_format_names(formats)
    return {name: shortfalls_of(name, course) for name in formats}


def shortfall_diagnostics(shortfalls: dict[str, list[Shortfall]]) -> list[Diagnostic]:
    """Each format's shortfalls as warnings, in the same words for every format."""
    return [_diagnostic(name, s) for name, found in shortfalls.items() for s in found]


def _diagnostic(name: str, shortfall: Shortfall) -> Diagnostic:
    verb = "leaves out" if shortfall.leaves_out else "changes"
    code = f"{name}-left-out" if shortfall.leaves_out else f"{name}-changed"
    message = f"{name} {verb} {shortfall.what}: {shortfall.reason}"
    return Diagnostic(shortfall.pos, Severity.WARNING, message, code, shortfall.hint)


def fall_short(
    diagnostics: list[Diagnostic], shortfalls: dict[str, list[Shortfall]]
) -> FormatsFallShort:
    """The error of a strict check that formats cannot carry all of a valid course."""
    counts = []
    for name, listed in shortfalls.items():
        if listed:
            noun = "question" if all(s.kind for s in listed) else "item"
            counts.append((plural(len(listed), noun), name))
    summary = ", and ".join(f"{n} cannot be carried by {name}" for n, name in counts)
    return FormatsFallShort([*diagnostics, *shortfall_diagnostics(shortfalls)], summary)


def build_course(
    course_dir: str | Path,
    out_dir: str | Path | None = None,
    formats: list[str] | None = None,
    *,
    strict: bool = False,
    live_reload: bool = False,
    progress: Callable[[str], None] = lambda stage: None,
    language: str | None = None,
) -> BuildResult:
    """Validate the course, then write the chosen formats (all by default) into ``out_dir``.

    With ``language``, the course is built in that language from its translation files
    (translation/), by default into ``output/LANGUAGE/``.

    ``progress`` is told each stage as it starts: "load", "validate", each format's name,
    then "write" (swapping the output into place). With ``strict``, a warning (from the
    course, or a format that cannot carry some of it) stops the build before it writes.
    """
    formats = list(formats or EXPORTERS)
    _check_format_names(formats)
    with gc_paused():
        try:
            return _build(
                Path(course_dir), out_dir, formats, strict, live_reload, progress, language
            )
        finally:
            gc.unfreeze()  # what _build froze can be collected again


def _build(course_dir, out_dir, formats, strict, live_reload, progress, language) -> BuildResult:
    out = Path(out_dir) if out_dir is not None else course_dir / "output" / (language or "")
    check_output_folder(out, course_dir)
    timestamp = build_timestamp()
    course, diagnostics = check_course(course_dir, strict=strict, progress=progress)
    applied = None
    if course is not None and language:
        from .translation.apply import in_language  # Babel's PO reader, for this build only

        progress("translate")
        course, diagnostics, applied = in_language(
            course, course_dir, language, diagnostics, strict
        )
    if course is None:
        raise ValidationFailed(diagnostics)
    # The course lives as long as the build: the collections between formats need not walk
    # its millions of objects again (0.3 s each at 10,000 questions).
    gc.freeze()
    result = BuildResult(course, out, diagnostics=diagnostics, translation=applied)
    result.shortfalls = check_formats(course, formats)
    if strict and any(result.shortfalls.values()):
        raise fall_short(diagnostics, result.shortfalls)
    media = media_map(course)
    with OutputTransaction(out) as output:
        folders = {name: _fresh_folder(output, name, course) for name in formats}
        job = _FormatsJob(result, course_dir, folders, media, timestamp, live_reload, language)
        done = _export_all(job, formats, progress)
        progress("write")
    for name in formats:
        result.written[name] = done[name].written
        result.messages += [f"{name}: {m}" for m in done[name].messages]
    for name in formats:
        if done[name].new_state is not None:
            _write_atomically(*done[name].new_state)
    return result


@dataclass(frozen=True)
class _Exported:
    """What one format made, as it comes back from whichever process wrote it."""

    written: list[Path]
    messages: list[str]
    new_state: tuple[Path, str] | None  # the format's STATE_FILE and its new text


@dataclass
class _FormatsJob:
    """Everything a process needs to write some of the build's formats into their folders."""

    result: BuildResult  # the course, the output folder and what each format leaves out
    course_dir: Path
    folders: dict[str, Path]  # a fresh folder of each format's own
    media: dict
    timestamp: int
    live_reload: bool
    language: str | None

    def run(self, names: list[str], progress: Callable[[str], None]) -> dict[str, _Exported]:
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
            background.finish()
        return done

    def export(self, name: str, built: dict, in_background) -> _Exported:
        format_module = get_format(name)
        state = _state(self.course_dir, format_module, self.language)
        context = BuildContext(
            self.timestamp, self.live_reload, built, self.media, state, in_background=in_background
        )
        carried = _without(self.result.course, left_out_by(self.result.shortfalls[name]))
        folder, out = self.folders[name], self.result.out_dir
        paths = _export(format_module, name, carried, folder, context, out)
        new_state = None if context.new_state is None else (state.path, context.new_state)
        return _Exported([out / p.relative_to(folder) for p in paths], context.messages, new_state)


def _export_all(job: _FormatsJob, formats: list[str], progress) -> dict[str, _Exported]:
    """Every format written, in two processes when the machine and the build allow it."""
    mine, theirs = _format_groups(formats)
    if not theirs:
        return job.run(mine, progress)

    def my_share() -> dict[str, _Exported]:
        done = job.run(mine, progress)
        progress(", ".join(theirs))  # what is left is waiting for the other process
        return done

    done_there, done_here = parallel.beside(lambda: job.run(theirs, _quiet), my_share)
    return {**done_here, **done_there}


def _quiet(stage: str) -> None:
    """The second process's progress: only the first one speaks to the terminal."""


# Seconds per 10,000 questions that each format takes to write, to share formats between
# two processes so that both end at about the same time; a format added since counts as one
# second. SCORM is the HTML site's zip with a manifest when the HTML is built too, and goes
# with it: it reuses the site.
_COST = {"html": 1.9, "anki": 1.2, "scorm": 0.3, "qti": 1.0, "moodle": 1.2, "gift": 0.7}


def _cost(names: list[str]) -> float:
    return sum(_COST.get(name, 1.0) for name in names)


def _format_groups(formats: list[str]) -> tuple[list[str], list[str]]:
    """The formats this process writes and those a second process writes beside it, each
    in the order given; the second is empty when there is nothing to share or no fork."""
    if len(formats) < 2 or not parallel.available():
        return formats, []
    units = [["html", "scorm"]] if {"html", "scorm"} <= set(formats) else []
    units += [[name] for name in formats if not any(name in unit for unit in units)]
    groups: tuple[list[str], list[str]] = ([], [])
    for unit in sorted(units, key=_cost, reverse=True):  # the longest first
        lighter = min(groups, key=_cost)
        lighter.extend(unit)
    mine, theirs = (sorted(g, key=formats.index) for g in groups)
    return (mine, theirs) if mine else (theirs, [])


def _fresh_folder(output: OutputTransaction, name: str, course: Course) -> Path:
    owns = getattr(get_format(name), "OWNS", ())
    return output.fresh_folder(name, tuple(n.format(id=course.id) for n in owns))


def _check_format_names(formats: list[str]) -> None:
    unknown = [f for f in formats if f not in EXPORTERS]
    if unknown:
        raise CourseError(f"unknown format '{unknown[0]}'; formats: {', '.join(EXPORTERS)}")


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
        return State(path, path.read_text("utf-8"))
    except FileNotFoundError:
        return State(path, None)
    except (OSError, UnicodeDecodeError) as exc:
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
        self.jobs: list[tuple[str, Future | parallel.Pending]] = []
        self.pool: ThreadPoolExecutor | None = None

    def of(self, name: str) -> Callable[[Callable[[], object]], None]:
        """What format ``name`` calls to hand off a job."""
        return lambda job: self.jobs.append((name, self.start(job)))

    def start(self, job: Callable[[], object]) -> Future | parallel.Pending:
        if parallel.available():
            return parallel.start(job)
        if self.pool is None:
            self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="coursegen-zip")
        return self.pool.submit(job)

    def finish(self) -> None:
        while self.jobs:
            name, job = self.jobs.pop(0)
            with _writing(name, self.out):
                job.result()

    def __enter__(self) -> _Background:
        return self

    def __exit__(self, *exc_info) -> None:
        # On failure, end running jobs before the staging folder they write into goes.
        for _, job in self.jobs:
            job.cancel()
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


def _write_atomically(path: Path, text: str) -> None:
    if path.exists() and path.read_text("utf-8") == text:
        return
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, "utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector while loading and building.

    A build allocates millions of small objects and few reference cycles; each collection
    would walk all the live ones again, which makes a large course's build superlinear (a
    50,000-question bank's load: 29 s with the collector, 12 s without; a rebuild after one
    edit spent a quarter of its time in collections). The build collects once between
    formats instead: Jinja's render contexts are cycles, and they hold every question view
    of the HTML pages, which would otherwise stay in memory while Anki builds its deck.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# The last second of year 9999: the latest time that dates, Anki's note ids (milliseconds in
# SQLite's 64-bit integers) and every format's time fields can all hold.
LATEST_TIMESTAMP = 253_402_300_799


def build_timestamp() -> int:
    """The build's time: SOURCE_DATE_EPOCH when set, so that builds reproduce, else now."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is None:
        return int(time.time())
    try:
        seconds = int(value)
    except ValueError:
        seconds = -1
    if not 0 <= seconds <= LATEST_TIMESTAMP:
        raise CourseError(
            "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01, from 0 "
            f"to {LATEST_TIMESTAMP} (the end of year 9999), not '{value}'; "
            "unset it to build with the current time"
        )
    return seconds
