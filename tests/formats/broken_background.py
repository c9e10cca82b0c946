"""A format whose disk fills up in the job it hands off: the build must fail and lose nothing."""

from __future__ import annotations

import errno
from pathlib import Path

from coursegen.exporters import BuildContext
from coursegen.model import Course


def export(course: Course, out_dir: Path, context: BuildContext) -> list[Path]:
    path = out_dir / "half-zipped.zip"

    def fill_the_disk() -> None:
        path.write_text("half")
        raise OSError(errno.ENOSPC, "No space left on device")

    context.in_background(fill_the_disk)
    return [path]
