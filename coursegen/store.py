"""What earlier builds made, kept on disk, so that a fresh `coursegen build` after an edit
redoes only what the edit changed (reuse.py's memos read and write it).

Where: the user's cache folder, one folder per course folder and language:
``$COURSEGEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/coursegen`` (``~/.cache/coursegen``),
``~/Library/Caches/coursegen`` on macOS, ``%LOCALAPPDATA%\\coursegen\\Cache`` on Windows.
Not in the output folder: each build swaps that folder whole, it is what gets published
(``-o`` may name a web server's folder), and the cache holds pickles, which must only ever
be read from a place that the user alone writes.

Every value is stored under a fingerprint of everything it is made from (its memo's key,
pickled), so a value found is always the value a clean build would make. The code that made
it is part of the key too: a store written by other code (another version, an edited
checkout, other libraries) is not read at all.

A course's folder holds ``current``, which names the generation to read and the code that
wrote it, and one folder per generation. Each process of a build (the first and those it
forks) writes the records it made into files of its own in a new generation, which becomes
current when the build ends; the records it used are carried over from the last generation:
each of its files that they are at least half of is linked into the new one as it is (a
rebuild after one edit rewrites none of the 30 MB that a 10,000-question course keeps), and
they are copied out of the others. So the store keeps what the last build used, and at most as
much again, and a build that fails or is killed leaves the last one's store as it was. A record
is the key's fingerprint (16 bytes), the value's length (4 bytes), the value's XXH3-64 (8
bytes: the check against damage on disk, made of every value written and read, five times as
quick as CRC-32), whether it is packed (1 byte) and the pickled value, packed (deflated by
zlib-ng at level 1) unless it is small or its memo's values are compressed already. Packed,
a 10,000-question course's store is 30 MB, not 154, and a 50,000-question one's 150 MB, not
763: where coursegen is measured, writes past 200 MB or so at once are ten times slower, and
a first build of 50,000 questions paid 0.7 s of 7 s for it (HTML alone). At 10,000 packing
costs about what it saves, and a rebuild pays about 5% to unpack what it reuses. Anything
wrong with the store (missing, damaged, unwritable) costs only its reuse, never the build.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import importlib.util
import io
import mmap
import os
import pickle
import platform
import shutil
import struct
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import xxhash
from zlib_ng import zlib_ng

from .model import Flashcard, Module, Question
from .reuse import ByContent

# The key's fingerprint, the value's length, its XXH3-64, and whether it is packed.
_HEADER = struct.Struct("<16sIQ?")
_PACK_FROM = 1 << 12  # bytes of a pickled value worth packing: smaller ones are kept as they are
_FOUND = "found"  # a forked process's list of the records it found, for the first to carry
_FLUSH_AT = 1 << 20  # bytes of records kept in memory before they are written out
# The libraries whose output a stored value may contain; an upgrade of any starts afresh.
# zlib-ng among them: the store keeps deflated bytes, which another version may deflate otherwise.
_LIBRARIES = ("jinja2", "markupsafe", "markdown_it", "nh3", "genanki", "babel", "yaml")
_LIBRARIES += ("pydantic", "zlib_ng")
_UNUSED_FOR = 30 * 24 * 3600  # a course folder's store not used for this long is removed
_SHARED = (Module, Question, Flashcard)  # parts of many keys: see Store.fingerprint
_LONG_TEXT = 1 << 16  # characters of a text in a key (a bank's) worth fingerprinting once


def cache_root() -> Path:
    """The folder that holds every course's store (see the module's docstring)."""
    if os.environ.get("COURSEGEN_CACHE_DIR"):
        return Path(os.environ["COURSEGEN_CACHE_DIR"])
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home()) / "coursegen" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "coursegen"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "coursegen"


class Store:
    """One course's store, open for one build."""

    def __init__(self, folder: Path, code: str):
        self.folder, self.code = folder, code
        self.generation = f"{os.getpid()}-{time.time_ns()}"
        self.new = folder / self.generation
        self.old = self._current()
        self.pid = os.getpid()  # the build's first process, which commits it
        self.read: dict[str, dict[bytes, memoryview]] = {}  # per memo, by fingerprint
        self.old_files: dict[str, list[_OldFile]] = {}  # per memo, what self.read is read from
        # Records of this process not yet written, in pieces (a header, a value), by memo.
        self.pending: dict[str, list[bytes | memoryview]] = {}
        self.pending_size: dict[str, int] = {}
        self.kept: set[tuple[str, bytes]] = set()  # (memo, fingerprint) of records found
        self.kept_here: list[tuple[str, bytes]] = []  # found in this process (see flush)
        self.digests: dict[int, tuple[object, bytes]] = {}  # see fingerprint

    @classmethod
    def open(cls, course_dir: Path, language: str | None) -> Store | None:
        """The store of ``course_dir`` in ``language``; None if it cannot be made."""
        key = f"{course_dir.resolve()}\0{language or ''}".encode()
        folder = cache_root() / "builds" / hashlib.blake2b(key, digest_size=12).hexdigest()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return None
        return cls(folder, code_version())

    def _current(self) -> Path | None:
        try:
            generation, code = (self.folder / "current").read_text("utf-8").split("\n")[:2]
        except (OSError, ValueError):
            return None
        return self.folder / generation if code == self.code and generation else None

    # --- reading and writing values ----------------------------------------------------

    def get(self, memo: str, key: Any) -> Any:
        """The value stored for ``key`` in ``memo``, or None; one found is kept for the next
        build."""
        # A memo the last build left nothing in (a first build's) is not worth a fingerprint.
        return self._found(memo, self.fingerprint(key)) if self._records(memo) else None

    def through(self, memo: str, key: Any, make: Callable[[], Any], pack: bool = True) -> Any:
        """The value stored for ``key`` in ``memo``, else ``make()``, stored (packed, if
        ``pack`` and large): ``key`` fingerprinted once for both."""
        fingerprint = self.fingerprint(key)
        value = self._found(memo, fingerprint)
        if value is None:
            value = make()
            self._put(memo, fingerprint, value, pack)
        return value

    def _found(self, memo: str, fingerprint: bytes) -> Any:
        record = self._records(memo).get(fingerprint)
        if record is None:
            return None
        _, _, check, packed = _HEADER.unpack_from(record)
        data = record[_HEADER.size :]
        if xxhash.xxh3_64_intdigest(data) != check:
            return None  # damaged on disk: only a value to make again
        try:
            value = pickle.loads(zlib_ng.decompress(data, -15) if packed else data)
        except Exception:  # noqa: BLE001 - written by a process that broke off, say
            return None
        if (memo, fingerprint) not in self.kept:  # asked twice, kept once
            self.kept.add((memo, fingerprint))
            self.kept_here.append((memo, fingerprint))
        return value

    def put(self, memo: str, key: Any, value: Any, pack: bool = True) -> bytes:
        """Store ``value`` for ``key`` in ``memo`` (packed, if ``pack`` and large), for the
        next build; the value pickled."""
        return self._put(memo, self.fingerprint(key), value, pack)

    def _put(self, memo: str, fingerprint: bytes, value: Any, pack: bool) -> bytes:
        data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        packed = pack and len(data) >= _PACK_FROM
        # Raw deflate, without zlib's own Adler-32: the XXH3-64 checks the bytes already.
        kept = zlib_ng.compress(data, 1, -15) if packed else data
        check = xxhash.xxh3_64_intdigest(kept)
        self._keep(memo, _HEADER.pack(fingerprint, len(kept), check, packed), kept)
        return data

    def fingerprint(self, key: Any) -> bytes:
        """BLAKE2b of ``key`` pickled as its content alone: without pickle's memo, equal
        keys pickle alike whichever of their parts are shared objects. A module, question or
        long text (a bank's) in a key's tuple, or a tuple of them (a module's questions),
        stands as its own fingerprint, made once per build (or from where it comes from:
        name_by_origin): they are large, and many keys hold the same ones."""
        if type(key) is tuple:
            key = tuple(map(self._as_digest, key))
        return _digest(key)

    def _as_digest(self, part: Any) -> Any:
        if type(part) is ByContent:
            return _digest(tuple(part))
        if isinstance(part, _SHARED) or (type(part) is str and len(part) > _LONG_TEXT):
            return self.digest_of(part)
        if type(part) is tuple and part and isinstance(part[0], _SHARED):
            known = self.digests.get(id(part))  # a module's questions: in many keys
            if known is None:
                known = self.digests[id(part)] = (part, b"".join(map(self.digest_of, part)))
            return known[1]
        return part

    def digest_of(self, part: Any) -> bytes:
        """The fingerprint of a module, question, flashcard or long text (a bank's), made
        once per build."""
        known = self.digests.get(id(part))
        if known is None:  # the part itself is kept, so its id is never another's
            known = self.digests[id(part)] = (part, _digest(part))
        return known[1]

    def name_by_origin(self, parts: Sequence[Any], origin: Any) -> None:
        """Fingerprint each of ``parts`` by ``origin`` and its place there, not by its content:
        for parts that are a function of their origin alone (a bank's questions, of the
        bank's text and its module), that is as sound, and costs no pickling. A part's name
        is the origin's fingerprint and the part's place, as they are: 20 bytes, which no
        content's fingerprint (16) is, made in a seventh of the time a keyed hash of them
        takes (0.5 us a question, in both processes of a build)."""
        base = self.fingerprint(origin)
        for i, part in enumerate(parts):
            self.digests[id(part)] = (part, base + i.to_bytes(4, "little"))

    def _records(self, memo: str) -> dict[bytes, memoryview]:
        if memo not in self.read:
            self.old_files[memo] = _read_records(self.old, memo) if self.old else []
            self.read[memo] = {k: v for old in self.old_files[memo] for k, v in old.records.items()}
        return self.read[memo]

    def _keep(self, memo: str, *pieces: bytes | memoryview) -> None:
        pending = self.pending.setdefault(memo, [])
        pending += pieces
        self.pending_size[memo] = self.pending_size.get(memo, 0) + sum(map(len, pieces))
        if self.pending_size[memo] >= _FLUSH_AT:
            self._write(memo)

    def _write(self, memo: str) -> None:
        pieces = self.pending.pop(memo, None)
        self.pending_size.pop(memo, None)
        if not pieces:
            return
        try:
            self.new.mkdir(exist_ok=True)
            # Named for this build and process: never an old file linked into this generation.
            with open(self.new / f"{memo}.{self.generation}-{os.getpid()}", "ab") as file:
                file.writelines(pieces)
        except OSError:
            pass  # that memo's records are lost to the next build: it makes them again

    # --- the processes of a build ---------------------------------------------------------

    def flush(self) -> None:
        """Write what this process made, and in a forked process the names of the records it
        found, for the first to carry over; a forked process calls it before it ends."""
        for memo in list(self.pending):
            self._write(memo)
        if os.getpid() != self.pid and self.kept_here:
            try:
                self.new.mkdir(exist_ok=True)
                data = pickle.dumps(self.kept_here, pickle.HIGHEST_PROTOCOL)
                (self.new / f"{_FOUND}.{os.getpid()}").write_bytes(data)
            except OSError:
                pass  # those records are lost to the next build: it makes them again

    def forked(self) -> None:
        """In a forked child: the parent writes its own records, not the child."""
        self.pending, self.pending_size, self.kept_here = {}, {}, []

    def commit(self) -> None:
        """Make this build's records the store the next build reads (the build has ended, and
        every process it forked with it)."""
        try:
            self.new.mkdir(exist_ok=True)
            self._carry_found(self.kept | self._found_by_forked())
            self.flush()
            self._carry_unused_memos()
            current = self.folder / f".current.{os.getpid()}"
            current.write_text(f"{self.generation}\n{self.code}\n", "utf-8")
            os.replace(current, self.folder / "current")
        except OSError:
            return
        self._remove_old()

    def discard(self) -> None:
        """Forget this build's records: it failed, and the last one's store stays current."""
        self.pending, self.pending_size = {}, {}
        shutil.rmtree(self.new, ignore_errors=True)

    def _found_by_forked(self) -> set[tuple[str, bytes]]:
        found = set()
        for path in self.new.glob(f"{_FOUND}.*"):
            with contextlib.suppress(Exception):  # cut short: those records are made again
                found.update(pickle.loads(path.read_bytes()))
            path.unlink()
        return found

    def _carry_found(self, found: set[tuple[str, bytes]]) -> None:
        """Carry the records the build found into the new generation: an old file linked
        whole while they are at least half of it, else those records copied out of it."""
        by_memo: dict[str, set[bytes]] = {}
        for memo, fingerprint in found:
            by_memo.setdefault(memo, set()).add(fingerprint)
        for memo, fingerprints in by_memo.items():
            self._records(memo)  # a forked process may have read a memo that this one did not
            for old in self.old_files[memo]:
                live = [r for f, r in old.records.items() if f in fingerprints]
                if 2 * sum(map(len, live)) < old.size or not _linked(old.path, self.new):
                    self._keep(memo, *live)

    def _carry_unused_memos(self) -> None:
        """Memos this build never asked (a build of other formats) keep the last build's."""
        if self.old is None or not self.old.is_dir():
            return
        used = {path.name.rsplit(".", 1)[0] for path in self.new.iterdir()} | set(self.read)
        for path in self.old.iterdir():
            if path.name.rsplit(".", 1)[0] not in used:
                os.replace(path, self.new / path.name)

    def _remove_old(self) -> None:
        for path in self.folder.iterdir():
            if path.is_dir() and path.name != self.generation:
                shutil.rmtree(path, ignore_errors=True)
        for course in self.folder.parent.iterdir():  # courses not built for a long time
            try:
                if time.time() - (course / "current").stat().st_mtime > _UNUSED_FOR:
                    shutil.rmtree(course, ignore_errors=True)
            except OSError:
                continue


def _digest(value: Any) -> bytes:
    buffer = io.BytesIO()
    pickler = _ContentPickler(buffer, pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # no memo: see Store.fingerprint
    pickler.dump(value)
    return hashlib.blake2b(buffer.getbuffer(), digest_size=16).digest()


class _ContentPickler(pickle.Pickler):
    """Pickles a question as its fields alone, not with what is remembered beside them (its
    hash, which differs from process to process, and parts parsed from its text): so that a
    question fingerprints the same in every build, whatever this one has asked of it."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, Question):
            return type(obj), tuple(getattr(obj, name) for name in _field_names(type(obj)))
        return NotImplemented


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(cls))


class _OldFile(NamedTuple):
    """One of a memo's files in the last generation, and its records by fingerprint."""

    path: Path
    size: int
    records: dict[bytes, memoryview]


def _read_records(generation: Path, memo: str) -> list[_OldFile]:
    """Every file a generation holds for ``memo`` with its records (mapped, not read)."""
    try:
        paths = sorted(generation.glob(f"{memo}.*"))
    except OSError:
        return []
    files = []
    for path in paths:
        try:
            with open(path, "rb") as file:
                data = memoryview(mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ))
        except (OSError, ValueError):  # ValueError: an empty file
            continue
        records, at = {}, 0
        while at + _HEADER.size <= len(data):
            fingerprint, size, _, _ = _HEADER.unpack_from(data, at)
            end = at + _HEADER.size + size
            if end > len(data):
                break  # cut short: a process ended while writing
            records[fingerprint] = data[at:end]
            at = end
        files.append(_OldFile(path, len(data), records))
    return files


def _linked(path: Path, folder: Path) -> bool:
    """Whether ``path`` is now also in ``folder``, as a hard link (no bytes copied)."""
    try:
        os.link(path, folder / path.name)
    except OSError:  # a file system without hard links, say
        return False
    return True


def code_version() -> str:
    """A fingerprint of the code a build runs: coursegen's files (their names, sizes and
    times), Python's version and those of the libraries whose output is stored."""
    # The machine's architecture too: zlib-ng may deflate otherwise on another (a home folder
    # shared between machines).
    digest = hashlib.blake2b(f"{sys.version}\n{platform.machine()}".encode(), digest_size=16)
    package = Path(__file__).parent
    for root, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            stat = os.stat(os.path.join(root, name))
            digest.update(f"{root}/{name}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    for library in _LIBRARIES:
        spec = importlib.util.find_spec(library)
        origin = spec.origin if spec and spec.origin else library
        try:
            stat = os.stat(origin)
            digest.update(f"{origin}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
        except OSError:
            digest.update(f"{origin}\n".encode())
    return digest.hexdigest()
