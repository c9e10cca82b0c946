"""Stable identifiers, derived from authored ids and never from text or time.

A gradebook column in an LMS stays attached to an item only while its identifier stays the
same, so every id here comes from the course id and an author-written id. Anki's own ids
live with the Anki exporter (exporters/anki_ids.py).
"""

from __future__ import annotations

import hashlib
import random


def lms_ident(course_id: str, item_id: str) -> str:
    """The identifier of a question in LMS packages (SCORM, QTI, Moodle): readable, and the
    same on every build, so a re-imported bank updates its items and gradebook columns."""
    return f"{course_id}.{item_id}"


def content_hash(*parts: str) -> str:
    """A short hash of content, to notice when something has changed."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def fixed_shuffle(seed: str, items: list, avoid: list | None = None) -> list:
    """``items`` in an order fixed by ``seed`` (the same on every build), never ``avoid``."""
    rng = random.Random(seed)
    result = list(items)
    for _ in range(10):
        rng.shuffle(result)
        if avoid is None or result != avoid or len(set(map(str, items))) < 2:
            break
    return result
