"""Work split between this process and one forked beside it, on a machine with two cores.

A build is pure Python, so threads would take turns on one core; a forked process shares
the validated course copy-on-write (the build has frozen it out of the garbage collector's
reach, so the child does not touch its pages) and needs nothing sent to it. Only results
come back, pickled through a pipe. Sphinx's parallel build (``sphinx/util/parallel.py``)
works the same way.

The child never returns into the caller's code: whatever happens it ends with ``os._exit``,
so no ``finally``, ``atexit`` handler or buffered output of the parent runs twice. An error
in the child is raised in the parent as if the parent had run that work; a child killed by a
signal is an error of its own. Where fork is missing or unsafe (Windows, macOS), on one core,
in `coursegen serve` or with ``COURSEGEN_JOBS=1``, everything runs here, one after the other,
with the same results.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import pickle
import select
import shutil
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Generic, TypeVar

from . import reuse
from .errors import CourseError

T = TypeVar("T")
U = TypeVar("U")
R = TypeVar("R")

_PR_SET_PDEATHSIG = 1
# Set in both processes while they share work: two cores are busy, and a further split
# would only hold a third copy of what the work touches.
_sharing = False
# While they share: the other process's pid, and whether it is this one's child.
_peer: tuple[int, bool] | None = None


def available() -> bool:
    """Whether work can be split: Linux (fork is safe there), two cores, not turned off, and
    no work reused in this process (serve's caches would not learn what a child made)."""
    if _sharing or os.environ.get("COURSEGEN_JOBS", "").strip() == "1" or reuse.enabled():
        return False
    if not sys.platform.startswith("linux"):
        return False
    return len(os.sched_getaffinity(0)) >= 2


def beside(child_work: Callable[[], T], own_work: Callable[[], U]) -> tuple[T, U]:
    """``child_work()`` in a forked process while this one runs ``own_work()``; both results."""
    if not available():
        return child_work(), own_work()
    parent = os.getpid()
    pending = start(lambda: _shared(child_work, (parent, False)))
    try:
        own = _shared(own_work, (pending.pid, True))
    except BaseException:
        pending.cancel()
        raise
    return pending.result(), own


def _shared(work: Callable[[], T], peer: tuple[int, bool]) -> T:
    global _sharing, _peer
    _sharing, _peer = True, peer
    try:
        return work()
    finally:
        _sharing, _peer = False, None


def start(work: Callable[[], T]) -> Pending[T]:
    """``work()`` begun in a forked process (only where ``available()``)."""
    read_end, write_end = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        _run_child(work, write_end, parent)
    os.close(write_end)
    return Pending(pid, read_end)


class Pending(Generic[T]):
    """Work running in a forked process."""

    def __init__(self, pid: int, read_end: int):
        self.pid, self.read_end = pid, read_end

    def result(self) -> T:
        """Wait for the work: what it returned, or what it raised, raised here."""
        with os.fdopen(self.read_end, "rb") as pipe:
            payload = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        if not payload or os.waitstatus_to_exitcode(status) != 0:
            raise CourseError(
                f"a build process ({_ended(status)}) stopped before it finished its share of "
                "the work; build again, or with COURSEGEN_JOBS=1 to build in one process"
            )
        ok, value = pickle.loads(payload)
        if not ok:
            raise value
        return value

    def cancel(self) -> None:
        """End the work unfinished: it is not wanted any more."""
        os.close(self.read_end)
        with contextlib.suppress(ProcessLookupError):  # it may have ended already
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)


class Tickets:
    """The numbers 0 to ``count`` - 1, each handed to whichever process asks first.

    A pipe made before the fork holds one byte per number; every process forked after it
    reads them one at a time, and the kernel gives each byte to one reader only. So two
    processes share a list of jobs with no more said between them.
    """

    def __init__(self, count: int):
        if not 0 <= count <= 255:
            raise ValueError(f"{count} tickets: a ticket is one byte")
        self.read_end, write_end = os.pipe()
        os.write(write_end, bytes(range(count)))  # far less than a pipe holds
        os.close(write_end)

    def take(self) -> int | None:
        """The next number no process has taken, or None when all are taken."""
        byte = os.read(self.read_end, 1)
        return byte[0] if byte else None

    def close(self) -> None:
        os.close(self.read_end)


class Shared:
    """Parts of one job (a format's module pages) that both processes of ``beside`` may do.

    Made before the fork. The process that owns the job calls ``run``; the other, once its
    own work is done, calls ``help``. Each takes the parts one at a time, as tickets, so both
    end together however long each part is. The helper pickles what a part returned into
    ``folder`` and tells the owner its number through a pipe; the owner does its own parts,
    reads the helper's, and removes ``folder``. A part the helper failed to finish is done
    by the owner, so a failure there costs only time; an owner waiting for a helper that has
    ended stops with an error, as ``Pending.result`` does.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self.tickets = Tickets(255)
        self.read_end, self.write_end = os.pipe()

    def run(self, count: int, part: Callable[[int], T]) -> list[T]:
        """``[part(i) for i in range(count)]``, some of it perhaps done by the helper."""
        done = {}
        while (i := self._take(count)) is not None:
            done[i] = part(i)
        theirs = set(range(min(count, 255))) - done.keys()
        for i, made in self._helped(theirs):
            done[i] = made if made is not _UNFINISHED else part(i)
        shutil.rmtree(self.folder, ignore_errors=True)
        return [done[i] if i in done else part(i) for i in range(count)]

    def help(self, make_parts: Callable[[], tuple[int, Callable[[int], object]]]) -> None:
        """Do parts while any are left. ``make_parts()`` gives how many parts the job has and
        the function that does one, as the owner's ``run`` is given them; it is called once,
        when a ticket is first taken."""
        count, part = 255, None
        while (i := self._take(count)) is not None:
            try:
                if part is None:
                    count, part = make_parts()
                    if i >= count:
                        return
                made = pickle.dumps(part(i), pickle.HIGHEST_PROTOCOL)
                self.folder.mkdir(parents=True, exist_ok=True)
                written = self.folder / f"{i}.tmp"
                written.write_bytes(made)
                written.rename(self.folder / str(i))
            except Exception:  # noqa: BLE001 - the owner does the part itself
                return
            finally:  # done or not, the owner waits no longer: it looks for the file
                os.write(self.write_end, bytes([i]))

    def close(self) -> None:
        self.tickets.close()
        os.close(self.read_end)
        os.close(self.write_end)

    def _take(self, count: int) -> int | None:
        ticket = self.tickets.take()
        return ticket if ticket is not None and ticket < count else None

    def _helped(self, waiting: set[int]):
        """Each part in ``waiting`` as the helper ends it: its result, or _UNFINISHED."""
        while waiting:
            if not select.select([self.read_end], [], [], 0.5)[0]:
                _check_peer()
                continue
            for i in os.read(self.read_end, 255):
                if i not in waiting:
                    continue
                waiting.discard(i)
                path = self.folder / str(i)
                yield i, pickle.loads(path.read_bytes()) if path.exists() else _UNFINISHED


_UNFINISHED = object()


def _check_peer() -> None:
    """Stop if the other process has ended: a child has, without being reaped yet; a
    parent cannot have, as its child dies with it (_die_with_parent)."""
    if _peer is None:
        return
    pid, is_child = _peer
    if is_child and os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT):
        raise CourseError(
            "a build process stopped before it finished its share of the work; build "
            "again, or with COURSEGEN_JOBS=1 to build in one process"
        )


def split_map(function: Callable[[T], R], items: Sequence[T], weight=None) -> list[R]:
    """``[function(item) for item in items]``, the later items computed in a forked process.

    ``weight(item)`` (default: 1 each) balances the two halves, so that both end together.
    """
    cut = _balanced_cut(items, weight)
    if cut in (0, len(items)):
        return [function(item) for item in items]
    later, earlier = beside(
        lambda: [function(item) for item in items[cut:]],
        lambda: [function(item) for item in items[:cut]],
    )
    return [*earlier, *later]


def _balanced_cut(items: Sequence, weight) -> int:
    weights = [weight(item) for item in items] if weight else [1] * len(items)
    total, running = sum(weights), 0
    for i, w in enumerate(weights):
        if running + w / 2 >= total / 2:
            return i
        running += w
    return len(items)


def _run_child(work: Callable[[], object], write_end: int, parent: int) -> None:
    code = 1
    try:
        _die_with_parent(parent)
        try:
            payload = pickle.dumps((True, work()), pickle.HIGHEST_PROTOCOL)
            reuse.flush()  # what it found or made in the store, for the next build
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
            payload = _pickled_failure(exc)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(payload)
        code = 0
    finally:
        os._exit(code)


def _pickled_failure(exc: BaseException) -> bytes:
    try:
        return pickle.dumps((False, exc), pickle.HIGHEST_PROTOCOL)
    except Exception:  # an exception that cannot be pickled is still reported, as text
        return pickle.dumps((False, RuntimeError(f"{type(exc).__name__}: {exc}")))


def _ended(status: int) -> str:
    code = os.waitstatus_to_exitcode(status)
    if code < 0:
        return f"killed by {signal.Signals(-code).name}"
    return f"exit code {code}"


def _die_with_parent(parent: int) -> None:
    """Have the kernel kill this child if the parent dies (killed while building), so that
    no orphan goes on writing into a staging folder or holding the output folder's lock."""
    ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)  # the C library is loaded
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
