"""Retired questions' Anki notes, in a real Anki collection: a question deleted from its bank
or marked 'retired: true' keeps its note, with its review history, tagged and marked retired;
brought back, it is the same note again."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from coursegen.build import build_course

from .anki_helpers import fresh_collection, import_apkg, notes_by_id
from .test_retired import retire

EPOCH = 1_700_000_000
WATER = "Every Feature Course::01 The Water Cycle"
RETIRED_DECK = "Every Feature Course::Retired"
TAG = "coursegen::full-course::retired"


@pytest.fixture
def build(monkeypatch, tmp_path):
    """Build a course's Anki deck into a fresh output folder each time (as a fresh clone would
    have none): only the lock file in question_banks/ carries what was built before."""
    outputs = iter(range(1000))

    def run(course: Path, epoch: int = EPOCH):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
        result = build_course(course, tmp_path / f"out-{next(outputs)}", ["anki"])
        return result.written["anki"][0]

    return run


@pytest.fixture
def open_collection(tmp_path):
    opened = []

    def make():
        folder = tmp_path / f"profile-{len(opened)}"
        folder.mkdir()
        opened.append(fresh_collection(folder))
        return opened[-1]

    yield make
    for col in opened:
        col.close()


def delete_question(course: Path, question_id: str) -> str:
    """Delete a question from the full fixture's water bank; return the bank's old text."""
    bank = course / "question_banks" / "water.yaml"
    text = bank.read_text()
    block = re.search(rf"  - id: {question_id}\n(?:    .*\n|      .*\n)*", text)
    bank.write_text(text.replace(block.group(0), ""))
    return text


def review(col) -> int:
    """Answer the first card the scheduler shows in the course's deck ("Easy"); its id."""
    col.decks.select(col.decks.id_for_name("Every Feature Course"))
    card = col.sched.getCard()
    card.start_timer()
    col.sched.answerCard(card, 4)
    return card.id


def history(col, card_id: int) -> tuple:
    """What a learner's review history of a card is: its scheduling and its review log."""
    card = col.get_card(card_id)
    revlog = col.db.all("select id, ease, ivl, type from revlog where cid = ?", card_id)
    return (card.type, card.queue, card.due, card.ivl, card.reps, revlog)


def deck_of(col, card_id: int) -> str:
    return col.decks.name(col.get_card(card_id).did)


def test_a_deleted_questions_note_is_retired_with_its_history_and_comes_back(
    course_copy, build, open_collection
):
    course = course_copy("full")
    col = open_collection()
    import_apkg(col, build(course))
    card_id = review(col)
    note = col.get_card(card_id).note()
    assert note["Id"] == "wc-stage-first"
    reviewed = history(col, card_id)
    assert reviewed[3] > 0 and len(reviewed[5]) == 1  # a review card, one review logged

    bank_text = delete_question(course, "wc-stage-first")
    counts = import_apkg(col, build(course))  # the same second: the lock makes it newer
    assert (counts["new"], counts["updated"], counts["duplicate"]) == (0, 1, 10)
    retired = notes_by_id(col)["wc-stage-first"]
    assert retired.id == note.id and TAG in retired.tags
    assert retired["Module"] == "Retired from the course (Module 1: The Water Cycle)"
    assert retired["Prompt"] == note["Prompt"]  # the last question learners saw
    assert history(col, card_id) == reviewed
    # Anki moves no existing card between decks: it stays where the learner had it, tagged.
    assert deck_of(col, card_id) == WATER
    # No orphan: every note of the collection is one the new package carries.
    assert len(col.find_notes("")) == 11 and len(col.find_notes(f"tag:{TAG}")) == 1

    first_import = open_collection()
    import_apkg(first_import, build(course))
    fresh = notes_by_id(first_import)["wc-stage-first"]
    assert {deck_of(first_import, c.id) for c in fresh.cards()} == {RETIRED_DECK}

    (course / "question_banks" / "water.yaml").write_text(bank_text)
    counts = import_apkg(col, build(course))
    assert (counts["new"], counts["updated"]) == (0, 1)
    back = notes_by_id(col)["wc-stage-first"]
    assert back.id == note.id and TAG not in back.tags
    assert back["Module"] == "Module 1: The Water Cycle"
    assert history(col, card_id) == reviewed and deck_of(col, card_id) == WATER


def test_a_question_marked_retired_keeps_its_note_as_a_deleted_one_does(
    course_copy, build, open_collection
):
    course = course_copy("full")
    col = open_collection()
    import_apkg(col, build(course))
    card_id = review(col)
    reviewed = history(col, card_id)
    retire(course, "wc-stage-first")
    assert import_apkg(col, build(course, EPOCH + 60))["updated"] == 1
    note = notes_by_id(col)["wc-stage-first"]
    assert TAG in note.tags and note["Module"].startswith("Retired from the course (")
    assert history(col, card_id) == reviewed

    bank = course / "question_banks" / "water.yaml"
    bank.write_text(bank.read_text().replace("    retired: true\n", ""))
    assert import_apkg(col, build(course, EPOCH + 120))["updated"] == 1
    assert TAG not in notes_by_id(col)["wc-stage-first"].tags
    assert history(col, card_id) == reviewed


def test_the_arabic_decks_retired_subdeck_and_label_are_in_arabic(
    course_copy, build, open_collection
):
    course = course_copy("arabic")
    build(course)
    bank = course / "question_banks" / "intro.yaml"
    text = bank.read_text()
    assert "  - id: ar-ministry\n" in text
    bank.write_text(
        text.replace("  - id: ar-ministry\n", "  - id: ar-ministry\n    retired: true\n")
    )
    col = open_collection()
    import_apkg(col, build(course))
    note = notes_by_id(col)["ar-ministry"]
    assert {deck_of(col, c.id) for c in note.cards()} == {"دورة تجريبية::أسئلة مسحوبة"}
    assert note["Module"].startswith("سُحب من الدورة (الوحدة 1: ")
    assert "coursegen::arabic-sample::retired" in note.tags


def test_the_lock_keeps_each_notes_last_fields_and_when_it_was_retired(course_copy, build):
    course = course_copy("full")
    build(course)
    lock_path = course / "question_banks" / "anki-lock.json"
    before = json.loads(lock_path.read_text())
    item = before["items"]["note:wc-sun"]
    assert item == {
        "added": EPOCH,
        "hash": item["hash"],
        "id": item["id"],  # its note's id, kept for every build to give it again
        "mod": EPOCH,
        "title": "The sun drives evaporation. (Module 1: The Water Cycle)",  # the changelog's
        "type": "choice",
    }
    note = before["notes"]["note:wc-sun"]
    assert (
        note["fields"][-1] == "wc-sun"
        and "coursegen::full-course::type::true_false" in note["tags"]
    )
    delete_question(course, "wc-sun")
    build(course, EPOCH + 60)
    after = json.loads(lock_path.read_text())
    assert after["items"]["note:wc-sun"] == {**item, "retired": EPOCH + 60, "mod": EPOCH + 60}
    assert after["notes"]["note:wc-sun"] == note
    # Each unchanged note is written back as it was read: the lock's lines stay as they were.
    lines = lock_path.read_text().splitlines()
    assert [line for line in lines if '"note:wc-sun"' in line][1:] == [
        f'    "note:wc-sun": {json.dumps(note, sort_keys=True, ensure_ascii=False)},'
    ]


@pytest.mark.parametrize("name", ["anki-lock.json", "anki-lock.ar.json"])
def test_the_shipped_courses_lock_files_keep_every_notes_fields(name):
    """So that a question deleted on a fresh clone still has its note retired, not lost."""
    lock = Path(__file__).parent.parent / "question_banks" / name
    data = json.loads(lock.read_text())
    items = {k: v for k, v in data["items"].items() if k.startswith("note:")}
    assert len(items) == 151  # 121 questions and 30 flashcards
    assert [k for k, v in items.items() if "type" not in v] == []
    assert sorted(data["notes"]) == sorted(items)
