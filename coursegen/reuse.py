"""Reuse of earlier builds' work: in this process (`coursegen serve`) or, through a store on
disk (store.py), in a fresh process (`coursegen build`).

A one-shot build without a store gains nothing from remembering what it made, and would only
hold memory, so reuse is off until a caller turns it on. Every memo is keyed by everything
its value is made from, so a hit is always the same as recomputing.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from .store import Store

T = TypeVar("T")

_enabled = False
_store: Store | None = None


def enable() -> None:
    """Remember work across builds in this process from now on."""
    global _enabled
    _enabled = True


def enabled() -> bool:
    """Whether memos hold what this process made (serve)."""
    return _enabled


def storing() -> bool:
    """Whether memos read and write a store on disk (a build with its cache)."""
    return _store is not None


def remembers() -> bool:
    """Whether the store holds an earlier build's work."""
    return _store is not None and _store.old is not None


@contextmanager
def stored(course_dir: Path, language: str | None):
    """Memos backed by the course's store for the build inside; the store then holds what
    the build used. Not within serve, whose memos hold it all already."""
    global _store
    from .store import Store

    if _enabled or _store is not None:
        yield
        return
    _store = Store.open(course_dir, language)
    try:
        yield
    except BaseException:
        if _store is not None:
            _store.discard()  # every process of the build has ended
        raise
    else:
        if _store is not None:
            _store.commit()
    finally:
        _store = None


def name_by_origin(parts, origin) -> None:
    """Have the store fingerprint ``parts`` by ``origin``, all they are made of (store.py)."""
    if _store is not None:
        _store.name_by_origin(parts, origin)


def flush() -> None:
    """What a forked process found or made, written for the next build before it ends."""
    if _store is not None:
        _store.flush()


def _forget_parents_records() -> None:
    if _store is not None:
        _store.forked()


os.register_at_fork(after_in_child=_forget_parents_records)


class ByContent(tuple):
    """Questions from several banks (the final's pool), as a key holds them by their content:
    the store names a bank's questions by the bank's text (name_by_origin), so an edit of any
    of those banks would change the key, though the questions it holds are as they were."""


class Memo:
    """A bounded dict that remembers only while reuse is enabled, or a window on the store."""

    def __init__(self, name: str, limit: int, *, on_disk: bool = True, packed: bool = True):
        self.name = name
        self.limit = limit
        self.on_disk = on_disk  # False: its values are worth keeping in this process only
        # False: its values are compressed already, which packing in the store would not shrink.
        self.packed = packed
        self.items: dict = {}

    def get(self, key) -> Any:
        if _enabled:
            return self.items.get(key)
        return _store.get(self.name, key) if _store is not None and self.on_disk else None

    def put(self, key, value) -> bytes | None:
        """Remember ``value``; the bytes the store keeps of it, pickled, if it has one."""
        on_disk = _store is not None and self.on_disk
        stored = _store.put(self.name, key, value, self.packed) if on_disk else None
        if _enabled:
            if len(self.items) >= self.limit:
                self.items.clear()  # simple and bounded; a rebuild refills what it needs
            self.items[key] = value
        return stored

    def through(self, key, make: Callable[[], T]) -> T:
        """The value remembered for ``key``, else ``make()``, remembered; with no key (a
        value that must be made afresh), just ``make()``."""
        if key is not None and _store is not None and self.on_disk:
            return _store.through(self.name, key, make, self.packed)
        value = self.get(key) if key is not None else None
        if value is None:
            value = make()
            if key is not None:
                self.put(key, value)
        return value
