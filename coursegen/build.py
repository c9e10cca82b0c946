"""The pipeline on one page: load -> validate -> export each format -> swap into place.

Everything is read and checked before anything is written. Exporters write into a staging
folder beside the output folder, which replaces the old output only once every format has
been written, so a failed build leaves the previous output exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CourseError, Diagnostic, OutputError, Severity, ValidationFailed
from .exporters import EXPORTERS, BuildContext, get_exporter
from .loader import load_course
from .model import Course
from .validate import validate


@dataclass
class BuildResult:
    course: Course
    out_dir: Path
    written: dict[str, list[Path]] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def check_course(
    course_dir: str | Path, *, strict: bool = False
) -> tuple[Course | None, list[Diagnostic]]:
    """Load and validate a course; with ``strict``, any warning also means no course."""
    course, diagnostics = validate(load_course(course_dir))
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

    ``progress`` is told each stage as it starts ("validate", then each format's name).
    """
    formats = list(formats or EXPORTERS)
    unknown = [f for f in formats if f not in EXPORTERS]
    if unknown:
        raise CourseError(f"unknown format '{unknown[0]}'; formats: {', '.join(EXPORTERS)}")
    progress("validate")
    course, diagnostics = check_course(course_dir, strict=strict)
    if course is None:
        raise ValidationFailed(diagnostics)
    out = Path(out_dir) if out_dir is not None else Path(course_dir) / "output"
    result = BuildResult(course, out, diagnostics=diagnostics)
    context = BuildContext(
        course_dir=Path(course_dir).resolve(), timestamp=build_timestamp(), live_reload=live_reload
    )
    with _staging(out) as staging:
        for name in formats:
            progress(name)
            result.written[name] = get_exporter(name)(course, staging, context)
        result.written = {
            name: [out / p.relative_to(staging) for p in paths]
            for name, paths in result.written.items()
        }
    for path, text in context.deferred_writes.items():
        _write_atomically(path, text)
    return result


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


def build_timestamp() -> int:
    """The build's time: SOURCE_DATE_EPOCH when set, so that builds reproduce, else now."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is None:
        return int(time.time())
    try:
        return int(value)
    except ValueError:
        raise CourseError(
            f"SOURCE_DATE_EPOCH must be a whole number of seconds, not '{value}'"
        ) from None


class _staging:
    """A folder to build into; on success it replaces ``out``, on failure it is removed.

    The previous output is copied in first as hard links (cheap, and untouched by exporters,
    which replace files rather than edit them), so formats not rebuilt this time survive.
    """

    def __init__(self, out: Path):
        self.out = out

    def __enter__(self) -> Path:
        if self.out.exists() and not self.out.is_dir():
            raise OutputError(
                f"{self.out}: the output path is a file, not a folder; "
                "remove it or choose another with -o"
            )
        try:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            self.path = Path(tempfile.mkdtemp(prefix=".coursegen-", dir=self.out.parent))
            if self.out.is_dir():
                shutil.copytree(
                    self.out, self.path, copy_function=_link_or_copy, dirs_exist_ok=True
                )
        except OSError as exc:
            self._discard()
            raise OutputError(
                f"{self.out}: cannot write the output folder: {exc.strerror or exc}"
            ) from None
        return self.path

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self._discard()
            return
        old = self.out.with_name(f".coursegen-old-{os.getpid()}-{self.out.name}")
        try:
            if self.out.exists():
                os.replace(self.out, old)
            os.replace(self.path, self.out)
        except OSError as error:
            self._discard()
            raise OutputError(
                f"{self.out}: cannot replace the output folder: {error.strerror or error}"
            ) from None
        shutil.rmtree(old, ignore_errors=True)

    def _discard(self) -> None:
        if getattr(self, "path", None):
            shutil.rmtree(self.path, ignore_errors=True)


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)
