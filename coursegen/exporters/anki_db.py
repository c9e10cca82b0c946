"""The collection inside an .apkg, written in bulk: the database genanki 0.13.1 writes.

genanki builds a Note object per note, checks it, and inserts its row and each card's row
one statement at a time, in a database that syncs to disk after every statement. Here the
rows are made in plain Python and inserted with one statement per table; the collection is
a scratch file that is zipped and removed, so it is written without a journal or syncs. The
tables hold exactly what genanki would put in them (ids, decks, note types, cards), which
tests/test_anki_db.py checks against genanki itself, but for the ids of notes built before.

genanki numbers every note and card afresh from the time of the build, so every row of every
build differs from the last one's, and so does every page of the file. Here a note keeps the
id its first build gave it (the lock file records it), and its cards follow it as genanki
numbers them; only new notes, and a card whose id is taken (a cloze that gained a gap), are
numbered from the build's time. Anki matches notes by GUID and keeps its own ids for those it
has, so nothing a learner sees changes; an unchanged note is the same row, and a rebuild's
collection differs from the last one only where its notes do (which is what lets a rebuild
deflate only those parts again: archive.py). A note's id is also when Anki counts it as
added, which is now when it was first built, not when it was last built.
"""

from __future__ import annotations

import itertools
import json
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import genanki
from genanki.apkg_col import APKG_COL
from genanki.apkg_schema import APKG_SCHEMA


@dataclass(frozen=True)
class NoteRow:
    """One note as the collection stores it; ``mod`` is its modification time."""

    model: genanki.Model
    fields: list[str]
    tags: list[str]
    guid: str
    mod: int
    id: int | None = None  # the id an earlier build gave it (the lock's); None: a new note


@dataclass
class DeckRows:
    """A deck and its notes, in the order they are written."""

    deck_id: int
    name: str
    notes: list[NoteRow] = field(default_factory=list)


def write_collection(path: Path, decks: list[DeckRows], timestamp: int) -> dict[str, int]:
    """Write ``decks`` as a new Anki collection at ``path``, as genanki would at ``timestamp``
    but for the ids of notes built before; the id of each note, by GUID."""
    connection = sqlite3.connect(path)
    try:
        # A scratch file: nothing is lost if the process dies before it is zipped.
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        cursor = connection.cursor()
        cursor.executescript(APKG_SCHEMA)
        cursor.executescript(APKG_COL)
        cursor.execute("UPDATE col SET decks = ?, models = ?", _col_json(cursor, decks, timestamp))
        cards: list[tuple] = []
        ids = note_ids(decks, timestamp)
        notes = _note_rows(decks, ids, cards)
        cursor.executemany("INSERT INTO notes VALUES(?,?,?,?,?,?,?,?,?,?,?)", notes)
        cursor.executemany("INSERT INTO cards VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", cards)
        connection.commit()
    finally:
        connection.close()
    rows = (note for deck in decks for note in deck.notes)
    return {note.guid: note_id for note, (note_id, _) in zip(rows, ids, strict=True)}


def note_ids(decks: list[DeckRows], timestamp: int) -> list[tuple[int, list[tuple[int, int]]]]:
    """Each note's id and its cards' (id, template ordinal), in the order of ``decks``.

    First the notes built before keep their ids (one the lock gives twice goes to the first
    note), and their cards follow each as genanki numbers them, where no other note or card
    has that id; then the rest is numbered as genanki numbers a package, from ``timestamp``
    in milliseconds, skipping the ids taken. A new course gets genanki's own ids.
    """
    notes = [note for deck in decks for note in deck.notes]
    kept = _first_of_each([note.id for note in notes])
    taken = {note_id for note_id in kept if note_id is not None}
    numbered = []
    for note, note_id in zip(notes, kept, strict=True):
        cards = []
        for n, ord_ in enumerate(card_ords(note.model, note.fields), start=1):
            card_id = None if note_id is None or note_id + n in taken else note_id + n
            if card_id is not None:
                taken.add(card_id)
            cards.append((card_id, ord_))
        numbered.append((note_id, cards))
    fresh = (i for i in itertools.count(timestamp * 1000) if i not in taken)
    return [
        (
            next(fresh) if note_id is None else note_id,
            [(next(fresh) if card_id is None else card_id, ord_) for card_id, ord_ in cards],
        )
        for note_id, cards in numbered
    ]


def _first_of_each(ids: list[int | None]) -> list[int | None]:
    """``ids`` with each but the first of any id given twice made None."""
    seen: set[int] = set()
    result = []
    for note_id in ids:
        result.append(None if note_id in seen else note_id)
        seen.add(note_id)
    return result


def _col_json(cursor: sqlite3.Cursor, decks: list[DeckRows], timestamp: int) -> tuple[str, str]:
    """The col row's decks and note types, as genanki's Deck.write_to_db leaves them."""
    deck_json, model_json = cursor.execute("SELECT decks, models FROM col").fetchone()
    deck_data, model_data = json.loads(deck_json), json.loads(model_json)
    for deck in decks:
        deck_data[str(deck.deck_id)] = genanki.Deck(deck.deck_id, deck.name).to_json()
        # genanki reads the JSON back before each deck and adds the deck's note types under
        # int ids, so one that two decks use is written twice, the last deck's id last.
        models = {note.model.model_id: note.model for note in deck.notes}
        model_data = json.loads(json.dumps(model_data))
        model_data.update({i: m.to_json(timestamp, deck.deck_id) for i, m in models.items()})
    return json.dumps(deck_data), json.dumps(model_data)


def _note_rows(decks: list[DeckRows], ids: list, cards: list[tuple]) -> Iterator[tuple]:
    """The notes' rows, one at a time so that their joined fields are never all held at once,
    with their ``ids`` (note_ids); their cards' rows join ``cards``."""
    numbered = iter(ids)
    for deck in decks:
        for note in deck.notes:
            (note_id, card_ids), fields, mod = next(numbered), note.fields, note.mod
            tags = f" {' '.join(note.tags)} "
            sort_field = fields[note.model.sort_field_index]
            flds = "\x1f".join(fields)
            yield (
                note_id,
                note.guid,
                note.model.model_id,
                mod,
                -1,
                tags,
                flds,
                sort_field,
                0,
                0,
                "",
            )
            for card_id, ord_ in card_ids:
                cards.append((card_id, note_id, deck.deck_id, ord_, mod, -1, *_CARD_ZEROS, ""))


# A new card's type, queue, due, interval, ease, reviews, lapses, left, odue, odid and flags.
_CARD_ZEROS = (0,) * 11


def card_ords(model: genanki.Model, fields: list[str]) -> list[int]:
    """The cards a note has, by template ordinal, as genanki's Note.cards decides."""
    if model.model_type == genanki.Model.CLOZE:
        return _cloze_ords(model, fields)
    ops = {"any": any, "all": all}
    return [o for o, op, needed in model._req if ops[op](fields[i] for i in needed)]


_CLOZE_FIELD = re.compile(r"{{[^}]*?cloze:(?:[^}]?:)*(.+?)}}")
_OLD_CLOZE_FIELD = re.compile("<%cloze:(.+?)%>")
_CLOZE_NUMBER = re.compile(r"{{c(\d+)::.+?}}", re.DOTALL)


def _cloze_ords(model: genanki.Model, fields: list[str]) -> list[int]:
    names = [f["name"] for f in model.fields]
    front = model.templates[0]["qfmt"]
    ords: set[int] = set()
    for name in dict.fromkeys(_CLOZE_FIELD.findall(front) + _OLD_CLOZE_FIELD.findall(front)):
        value = fields[names.index(name)] if name in names else ""
        ords.update(int(n) - 1 for n in _CLOZE_NUMBER.findall(value) if int(n) > 0)
    return list(ords)
