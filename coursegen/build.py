"""The pipeline on one page: load -> validate -> export each format -> swap into place.

Everything is read and checked before anything is written. Exporters write into a staging
folder beside the output folder, which replaces the old output only once every format has
been written (see output.py), so a failed build leaves the previous output as it was.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CourseError, Diagnostic, OutputError, Severity, ValidationFailed
from .exporters import EXPORTERS, BuildContext, get_exporter
from .loader import load_course
from .model import Course
from .output import OutputTransaction, check_output_folder
from .validate import validate


@dataclass
class BuildResult:
    course: Course
    out_dir: Path
    written: dict[str, list[Path]] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def check_course(
    course_dir: str | Path,
    *,
    strict: bool = False,
    progress: Callable[[str], None] = lambda stage: None,
) -> tuple[Course | None, list[Diagnostic]]:
    """Load and validate a course; with ``strict``, any warning also means no course."""
    with _gc_paused():
        progress("load")
        raw = load_course(course_dir)
        progress("validate")
        course, diagnostics = validate(raw)
    if strict and any(d.severity is Severity.WARNING for d in diagnostics):
        course = None
    return course, diagnostics


def build_course(
    course_dir: str | Path,
    out_dir: str | Path | None = None,
    formats: list[str] | None = None,
    *,
    strict: bool = False,
    live_reload: bool = False,
    progress: Callable[[str], None] = lambda stage: None,
) -> BuildResult:
    """Validate the course, then write the chosen formats (all by default) into ``out_dir``.

    ``progress`` is told each stage as it starts: "load", "validate", each format's name,
    then "write" (swapping the output into place).
    """
    formats = list(formats or EXPORTERS)
    unknown = [f for f in formats if f not in EXPORTERS]
    if unknown:
        raise CourseError(f"unknown format '{unknown[0]}'; formats: {', '.join(EXPORTERS)}")
    with _gc_paused():
        return _build(course_dir, out_dir, formats, strict, live_reload, progress)


def _build(course_dir, out_dir, formats, strict, live_reload, progress) -> BuildResult:
    out = Path(out_dir) if out_dir is not None else Path(course_dir) / "output"
    check_output_folder(out, Path(course_dir))
    timestamp = build_timestamp()
    course, diagnostics = check_course(course_dir, strict=strict, progress=progress)
    if course is None:
        raise ValidationFailed(diagnostics)
    result = BuildResult(course, out, diagnostics=diagnostics)
    context = BuildContext(
        course_dir=Path(course_dir).resolve(), timestamp=timestamp, live_reload=live_reload
    )
    with OutputTransaction(out) as staging:
        for name in formats:
            progress(name)
            result.written[name] = _export(name, course, staging, context, out)
        result.diagnostics += context.warnings
        if strict and context.warnings:
            raise ValidationFailed(result.diagnostics)  # before the swap: output untouched
        progress("write")
        result.written = {
            name: [out / p.relative_to(staging) for p in paths]
            for name, paths in result.written.items()
        }
    for path, text in context.deferred_writes.items():
        _write_atomically(path, text)
    return result


def _export(name: str, course: Course, staging: Path, context: BuildContext, out: Path):
    try:
        return get_exporter(name)(course, staging, context)
    except OSError as exc:  # a full disk, say; the previous output is kept
        raise OutputError(
            f"{out}: cannot write the {name} output: {exc.strerror or exc}"
            + (f" ({exc.filename})" if exc.filename else "")
        ) from None


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
def _gc_paused():
    """Pause the cyclic garbage collector while loading and building.

    A build allocates millions of small objects and few reference cycles; each collection
    would walk all the live ones again, which makes a large course's build superlinear (a
    50,000-question bank's load: 29 s with the collector, 12 s without; a rebuild after one
    edit spent a quarter of its time in collections). What cycles there are are collected
    once the collector runs again after the build.
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
