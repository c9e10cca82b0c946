"""The Retired subdeck: the notes of questions that left the course, as they were last built.

A question deleted from its bank, or kept there with 'retired: true', keeps its Anki note. The
package carries it, from the fields the lock file kept, in ``<course>::Retired``, tagged
``coursegen::<course>::retired`` and with its module label saying it was retired, and newer
than its last live version, so that a re-import updates the learner's note: its cards and
their review history stay, and nothing is left behind unmarked.

Anki never moves an existing card to another deck on import (its importer adds new cards and
leaves existing ones where they are), so a learner's retired cards stay in their module's
subdeck, tagged, until the learner moves them; a first import puts them in the Retired subdeck.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from .anki_db import DeckRows, NoteRow
from .anki_ids import anki_id, note_guid
from .anki_lock import NOTE
from .anki_notetypes import NOTE_TYPES

if TYPE_CHECKING:
    from .anki import _DeckWriter

_NOTE_TYPES = {t.key: t for t in NOTE_TYPES}


def retired_decks(writer: _DeckWriter, title: str) -> list[DeckRows]:
    """The Retired subdeck of the notes the lock keeps for questions no longer in the course,
    if there are any; it records in the lock the ones this build retires."""
    writer.lock.retire(writer.now)
    notes = [
        _retired_note(writer, key[len(NOTE) :], entry)
        for key, entry in writer.lock.retired_notes().items()
        if _fits(entry)
    ]
    if not notes:
        return []
    name = f"{title}::{writer.t['anki_retired_deck']}"
    return [DeckRows(anki_id("coursegen-retired-deck", writer.course.id), name, notes)]


def _fits(entry: dict) -> bool:
    """Whether the note's kept fields are those of one of today's note types."""
    note_type = _NOTE_TYPES.get(entry.get("type", ""))
    return note_type is not None and len(entry["fields"]) == len(note_type.fields)


def _retired_note(writer: _DeckWriter, item_id: str, entry: dict) -> NoteRow:
    note_type = _NOTE_TYPES[entry["type"]]
    fields = list(entry["fields"])
    module = note_type.fields.index("Module")
    # The back's module line says it, in words, wherever the learner keeps the card.
    fields[module] = f"{escape(writer.t['anki_retired'])} ({fields[module]})"
    guid = note_guid(writer.course.id, item_id)
    writer.keys[guid] = NOTE + item_id
    return NoteRow(
        model=writer.models[note_type.key],
        fields=fields,
        tags=sorted({*entry["tags"], retired_tag(writer.course.id)}),
        guid=guid,
        mod=entry["mod"],
        id=entry.get("id"),
    )


def retired_tag(course_id: str) -> str:
    """The tag of a course's retired notes, beside its other tags (``coursegen::<course>::``)."""
    return f"coursegen::{course_id}::retired"
