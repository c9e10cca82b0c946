"""The images that author text shows: found in every text field, checked, resolved to files.

Any Markdown field can show an image, so no field is picked out by name: the lesson body, and
every string of a file's YAML (front matter, manifest, a question, a flashcard) wherever it
sits, so that a field added later is checked without anyone having to remember it. Each file
found is checked as it will be published (media.py) at each place that shows it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from . import markup
from .errors import Report, SourcePos
from .media import check_image
from .model import Image
from .yamlio import position_of

# A URL, an absolute path, or a name no file can have (a NUL byte, written %00).
_NOT_A_PATH = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|/|\\)|\x00")
_OUTSIDE_HINT = "copy the image into the course and give its path relative to this file"


def images_in_text(
    text: str, folder: Path, start: SourcePos, root: Path, report: Report, *, lines: bool
) -> list[Image]:
    """Check the images ``text`` shows, with paths relative to ``folder`` inside ``root``.

    With ``lines`` each is placed on its own line counted from ``start`` (a lesson body);
    without, at ``start`` (a YAML value, whose lines a folded scalar has joined).
    """
    if "![" not in text:
        return []
    found = []
    for ref in markup.images(text):
        pos = replace(start, line=start.line + ref.line) if lines else start
        path = _resolve(ref, folder, root, pos, report)
        if not ref.alt.strip():
            report(
                pos,
                f"image '{ref.src}' has no alt text",
                "image-alt",
                "describe what the image shows: ![description](path)",
            )
        if path:
            check_image(ref.src, path, pos, report)
            found.append(Image(ref.src, ref.alt, path, pos))
    return found


def image_file(src: str, folder: Path, root: Path, pos: SourcePos, report: Report) -> Image | None:
    """Check the image file that a field names by its path ``src`` (a logo), as a Markdown
    image's is checked; the image is decorative (its alt text empty) beside its words."""
    ref = markup.ImageRef(src, "", 0)
    path = _resolve(ref, folder, root, pos, report)
    if path is None:
        return None
    check_image(src, path, pos, report)
    return Image(src, "", path, pos)


def images_in_data(data: Any, folder: Path, root: Path, report: Report) -> list[Image]:
    """Check the images of every string in loaded YAML ``data``."""
    return [
        image
        for text, pos in _texts(data)
        for image in images_in_text(text, folder, pos, root, report, lines=False)
    ]


def _texts(data: Any) -> Iterator[tuple[str, SourcePos]]:
    """Every string in ``data`` that may show an image, with its position."""
    keys = data.keys() if isinstance(data, dict) else range(len(data))
    for key in keys:
        value = data[key]
        if isinstance(value, str) and "![" in value:
            yield value, position_of(data, (key,)) or SourcePos("")
        elif isinstance(value, (dict, list)):
            yield from _texts(value)


def _resolve(
    ref: markup.ImageRef, folder: Path, root: Path, pos: SourcePos, report: Report
) -> Path | None:
    if _NOT_A_PATH.search(ref.path):
        report(
            pos, f"image '{ref.src}' is not a file inside the course", "image-path", _OUTSIDE_HINT
        )
        return None
    path = (folder / ref.path).resolve()
    if not path.is_relative_to(root):
        report(pos, f"image '{ref.src}' is outside the course folder", "image-path", _OUTSIDE_HINT)
        return None
    if not _is_file(path):
        looked = path.relative_to(root).as_posix()
        report(
            pos,
            f"image '{ref.src}' does not exist",
            "image-missing",
            f"check the file name; the path is relative to this file, so it names {looked}",
        )
        return None
    return path


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a name too long for the system, say
        return False
