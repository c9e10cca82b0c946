"""Zip files that come out byte-for-byte the same from the same content.

Every member carries the same fixed metadata (1980-01-01, the earliest date a zip can hold; a
regular file rw-r--r-- made on Unix) and is deflated at the default level, so the bytes
depend on the names and contents alone (and on the deflater's version). zipfile adds zip64
records by itself when an archive needs them: a member or archive over 4 GiB, or more than
65,535 members. With the store (reuse.py), each member's content is deflated once: a rebuild
takes the deflated bytes of what an edit left unchanged (most of a site's pages, a QTI package's
quizzes) from there. A member over 16 MB (an Anki collection) is deflated in chunks that each
stand alone, so that a rebuild deflates anew only the chunks an edit changed (_ChunkedDeflater).
Members and chunks are found by their content's XXH3-128: every member is fingerprinted on every
build, and XXH3 does it ten times faster than BLAKE2b (85 MB at 10,000 questions: 0.01 s
against 0.09 s). It is no cryptographic hash, but the store is the user's own (store.py), and
bytes found for other content would not pass the member's CRC, computed from the content.

Members are deflated by zlib-ng, not by the zlib that zipfile uses: at the same level it
makes 2% more bytes in less than half the time (85 MB of a 10,000-question course's pages,
QTI items and Anki collection: 0.43 s against 1.0 s), and deflating is most of what a zip
costs. zipfile still writes the archive around them, and their CRCs.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import BinaryIO

import xxhash
from zlib_ng import zlib_ng

from . import reuse

_EPOCH = (1980, 1, 1, 0, 0, 0)
_UNIX = 3  # "made by" system: external attributes hold Unix permissions
_UNIX_0644 = 0o100644 << 16  # a regular file, rw-r--r--
_PIECE = 1 << 20
_READ_WHOLE = 16 << 20  # bytes of a member deflated whole; a larger one is streamed, in chunks
_CHUNK = 1 << 18  # bytes of a large member deflated as one chunk
_WINDOW = 1 << 15  # what deflate can refer back to: the dictionary each chunk starts from


def write_zip(
    path: Path,
    entries: Iterable[tuple[str, bytes | Path]],
    deflated: Mapping[bytes, bytes] | None = None,
) -> None:
    """Write ``entries`` (name, data) deflated, with fixed dates and permissions.

    ``deflated``: members deflated ahead, by another process of the build maybe
    (``deflate_ahead``), by their content's fingerprint; those are not deflated again.

    Data given as a Path is read from that file; a large one (an Anki collection of 50,000
    notes is 100 MB) is streamed, never held whole in memory.

    An existing file is unlinked first, never truncated: in a staging folder it may be a hard
    link to the live output (see output.py), which must not change until the swap.
    """
    path.unlink(missing_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries:
            info = _info(name)
            size = data.stat().st_size if isinstance(data, Path) else len(data)
            if size > _READ_WHOLE:
                # The size up front lets zipfile choose zip64 before it writes the header.
                info.file_size = size
                with _reader(data) as source, archive.open(info, "w") as member:
                    _deflate_with(member, _ChunkedDeflater())
                    shutil.copyfileobj(source, member, _PIECE)
            else:
                content = data.read_bytes() if isinstance(data, Path) else data
                _write_member(archive, info, content, deflated)


def _reader(data: bytes | Path) -> BinaryIO:
    return data.open("rb") if isinstance(data, Path) else io.BytesIO(data)


def _write_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, data: bytes, ahead: Mapping | None = None
) -> None:
    """``data`` as a member, as ``writestr`` writes it, deflated once per content: with the
    store (reuse.py), a rebuild takes an unchanged member's deflated bytes from it."""
    info.file_size = len(data)  # as writestr sets it, for zipfile's choice of zip64
    # Fingerprinted only to be looked up (ahead, or in the store); --no-cache needs neither.
    digest = xxhash.xxh3_128_digest(data) if ahead or reuse.storing() else b""
    deflated = ahead.get(digest) if ahead else None
    if deflated is None:
        deflated = _deflated(data, digest)
    with archive.open(info, "w") as member:
        _deflate_with(member, _Deflated(deflated))
        member.write(data)  # the CRC and sizes come from the data, as ever


def _deflate_with(member, compressor) -> None:
    """Have zipfile's member writer deflate through ``compressor`` in place of its own zlib.

    zipfile has no way in for another deflater but its member's compressor. Should that name
    ever change, members are deflated by zipfile's zlib: a valid zip still, of other bytes
    (test_archive checks that the name exists).
    """
    if hasattr(member, "_compressor"):
        member._compressor = compressor


def deflate_ahead(data: bytes) -> tuple[bytes, bytes]:
    """``data``'s fingerprint and its bytes deflated, for a zip written later, perhaps by
    another process (``write_zip``'s ``deflated``). So the HTML site's module pages are
    deflated by whichever process rendered them, not all at the end by the one that zips
    the site (0.75 s at 50,000 questions)."""
    digest = xxhash.xxh3_128_digest(data)
    return digest, _deflated(data, digest)


def _deflated(data: bytes, digest: bytes) -> bytes:
    """``data`` (whose XXH3-128 is ``digest``) deflated: with the store, as it keeps it."""
    if not reuse.storing():
        return _deflate(data)
    return _DEFLATED.through((digest,), lambda: _deflate(data))


def _deflate(data: bytes) -> bytes:
    """``data`` deflated as a zip member (raw, at the default level)."""
    compressor = _compressor()
    return compressor.compress(data) + compressor.flush()


def _compressor():
    """A raw deflater at the default level, as zipfile makes one, but zlib-ng's."""
    return zlib_ng.compressobj(zlib_ng.Z_DEFAULT_COMPRESSION, zlib_ng.DEFLATED, -15)


class _ChunkedDeflater:
    """Deflates a large member as pigz does, in chunks that each stand alone: a chunk is
    deflated from the 32 KiB before it as its dictionary and ends on a byte boundary (a sync
    flush), so the member's deflated bytes are its chunks' one after another, and each
    chunk's depend on that chunk and those 32 KiB alone. So the store can keep them by
    content: an edit of one note changes two of an Anki collection's 4,700 pages at 10,000
    questions, and a rebuild deflates anew the chunks that hold them, not the whole 19 MB.
    The chunks cost the member about 5 bytes each."""

    def __init__(self):
        self.pending = bytearray()  # what is not yet a whole chunk
        self.window = b""  # the 32 KiB before the next chunk

    def compress(self, data) -> bytes:
        self.pending += data
        deflated = []
        while len(self.pending) > _CHUNK:  # the last chunk, even if whole, waits for flush
            chunk = bytes(self.pending[:_CHUNK])
            del self.pending[:_CHUNK]
            deflated.append(self._deflate(chunk, last=False))
        return b"".join(deflated)

    def flush(self) -> bytes:
        return self._deflate(bytes(self.pending), last=True)

    def _deflate(self, chunk: bytes, last: bool) -> bytes:
        window, self.window = self.window, (self.window + chunk)[-_WINDOW:]
        if not reuse.storing():
            return _deflate_chunk(window, chunk, last)
        digest = xxhash.xxh3_128(window)
        digest.update(chunk)
        key = (digest.digest(), len(window), last)
        return _DEFLATED_CHUNKS.through(key, lambda: _deflate_chunk(window, chunk, last))


def _deflate_chunk(window: bytes, chunk: bytes, last: bool) -> bytes:
    """``chunk`` deflated (raw) as it follows ``window``; ending the stream if ``last``."""
    if window:
        level, method = zlib_ng.Z_DEFAULT_COMPRESSION, zlib_ng.DEFLATED
        compressor = zlib_ng.compressobj(level, method, -15, zdict=window)
    else:
        compressor = _compressor()
    return compressor.compress(chunk) + compressor.flush(
        zlib_ng.Z_FINISH if last else zlib_ng.Z_SYNC_FLUSH
    )


class _Deflated:
    """Stands in for zipfile's compressor of a member whose deflated bytes are known."""

    def __init__(self, deflated: bytes):
        self.deflated = deflated

    def compress(self, data) -> bytes:
        return b""

    def flush(self) -> bytes:
        return self.deflated


# Members deflated by earlier builds, by content (in the store only: serve writes no zip).
_DEFLATED = reuse.Memo("deflated", 10_000, packed=False)
_DEFLATED_CHUNKS = reuse.Memo("deflated-chunks", 10_000, packed=False)


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
            _write_member(archive, _info(name), data)


def zip_folder(folder: Path, path: Path, deflated: Mapping[bytes, bytes] | None = None) -> None:
    """Zip every file under ``folder`` (sorted, with paths relative to it) into ``path``;
    ``deflated`` as for ``write_zip``."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    write_zip(path, ((p.relative_to(folder).as_posix(), p) for p in files), deflated)


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, _EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = _UNIX  # zipfile would say Windows when run there
    info.external_attr = _UNIX_0644
    return info
