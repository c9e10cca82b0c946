"""The pipeline on one page: load -> validate -> export each format -> swap into place.

Everything is read and checked before anything is written. Each format writes into a fresh
folder of its own (writing.py, in one process or two); the pipeline moves what it made into
a staging folder beside the output folder, which replaces the old output only once every
format has been written (see output.py), so a failed build leaves the previous output as it
was.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable, Collection
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import ahead, reuse
from .errors import (
    CourseError,
    Diagnostic,
    FormatsFallShort,
    Severity,
    ValidationFailed,
    plural,
)
from .exporters import (
    EXPORTERS,
    Shortfall,
    get_format,
    prompt_renderings,
    shortfalls_of,
)
from .loader import load_course
from .media import media_map
from .model import Course
from .output import OutputTransaction, check_output_folder
from .validate import KnownBanks, validate
from .writing import FormatsJob, write_formats

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
    render_ahead: Collection | None = None,
) -> tuple[Course | None, list[Diagnostic]]:
    """Load and validate a course; with ``strict``, any warning also means no course.

    With ``render_ahead`` (the forms of a prompt the formats to come render: ahead.BLOCK,
    ahead.SPLIT), the banks' Markdown is rendered as they are checked, for those formats
    (ahead.py), and a large course's banks are read and checked in two processes
    (validate.check_banks).
    """
    # Banks an earlier build checked (serve's, or the store's) are not even parsed again.
    known = KnownBanks() if reuse.enabled() or reuse.storing() else None
    with gc_paused():
        progress("load")
        # Rendering ahead, every bank is read where it is checked: in either process.
        defer = (lambda source: True) if render_ahead is not None else known
        raw = load_course(course_dir, known=defer)
        progress("validate")
        alongside = ahead.Rendering(render_ahead) if render_ahead is not None else None
        course, diagnostics = validate(raw, known, alongside)
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
    remember: bool = False,
) -> BuildResult:
    """Validate the course, then write the chosen formats (all by default) into ``out_dir``.

    With ``language``, the course is built in that language from its translation files
    (translation/), by default into ``output/LANGUAGE/``. With ``remember``, the build reuses
    what the last one made, and keeps what it makes itself, in the course's store on disk
    (store.py): the output is the same, and made faster after a small edit.

    ``progress`` is told each stage as it starts: "load", "validate", each format's name,
    then "write" (swapping the output into place). With ``strict``, a warning (from the
    course, or a format that cannot carry some of it) stops the build before it writes.
    """
    formats = list(formats or EXPORTERS)
    _check_format_names(formats)
    course_dir = Path(course_dir)
    stored = reuse.stored(course_dir, language) if remember else nullcontext()
    with gc_paused(), stored:
        try:
            return _build(course_dir, out_dir, formats, strict, live_reload, progress, language)
        finally:
            gc.unfreeze()  # what _build froze can be collected again


def _build(course_dir, out_dir, formats, strict, live_reload, progress, language) -> BuildResult:
    out = Path(out_dir) if out_dir is not None else course_dir / "output" / (language or "")
    check_output_folder(out, course_dir)
    timestamp = build_timestamp()
    # Rendering ahead pays only where the formats will render most texts: not after a build
    # that left its work in the store.
    fresh = language is None and not reuse.remembers()
    render_ahead = prompt_renderings(formats) if fresh else None
    course, diagnostics = check_course(
        course_dir, strict=strict, progress=progress, render_ahead=render_ahead
    )
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
        job = FormatsJob(result, course_dir, folders, media, timestamp, live_reload, language)
        job.aside = {n: output.aside_file(n) for n in formats if _keeps_state(n)}
        done = write_formats(job, formats, progress)
        for name in formats:
            if done[name].new_state is not None:  # only a state that changed is written
                output.place_after_swap(job.aside[name], done[name].new_state)
        progress("write")
    for name in formats:
        result.written[name] = done[name].written
        result.messages += [f"{name}: {m}" for m in done[name].messages]
    return result


def _keeps_state(name: str) -> bool:
    return getattr(get_format(name), "STATE_FILE", None) is not None


def _fresh_folder(output: OutputTransaction, name: str, course: Course) -> Path:
    owns = getattr(get_format(name), "OWNS", ())
    return output.fresh_folder(name, tuple(n.format(id=course.id) for n in owns))


def _check_format_names(formats: list[str]) -> None:
    unknown = [f for f in formats if f not in EXPORTERS]
    if unknown:
        raise CourseError(f"unknown format '{unknown[0]}'; formats: {', '.join(EXPORTERS)}")


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
