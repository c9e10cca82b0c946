"""The Anki collection written in bulk holds what genanki itself writes for the same notes."""

from __future__ import annotations

import dataclasses
import itertools
import sqlite3
from pathlib import Path

import genanki

from coursegen.exporters.anki_db import DeckRows, NoteRow, write_collection
from coursegen.exporters.anki_ids import note_guid
from coursegen.exporters.anki_notetypes import (
    CHOICE,
    CLOZE,
    FLASHCARD,
    CardLanguage,
    make_model,
    stylesheet,
)
from coursegen.i18n import strings_for

EPOCH = 1_700_000_000


def _models() -> dict[str, genanki.Model]:
    language = CardLanguage(strings_for("en"), "en", rtl=False)
    css = stylesheet(rtl=False)
    return {t.key: make_model(t, "c", css, language, EPOCH - 5) for t in (CHOICE, CLOZE, FLASHCARD)}


def _decks() -> list[DeckRows]:
    """Notes of every kind of card-making: cloze gaps out of order and none at all, a card
    whose front field is empty, and one note type in two decks."""
    m = _models()

    def note(model: str, guid: str, *fields: str, mod: int = EPOCH) -> NoteRow:
        return NoteRow(m[model], list(fields), ["coursegen::c::t", "a::b"], guid, mod)

    first = DeckRows(1_111, "Course::01 One")
    first.notes = [
        note("choice", "g1", "<p>Prompt</p>", "<ol>..</ol>", "A", "", "", "M", "Kind", "q1"),
        note("cloze", "g2", "{{c3::x}} and {{c1::y}} {{c3::z}}", "", "", "M", "q2", mod=EPOCH + 7),
        note("cloze", "g3", "no gaps here", "", "", "M", "q3"),
        note("flashcard", "g4", "Front", "Back", "M", "f1"),
        note("flashcard", "g5", "Front only", "", "M", "f2"),
    ]
    second = DeckRows(2_222, "Course::02 Two")
    second.notes = [note("choice", "g6", "", "<ol>..</ol>", "A", "", "", "M", "Kind", "q4")]
    return [DeckRows(1_000, "Course"), first, second]


class _TimedNote(genanki.Note):
    """A genanki note written with its own modification time, as the rows carry it."""

    def __init__(self, row: NoteRow):
        super().__init__(model=row.model, fields=row.fields, tags=row.tags, guid=row.guid)
        self.mod = row.mod

    def write_to_db(self, cursor, timestamp, deck_id, id_gen):
        super().write_to_db(cursor, self.mod, deck_id, id_gen)


def _genanki_collection(path: Path, decks: list[DeckRows]) -> None:
    package = genanki.Package([genanki.Deck(d.deck_id, d.name) for d in decks])
    for deck, rows in zip(package.decks, decks, strict=True):
        deck.notes = [_TimedNote(row) for row in rows.notes]
    connection = sqlite3.connect(path)
    package.write_to_db(connection.cursor(), EPOCH, itertools.count(EPOCH * 1000))
    connection.commit()
    connection.close()


def _dump(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def test_the_collection_is_the_one_genanki_writes(tmp_path):
    _genanki_collection(tmp_path / "genanki.anki2", _decks())
    write_collection(tmp_path / "bulk.anki2", _decks(), EPOCH)
    assert _dump(tmp_path / "bulk.anki2") == _dump(tmp_path / "genanki.anki2")


def test_cards_follow_the_templates_and_the_gaps(tmp_path):
    write_collection(tmp_path / "c.anki2", _decks(), EPOCH)
    connection = sqlite3.connect(tmp_path / "c.anki2")
    rows = connection.execute(
        "SELECT n.guid, c.ord, c.did, c.mod FROM cards c JOIN notes n ON n.id = c.nid ORDER BY c.id"
    ).fetchall()
    connection.close()
    assert rows == [
        ("g1", 0, 1_111, EPOCH),
        ("g2", 0, 1_111, EPOCH + 7),
        ("g2", 2, 1_111, EPOCH + 7),
        ("g4", 0, 1_111, EPOCH),
        ("g4", 1, 1_111, EPOCH),
        ("g5", 0, 1_111, EPOCH),  # its back is empty: no card shows it on the front
        ("g6", 0, 2_222, EPOCH),
    ]


def _ids(path: Path) -> tuple[list[tuple], list[tuple]]:
    connection = sqlite3.connect(path)
    try:
        notes = connection.execute("SELECT guid, id FROM notes ORDER BY guid").fetchall()
        cards = connection.execute(
            "SELECT n.guid, c.ord, c.id FROM cards c JOIN notes n ON n.id = c.nid ORDER BY c.id"
        ).fetchall()
        return notes, cards
    finally:
        connection.close()


def test_notes_built_before_keep_their_ids_and_their_cards_follow(tmp_path):
    """The ids of a first build, given back as the lock gives them, come out again whatever
    the time; a note new since then is numbered from this build's time."""
    write_collection(tmp_path / "first.anki2", _decks(), EPOCH)
    first_notes, first_cards = _ids(tmp_path / "first.anki2")
    kept = dict(first_notes)
    later = _decks()
    for deck in later:
        deck.notes = [dataclasses.replace(n, id=kept[n.guid]) for n in deck.notes]
    new = dataclasses.replace(later[1].notes[0], guid="g7", id=None)
    later[2].notes.append(new)
    ids = write_collection(tmp_path / "later.anki2", later, EPOCH + 60)
    notes, cards = _ids(tmp_path / "later.anki2")
    assert ids == {**kept, "g7": (EPOCH + 60) * 1000}
    assert notes == sorted([*first_notes, ("g7", (EPOCH + 60) * 1000)])
    assert cards == [*first_cards, ("g7", 0, (EPOCH + 60) * 1000 + 1)]


def test_a_card_or_note_whose_id_is_taken_gets_a_new_one(tmp_path):
    """A cloze that gained a gap has a card more than its first build numbered: the next id
    is the next note's, so that card is numbered anew, as is the second of two notes that a
    (merged, say) lock gives one id."""
    m = _models()
    tags = ["coursegen::c::t"]
    deck = DeckRows(1_111, "Course::01 One")
    deck.notes = [
        NoteRow(
            m["cloze"], ["{{c1::a}} {{c2::b}} {{c3::c}}", "", "", "M", "q1"], tags, "g1", EPOCH, 5
        ),
        NoteRow(m["cloze"], ["{{c1::a}}", "", "", "M", "q2"], tags, "g2", EPOCH, 8),
        NoteRow(m["cloze"], ["{{c1::a}}", "", "", "M", "q3"], tags, "g3", EPOCH, 8),
    ]
    assert write_collection(tmp_path / "c.anki2", [deck], EPOCH) == {
        "g1": 5,
        "g2": 8,
        "g3": EPOCH * 1000 + 1,
    }
    _, cards = _ids(tmp_path / "c.anki2")
    assert cards == [
        ("g1", 0, 6),
        ("g1", 1, 7),
        ("g2", 0, 9),
        ("g1", 2, EPOCH * 1000),  # 8 is g2's
        ("g3", 0, EPOCH * 1000 + 2),
    ]


def test_note_guids_are_genanki_s():
    ids = [("full-course", "wc-match"), ("c", "q1"), ("ar", "س-1"), ("x", "")]
    assert [note_guid(c, i) for c, i in ids] == [genanki.guid_for(c, i) for c, i in ids]
