"""Zip files that come out byte-for-byte the same from the same content."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold


def write_zip(path: Path, entries: Iterable[tuple[str, bytes]]) -> None:
    """Write ``entries`` (name, data) deflated, with fixed dates and permissions.

    An existing file is unlinked first, never truncated: in a staging folder it may be a hard
    link to the live output (see output.py), which must not change until the swap.
    """
    path.unlink(missing_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)


def zip_folder(folder: Path, path: Path) -> None:
    """Zip every file under ``folder`` (sorted, with paths relative to it) into ``path``."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    write_zip(path, ((p.relative_to(folder).as_posix(), p.read_bytes()) for p in files))
