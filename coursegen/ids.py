"""Stable identifiers, derived from authored ids and never from text or time.

A learner's review history in Anki and a gradebook column in an LMS stay attached to an item
only while its identifier stays the same, so every id here is a hash of the course id and an
author-written id (plus a version where a format changes shape).
"""

from __future__ import annotations

import hashlib
import random

import genanki


def note_guid(course_id: str, item_id: str) -> str:
    """The Anki note GUID of a question or flashcard."""
    return genanki.guid_for(course_id, item_id)


def lms_ident(course_id: str, item_id: str) -> str:
    """The identifier of a question in LMS packages (SCORM, QTI, Moodle): readable, and the
    same on every build, so a re-imported bank updates its items and gradebook columns."""
    return f"{course_id}.{item_id}"


def anki_id(*parts: str) -> int:
    """A 31-bit positive id for an Anki note type or deck, the range genanki itself uses."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


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
