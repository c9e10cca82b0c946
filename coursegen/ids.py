"""Stable identifiers, derived from authored ids and never from text or time.

A learner's review history in Anki and a gradebook column in an LMS stay attached to an item
only while its identifier stays the same, so every id here is a hash of the course id and an
author-written id (plus a version where a format changes shape).
"""

from __future__ import annotations

import hashlib

import genanki


def note_guid(course_id: str, item_id: str) -> str:
    """The Anki note GUID of a question or flashcard."""
    return genanki.guid_for(course_id, item_id)


def anki_id(*parts: str) -> int:
    """A 31-bit positive id for an Anki note type or deck, the range genanki itself uses."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


def content_hash(*parts: str) -> str:
    """A short hash of content, to notice when something has changed."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]
