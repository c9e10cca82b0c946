"""The collection inside an .apkg, written in bulk: the database genanki 0.13.1 writes.

genanki builds a Note object per note, checks it, and inserts its row and each card's row
one statement at a time, in a database that syncs to disk after every statement. Here the
rows are made in plain Python and inserted with one statement per table; the collection is
a scratch file that is zipped and removed, so it is written without a journal or syncs. The
tables hold exactly what genanki would put in them (ids, decks, note types, cards), which
tests/test_anki.py checks against genanki itself.
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


@dataclass
class DeckRows:
    """A deck and its notes, in the order they are written."""

    deck_id: int
    name: str
    notes: list[NoteRow] = field(default_factory=list)


def write_collection(path: Path, decks: list[DeckRows], timestamp: int) -> None:
    """Write ``decks`` as a new Anki collection at ``path``, as genanki would at ``timestamp``."""
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
        notes = _note_rows(decks, itertools.count(timestamp * 1000), cards)
        cursor.executemany("INSERT INTO notes VALUES(?,?,?,?,?,?,?,?,?,?,?)", notes)
        cursor.executemany("INSERT INTO cards VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", cards)
        connection.commit()
    finally:
        connection.close()


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


def _note_rows(decks: list[DeckRows], ids: Iterator[int], cards: list[tuple]) -> Iterator[tuple]:
    """The notes' rows, one at a time so that their joined fields are never all held at once;
    each note takes the next id, then each of its cards, whose rows join ``cards``."""
    for deck in decks:
        for note in deck.notes:
            note_id, fields, mod = next(ids), note.fields, note.mod
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
            for ord_ in card_ords(note.model, fields):
                cards.append((next(ids), note_id, deck.deck_id, ord_, mod, -1, *_CARD_ZEROS, ""))


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
