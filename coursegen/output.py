"""The output folder as a transaction: build beside it, then swap it in atomically.

- Builds write into a staging folder next to the output folder; the old output is linked in
  first (hard links: cheap), so formats not rebuilt this time survive. Folders are made
  anew, with the modes a plain mkdir gives under the user's umask, whatever the old ones had.
- Each format writes into a fresh empty folder of its own (``fresh_folder``), never into
  the staging folder, whose files are links to the live output: a format writing a file in
  place would write through to the live output. Before the swap, each file or folder a
  format made replaces the one of the same name in staging.
- On success the staging folder and the output folder trade places in one atomic step
  (Linux renameat2 RENAME_EXCHANGE), so a build killed at any moment leaves either the old
  output or the new one, complete; the old one is then deleted. Where the exchange is not
  available, two renames leave a moment with no output folder, never a half-written one.
- A file the build keeps in the course (the Anki lock) is written aside, beside the staging
  folder, by the process that made it, and moved into place once the output is swapped in
  (copied, where the course is on another file system): a failed build leaves it as it was.
- An exclusive lock beside the output folder makes concurrent builds into it take turns,
  and lets a build clear staging folders that a killed build left behind.
"""

from __future__ import annotations

import errno
import fcntl
import os
import secrets
import shutil
import stat
from pathlib import Path

from .errors import CourseError, OutputError

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
# Folders a build must never replace, even when the course is not inside them.
_SYSTEM_FOLDERS = frozenset(
    Path(p)
    for p in (
        "/",
        "/bin",
        "/boot",
        "/dev",
        "/etc",
        "/home",
        "/lib",
        "/lib64",
        "/media",
        "/mnt",
        "/opt",
        "/proc",
        "/root",
        "/run",
        "/sbin",
        "/srv",
        "/sys",
        "/tmp",
        "/usr",
        "/var",
        "/usr/local",
        "/var/tmp",
    )
)


def check_output_folder(out: Path, course_dir: Path) -> None:
    """Refuse an output folder whose swap would replace the course or a system folder.

    The swap replaces the whole output folder, so it must be a folder of its own: never the
    course, a folder holding it, a course folder such as ``modules/``, or ``/``.
    """
    target, course = out.resolve(), course_dir.resolve()
    own = course / "output"
    if target == course or course.is_relative_to(target):
        problem = "is the course folder" if target == course else "holds the course folder"
    elif target.is_relative_to(course) and not target.is_relative_to(own):
        problem = "lies inside the course folder"
    elif target in _SYSTEM_FOLDERS or target == Path.home():
        problem = "is a system folder"
    else:
        return
    raise OutputError(
        f"{out}: the output folder {problem}, and a build replaces its output folder whole; "
        f"choose a folder of its own, such as {course_dir / 'output'} (the default)"
    )


class OutputTransaction:
    """``with OutputTransaction(out) as output:`` formats write into
    ``output.fresh_folder(name)``; all is swapped in on success."""

    def __init__(self, out: Path):
        self.out = out
        self.prefix = f".coursegen-{out.name}-"
        self.lock_file = None
        self.path: Path | None = None
        self.fresh: list[tuple[Path, tuple[str, ...]]] = []
        self.aside: Path | None = None  # files that go elsewhere once the output is in place
        self.placed: list[tuple[Path, Path]] = []  # (file aside, where it goes)

    def fresh_folder(self, name: str, owns: tuple[str, ...] = ()) -> Path:
        """An empty folder for one format's files, moved into the output on success; the
        previous build's ``owns`` (names in the output) are removed then."""
        folder = self.path / f".coursegen-format-{name}"
        folder.mkdir()
        self.fresh.append((folder, owns))
        return folder

    def aside_file(self, name: str) -> Path:
        """A path to write a file at that goes elsewhere once the output is swapped in (a
        format's state file, kept in the course: ``place_after_swap``). It is beside the
        staging folder, so a killed build's is cleared with it by the next build."""
        if self.aside is None:
            self.aside = _make_staging(self.out.parent, f"{self.prefix}aside-")
        return self.aside / name

    def place_after_swap(self, written: Path, target: Path) -> None:
        """Move ``written`` (an ``aside_file``) to ``target`` once the new output is in place;
        a failed build leaves ``target`` as it was."""
        self.placed.append((written, target))

    def __enter__(self) -> OutputTransaction:
        if self.out.exists() and not self.out.is_dir():
            raise OutputError(
                f"{self.out}: the output path is a file, not a folder; "
                "remove it or choose another output folder"
            )
        existing = next((p for p in self.out.parents if p.exists()), None)
        if existing is not None and not existing.is_dir():
            raise OutputError(
                f"{self.out}: {existing} is a file, so no folder can be made inside it; "
                "choose another output folder"
            )
        try:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            self._lock()
            self._remove_leftovers()
            self.path = _make_staging(self.out.parent, self.prefix)
            if self.out.is_dir():
                _link_tree(self.out, self.path)
        except OSError as exc:
            self._finish()
            raise OutputError(
                f"{self.out}: cannot write the output folder: {exc.strerror or exc}"
            ) from None
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self._adopt_fresh()
                self._swap_in()
                self._place()
        except OSError as exc:
            raise OutputError(
                f"{self.out}: cannot replace the output folder: {exc.strerror or exc}"
            ) from None
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
                remove_tree(leftover)

    def _adopt_fresh(self) -> None:
        """Put each file and folder the formats made in place of the old one."""
        for folder, owns in self.fresh:
            entries = sorted(folder.iterdir())
            for name in {*owns, *(entry.name for entry in entries)}:
                _remove(self.path / name)
            for entry in entries:
                entry.rename(self.path / entry.name)
            folder.rmdir()
        self.fresh = []

    def _swap_in(self) -> None:
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

    def _place(self) -> None:
        for written, target in self.placed:
            try:
                os.replace(written, target)
            except OSError as exc:
                if exc.errno != errno.EXDEV:
                    raise CourseError(f"{target}: cannot write: {exc.strerror or exc}") from None
                write_atomically(target, written.read_bytes())  # the course is elsewhere
        self.placed = []

    def _finish(self) -> None:
        for path in (self.path, self.aside):
            if path is not None:
                remove_tree(path)
        self.path = self.aside = None
        if self.lock_file is not None:
            self.lock_file.close()  # releases the lock
            self.lock_file = None


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` whole: a reader sees the old bytes or the new. For the
    files a build or a command keeps in the course (the Anki lock, translation files)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise CourseError(f"{path}: cannot write: {exc.strerror or exc}") from None


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; False where the system cannot."""
    import ctypes  # here, at a build's last step, not at the start of every command

    try:  # the symbols the interpreter is linked with, the C library's among them
        renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    except (OSError, TypeError):
        return False
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    error = ctypes.get_errno()
    if error in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: not on this file system
        return False
    raise OSError(error, os.strerror(error))


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        remove_tree(path)
    else:
        path.unlink(missing_ok=True)


def remove_tree(path: Path) -> None:
    """Delete a folder we made, even one made read-only since; leave what still resists.

    What cannot be deleted (a file of another user's) stays for the next build to retry.
    """

    def allow_and_retry(_function, name: str, _exc_info) -> None:
        try:
            for folder in (os.path.dirname(name), name):
                if os.path.isdir(folder) and not os.path.islink(folder):
                    os.chmod(folder, os.stat(folder).st_mode | stat.S_IRWXU)
            if os.path.isdir(name) and not os.path.islink(name):
                remove_tree(Path(name))
            elif os.path.lexists(name):
                os.unlink(name)
        except OSError:
            pass

    shutil.rmtree(path, onerror=allow_and_retry)


def _make_staging(parent: Path, prefix: str) -> Path:
    # Not tempfile.mkdtemp: its folder is private (0700), and the staging folder becomes
    # the output folder, which a web server's user may need to read.
    while True:
        path = parent / f"{prefix}{secrets.token_hex(4)}"
        try:
            path.mkdir()
            return path
        except FileExistsError:
            continue


def _link_tree(src: Path, dst: Path) -> None:
    """Fill ``dst`` with hard links to the files under ``src``; links stay links."""
    for entry in os.scandir(src):
        target = dst / entry.name
        if entry.is_symlink():
            os.symlink(os.readlink(entry.path), target)
        elif entry.is_dir():
            target.mkdir()
            _link_tree(Path(entry.path), target)
        else:
            try:
                os.link(entry.path, target)
            except OSError:  # another file system, or links not allowed there
                shutil.copyfile(entry.path, target)
