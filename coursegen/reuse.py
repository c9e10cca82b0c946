"""Opt-in reuse of earlier builds' work within one process, for `coursegen serve`.

A one-shot build gains nothing from remembering what it made, and would only hold memory,
so reuse is off until a long-running caller (serve) turns it on. Every cache is keyed by
everything its value is made from, so a hit is always the same as recomputing.
"""

from __future__ import annotations

from typing import Any

_enabled = False


def enable() -> None:
    """Remember work across builds in this process from now on."""
    global _enabled
    _enabled = True


def enabled() -> bool:
    return _enabled


class Memo:
    """A bounded dict that remembers only while reuse is enabled."""

    def __init__(self, limit: int):
        self.limit = limit
        self.items: dict = {}

    def get(self, key) -> Any:
        return self.items.get(key) if _enabled else None

    def put(self, key, value) -> None:
        if not _enabled:
            return
        if len(self.items) >= self.limit:
            self.items.clear()  # simple and bounded; a rebuild refills what it needs
        self.items[key] = value
