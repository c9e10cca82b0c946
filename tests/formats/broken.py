"""A format whose disk fills up once it has written: the build must fail and lose nothing."""

from __future__ import annotations

import errno
from pathlib import Path

from coursegen.exporters import BuildContext
from coursegen.model import Course


def export(course: Course, out_dir: Path, context: BuildContext) -> list[Path]:
    (out_dir / "half-written.txt").write_text("half")
    raise OSError(errno.ENOSPC, "No space left on device")
