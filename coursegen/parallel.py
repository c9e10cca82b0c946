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
import signal
import sys
from collections.abc import Callable, Sequence
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
    pending = start(lambda: _shared(child_work))
    try:
        own = _shared(own_work)
    except BaseException:
        pending.cancel()
        raise
    return pending.result(), own


def _shared(work: Callable[[], T]) -> T:
    global _sharing
    _sharing = True
    try:
        return work()
    finally:
        _sharing = False


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
