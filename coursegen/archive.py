"""Zip files that come out byte-for-byte the same from the same content.

Every member carries the same fixed metadata (1980-01-01, the earliest date a zip can hold; a
regular file rw-r--r-- made on Unix) and is deflated at zlib's default level, so the bytes
depend on the names and contents alone. zipfile adds zip64 records by itself when an archive
needs them: a member or archive over 4 GiB, or more than 65,535 members.
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Iterable
from pathlib import Path

_EPOCH = (1980, 1, 1, 0, 0, 0)
_UNIX = 3  # "made by" system: external attributes hold Unix permissions
_UNIX_0644 = 0o100644 << 16  # a regular file, rw-r--r--
_PIECE = 1 << 20


def write_zip(path: Path, entries: Iterable[tuple[str, bytes | Path]]) -> None:
    """Write ``entries`` (name, data) deflated, with fixed dates and permissions.

    Data given as a Path is streamed from that file, never held whole in memory (an Anki
    collection of 50,000 notes is 100 MB).

    An existing file is unlinked first, never truncated: in a staging folder it may be a hard
    link to the live output (see output.py), which must not change until the swap.
    """
    path.unlink(missing_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries:
            info = _info(name)
            if isinstance(data, Path):
                # The size up front lets zipfile choose zip64 before it writes the header.
                info.file_size = data.stat().st_size
                with open(data, "rb") as source, archive.open(info, "w") as member:
                    shutil.copyfileobj(source, member, _PIECE)
            else:
                archive.writestr(info, data)


def extend_zip(source: Path, path: Path, entries: Iterable[tuple[str, bytes]]) -> None:
    """Write a copy of the zip ``source`` with ``entries`` (name, data) added after its own.

    The copy's members are ``source``'s bytes as they are, deflated once for both zips (the
    SCORM package is the HTML site's zip with a few files more).
    """
    path.unlink(missing_ok=True)  # never truncated: see write_zip
    shutil.copyfile(source, path)
    with zipfile.ZipFile(path, "a") as archive:
        taken = set(archive.namelist())
        for name, data in entries:
            if name in taken:  # a zip may hold two members of one name, but no reader wants it
                raise ValueError(f"{source.name} already holds {name}")
            archive.writestr(_info(name), data)


def zip_folder(folder: Path, path: Path) -> None:
    """Zip every file under ``folder`` (sorted, with paths relative to it) into ``path``."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    write_zip(path, ((p.relative_to(folder).as_posix(), p) for p in files))


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, _EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = _UNIX  # zipfile would say Windows when run there
    info.external_attr = _UNIX_0644
    return info
