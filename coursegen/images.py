"""Images as every format publishes them: raster files as they are, SVG files sanitised.

Validation checks each image a course shows (check_image) and every exporter takes its bytes
from image_bytes, so no format can publish an SVG as it was written. An SVG is sanitised
once per version of the file, whichever of them asks first.
"""

from __future__ import annotations

import functools
from pathlib import Path

from .errors import CourseError, Diagnostic, Severity, SourcePos
from .svg import Sanitised, sanitise

# What a browser, Anki and an LMS show as a picture; anything else (HTML, XML, PDF...) may
# be a page that runs scripts once it is opened from the published folder.
IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"}


def check_image(src: str, path: Path, pos: SourcePos) -> list[Diagnostic]:
    """What the author must hear about the image file ``path``, shown as ``src`` at ``pos``."""
    if path.suffix.lower() not in IMAGE_TYPES:
        message = f"image '{src}' is not a PNG, JPEG, GIF, WebP or SVG file"
        hint = "save it in one of these formats; other files can hold pages and scripts"
        return [Diagnostic(pos, Severity.ERROR, message, "image-type", hint)]
    if not _is_svg(path):
        return []
    result = _sanitised(path)
    if result.problem:
        message = f"image '{src}' cannot be published safely: {result.problem}"
        hint = "save it again as a plain SVG file (in Inkscape: Save As > Plain SVG)"
        return [Diagnostic(pos, Severity.ERROR, message, "svg-unreadable", hint)]
    if result.removed:
        message = f"image '{src}' has active content, which every format leaves out: " + ", ".join(
            result.removed
        )
        hint = "remove it from the SVG file; a published image must not run or load anything"
        return [Diagnostic(pos, Severity.WARNING, message, "svg-active-content", hint)]
    return []


def image_bytes(path: Path) -> bytes:
    """The bytes every format writes for the image file ``path``."""
    if not _is_svg(path):
        return path.read_bytes()
    result = _sanitised(path)
    if result.problem:  # the file changed since validation accepted it
        raise CourseError(f"{path}: cannot be published safely: {result.problem}")
    return result.data


def _is_svg(path: Path) -> bool:
    return path.suffix.lower() == ".svg"


def _sanitised(path: Path) -> Sanitised:
    stat = path.stat()
    return _sanitised_version(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=256)  # keyed by the file's version, so an edit is seen
def _sanitised_version(path: Path, mtime_ns: int, size: int) -> Sanitised:
    return sanitise(path.read_bytes())
