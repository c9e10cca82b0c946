"""The output folder as a transaction: build beside it, then swap it in atomically.

- Builds write into a staging folder next to the output folder; the old output is copied in
  first as hard links (cheap, and untouched by exporters, which replace files rather than
  edit them), so formats not rebuilt this time survive.
- On success the staging folder and the output folder trade places in one atomic step
  (Linux renameat2 RENAME_EXCHANGE), so a build killed at any moment leaves either the old
  output or the new one, complete; the old one is then deleted. Where the exchange is not
  available, two renames leave a moment with no output folder, never a half-written one.
- An exclusive lock beside the output folder makes concurrent builds into it take turns,
  and lets a build clear staging folders that a killed build left behind.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import fcntl
import os
import shutil
import tempfile
from pathlib import Path

from .errors import OutputError

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def write_new(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` as a new file, never through an existing one.

    In the staging folder an existing file is a hard link to the live output, which must
    not change unless the build succeeds.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    path.write_text(text, "utf-8")


class OutputTransaction:
    """``with OutputTransaction(out) as staging:`` build into staging; swapped in on success."""

    def __init__(self, out: Path):
        self.out = out
        self.prefix = f".coursegen-{out.name}-"
        self.lock_file = None
        self.path: Path | None = None

    def __enter__(self) -> Path:
        if self.out.exists() and not self.out.is_dir():
            raise OutputError(
                f"{self.out}: the output path is a file, not a folder; "
                "remove it or choose another with -o"
            )
        existing = next((p for p in self.out.parents if p.exists()), None)
        if existing is not None and not existing.is_dir():
            raise OutputError(
                f"{self.out}: {existing} is a file, so no folder can be made inside it; "
                "choose another output folder with -o"
            )
        try:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            self._lock()
            self._remove_leftovers()
            self.path = Path(tempfile.mkdtemp(prefix=self.prefix, dir=self.out.parent))
            if self.out.is_dir():
                shutil.copytree(
                    self.out, self.path, copy_function=_link_or_copy, dirs_exist_ok=True
                )
        except OSError as exc:
            self._finish()
            raise OutputError(
                f"{self.out}: cannot write the output folder: {exc.strerror or exc}"
            ) from None
        return self.path

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self._swap_in()
        finally:
            self._finish()

    def _lock(self) -> None:
        lock_path = self.out.parent / f"{self.prefix}lock"
        self.lock_file = open(lock_path, "a")  # noqa: SIM115 - held until _finish
        fcntl.flock(self.lock_file, fcntl.LOCK_EX)  # waits for another build to finish

    def _remove_leftovers(self) -> None:
        # We hold the lock, so any staging folder here belongs to a build that was killed.
        for leftover in self.out.parent.glob(f"{self.prefix}*"):
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)

    def _swap_in(self) -> None:
        try:
            if not self.out.exists():
                os.rename(self.path, self.out)
                self.path = None
            elif _exchange(self.path, self.out):
                pass  # self.path now holds the old output, removed in _finish
            else:
                old = self.path.with_name(self.path.name + "-old")
                os.rename(self.out, old)
                os.rename(self.path, self.out)
                self.path = old
        except OSError as exc:
            raise OutputError(
                f"{self.out}: cannot replace the output folder: {exc.strerror or exc}"
            ) from None

    def _finish(self) -> None:
        if self.path is not None:
            shutil.rmtree(self.path, ignore_errors=True)
            self.path = None
        if self.lock_file is not None:
            self.lock_file.close()  # releases the lock
            self.lock_file = None


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; False where the system cannot."""
    renameat2 = getattr(_libc(), "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    error = ctypes.get_errno()
    if error in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: not on this file system
        return False
    raise OSError(error, os.strerror(error))


def _libc():
    try:
        return ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    except OSError:
        return None


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)
