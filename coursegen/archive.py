"""Zip files that come out byte-for-byte the same from the same content.

Deflating is most of the cost of writing a zip, and a rebuild after one edit changes one
page of a site: so each member is deflated once per content (while reuse is on, see
reuse.py) and the archive is assembled from the deflated members. The standard library's
zipfile has no way to write data that is already deflated, hence the small writer below of
the format's three records (APPNOTE.TXT 4.3); zipfile itself reads every archive back in
the tests, and Anki imports the .apkg files written this way.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .errors import OutputError
from .reuse import Memo

_DOS_DATE = (1980 - 1980) << 9 | 1 << 5 | 1  # 1980-01-01, the earliest date a zip can hold
_DOS_TIME = 0
_DEFLATE = 8
_VERSION = 20  # 2.0: deflate
_UTF8_NAMES = 0x800
_UNIX_0644 = (0o100644 << 16) | 0  # external attributes: a regular file, rw-r--r--
_MADE_BY_UNIX = 3 << 8 | _VERSION
_LIMIT = 0xFFFFFFFF  # beyond this a member would need zip64, which this writer does not do


def write_zip(path: Path, entries: Iterable[tuple[str, bytes | Path]]) -> None:
    """Write ``entries`` (name, data) deflated, with fixed dates and permissions.

    Data given as a Path is streamed from that file, never held whole in memory (an Anki
    collection of 50,000 notes is 100 MB), and not remembered for reuse.

    An existing file is unlinked first, never truncated: in a staging folder it may be a hard
    link to the live output (see output.py), which must not change until the swap.
    """
    path.unlink(missing_ok=True)
    directory = []
    with open(path, "wb") as out:
        for name, data in entries:
            if isinstance(data, Path):
                member = _stream(out, name.encode(), data)
            else:
                crc, size, deflated = _deflated(data)
                member = _Member(name.encode(), crc, size, len(deflated), out.tell())
                out.write(member.local_header())
                out.write(deflated)
            directory.append(member)
        start = out.tell()
        for member in directory:
            out.write(member.central_header())
        size = out.tell() - start
        if len(directory) > 0xFFFF or start > _LIMIT:
            raise _too_large(str(path))
        out.write(
            struct.pack("<4s4H2LH", b"PK\5\6", 0, 0, len(directory), len(directory), size, start, 0)
        )


def zip_folder(folder: Path, path: Path) -> None:
    """Zip every file under ``folder`` (sorted, with paths relative to it) into ``path``."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    write_zip(path, ((p.relative_to(folder).as_posix(), p.read_bytes()) for p in files))


@dataclass(frozen=True, slots=True)
class _Member:
    name: bytes
    crc: int
    size: int
    deflated_size: int
    offset: int

    def __post_init__(self):
        if max(self.size, self.deflated_size, self.offset) > _LIMIT:
            raise _too_large(self.name.decode())

    def fields(self) -> tuple:
        flags = _UTF8_NAMES if not self.name.isascii() else 0
        sizes = (self.crc, self.deflated_size, self.size, len(self.name))
        return (_VERSION, flags, _DEFLATE, _DOS_TIME, _DOS_DATE, *sizes)

    def local_header(self) -> bytes:
        return struct.pack("<4s5H3L2H", b"PK\3\4", *self.fields(), 0) + self.name

    def central_header(self) -> bytes:
        return (
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\1\2",
                _MADE_BY_UNIX,
                *self.fields(),
                0,  # extra field length
                0,  # comment length
                0,  # disk number
                0,  # internal attributes
                _UNIX_0644,
                self.offset,
            )
            + self.name
        )


def _stream(out: BinaryIO, name: bytes, source: Path) -> _Member:
    """Deflate ``source`` into ``out`` piece by piece, then go back and fill in its header."""
    offset = out.tell()
    out.write(_Member(name, 0, 0, 0, offset).local_header())  # sizes not known yet
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    crc = size = written = 0
    with open(source, "rb") as data:
        while piece := data.read(1 << 20):
            crc, size = zlib.crc32(piece, crc), size + len(piece)
            written += out.write(compressor.compress(piece))
    written += out.write(compressor.flush())
    member = _Member(name, crc, size, written, offset)
    end = out.tell()
    out.seek(offset)
    out.write(member.local_header())
    out.seek(end)
    return member


def _too_large(what: str) -> OutputError:
    return OutputError(f"{what}: over 4 GB or 65,535 files, too large for a zip")


def _deflated(data: bytes) -> tuple[int, int, bytes]:
    """CRC-32, size and raw deflate stream of ``data``; remembered across builds by content."""
    key = hashlib.blake2b(data, digest_size=16).digest()
    found = _DEFLATED.get(key)
    if found is None:
        compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        found = (zlib.crc32(data), len(data), compressor.compress(data) + compressor.flush())
        _DEFLATED.put(key, found)
    return found


_DEFLATED = Memo(20_000)
