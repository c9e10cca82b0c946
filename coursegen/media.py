"""Image files as every format publishes them: checked, SVG sanitised, named by content.

Validation checks each image file a course shows (check_image); every exporter takes an
image's bytes and name from media_file, so no format can publish an SVG as it was written
and every name's hash is that of the bytes published. An SVG is sanitised once per version
of the file, whichever of them asks first. Finding the images that text shows is images.py.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePath

from .errors import CourseError, Report, Severity, SourcePos
from .model import Course
from .svg import Sanitised, sanitise

# What a browser, Anki and an LMS show as a picture; anything else (HTML, XML, PDF...) may
# be a page that runs scripts once it is opened from the published folder.
IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"}


@dataclass(frozen=True)
class MediaFile:
    """An image file as every format publishes it: ``data`` under the file name ``name``."""

    name: str
    data: bytes


def check_image(src: str, path: Path, pos: SourcePos, report: Report) -> None:
    """Report what the author must hear about the image file ``path``, shown as ``src``."""
    if path.suffix.lower() not in IMAGE_TYPES:
        message = f"image '{src}' is not a PNG, JPEG, GIF, WebP or SVG file"
        hint = "save it in one of these formats; other files can hold pages and scripts"
        report(pos, message, "image-type", hint)
        return
    if not _is_svg(path):
        return
    result = _sanitised(path)
    if result.problem:
        message = f"image '{src}' cannot be published safely: {result.problem}"
        hint = "save it again as a plain SVG file (in Inkscape: Save As > Plain SVG)"
        report(pos, message, "svg-unreadable", hint)
    elif result.removed:
        message = f"image '{src}' has active content, which every format leaves out: " + ", ".join(
            result.removed
        )
        hint = "remove it from the SVG file; a published image must not run or load anything"
        report(pos, message, "svg-active-content", hint, Severity.WARNING)


def media_map(course: Course) -> dict[Path, MediaFile]:
    """Every image file the course shows, as every format publishes it: read, sanitised and
    named once per build, whichever formats are built."""
    holders = [course, *course.modules, *course.questions, *course.flashcards]
    images = [image for holder in holders for image in holder.images]
    paths = sorted({image.path for image in (*images, *filter(None, [course.logo]))})
    return {path: media_file(path) for path in paths}


def media_file(path: Path) -> MediaFile:
    """The image file ``path`` as every format publishes it: its bytes, and a name that is a
    hash of those bytes, then its file name.

    The hash keeps apart two images of one name (Anki flattens all media into one folder) and
    changes with the image. The name keeps only ASCII letters, digits, '_' and '-', so that
    it needs no escaping in a URL, a zip, an LMS or Anki, whatever the author called the
    file ('org chart é.svg' becomes '...-org-chart-e.svg'; an Arabic name, '...-image.svg').
    """
    data = image_bytes(path)
    return MediaFile(f"{hashlib.sha256(data).hexdigest()[:10]}-{ascii_name(path)}", data)


def image_bytes(path: Path) -> bytes:
    """The bytes every format writes for the image file ``path``."""
    if not _is_svg(path):
        return path.read_bytes()
    result = _sanitised(path)
    if result.problem:  # the file changed since validation accepted it
        raise CourseError(f"{path}: cannot be published safely: {result.problem}")
    return result.data


def ascii_name(path: PurePath) -> str:
    ascii_stem = unicodedata.normalize("NFKD", path.stem).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", ascii_stem).strip("-") or "image"
    return stem + re.sub(r"[^A-Za-z0-9.]", "", path.suffix)


def _is_svg(path: Path) -> bool:
    return path.suffix.lower() == ".svg"


def _sanitised(path: Path) -> Sanitised:
    stat = path.stat()
    return _sanitised_version(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=256)  # keyed by the file's version, so an edit is seen
def _sanitised_version(path: Path, mtime_ns: int, size: int) -> Sanitised:
    return sanitise(path.read_bytes())
