"""Anki's identifiers for a course's notes, note types and decks.

A learner's review history stays attached to a note only while its GUID stays the same, so
each id is a hash of the course id and an author-written id, never of text or time.
"""

from __future__ import annotations

import hashlib

import genanki


def note_guid(course_id: str, item_id: str) -> str:
    """The Anki note GUID of a question or flashcard: genanki's guid_for(course_id, item_id)."""
    # genanki's own loops over the hash's bytes one by one, a tenth of the Anki stage's
    # time in notes of their own; this gives the same digits.
    digest = hashlib.sha256(f"{course_id}__{item_id}".encode()).digest()
    number, digits = int.from_bytes(digest[:8], "big"), []
    while number:
        number, digit = divmod(number, len(_BASE91))
        digits.append(_BASE91[digit])
    return "".join(reversed(digits))


# The digits of genanki's GUIDs, in its order.
_BASE91 = "".join(genanki.util.BASE91_TABLE)


def anki_id(*parts: str) -> int:
    """A 31-bit positive id for an Anki note type or deck, the range genanki itself uses."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)
