"""Import .apkg files into a real Anki collection (the `anki` package from PyPI)."""

from __future__ import annotations

import os

# Anki's own modules import each other in an order that needs collection first.
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition

IF_NEWER = ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER
LOG_KINDS = ("new", "updated", "duplicate", "conflicting", "missing_notetype", "missing_deck")


def fresh_collection(folder) -> Collection:
    return Collection(os.path.join(folder, "collection.anki2"))


def import_apkg(col: Collection, path) -> dict[str, int]:
    """Import like a learner would (update notes and note types when newer); count outcomes."""
    options = ImportAnkiPackageOptions(
        update_notes=IF_NEWER,
        update_notetypes=IF_NEWER,
        merge_notetypes=False,
        with_scheduling=False,
        with_deck_configs=False,
    )
    request = ImportAnkiPackageRequest(package_path=os.path.abspath(path), options=options)
    log = col.import_anki_package(request).log
    return {kind: len(getattr(log, kind)) for kind in LOG_KINDS}


def notes_by_id(col: Collection) -> dict:
    """Every note in the collection, keyed by the authored id kept in its Id field."""
    notes = (col.get_note(nid) for nid in col.find_notes(""))
    return {note["Id"]: note for note in notes}


def dump_notes(col: Collection) -> list[dict]:
    """A stable, readable JSON-able view of every note, for golden comparison."""
    rows = []
    for item_id, note in sorted(notes_by_id(col).items()):
        cards = note.cards()
        rows.append(
            {
                "id": item_id,
                "guid": note.guid,
                "note_type": note.note_type()["name"],
                "deck": col.decks.name(cards[0].did),
                "cards": len(cards),
                "tags": sorted(note.tags),
                "fields": dict(note.items()),
            }
        )
    return rows
