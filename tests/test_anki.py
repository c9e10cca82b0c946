"""The Anki deck, imported into a real Anki collection."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import zipfile
from pathlib import Path

import pytest

import coursegen
from coursegen import archive
from coursegen.build import build_course
from coursegen.exporters import anki_lock
from coursegen.exporters.labels import letter

from .anki_helpers import dump_notes, fresh_collection, import_apkg, notes_by_id

GOLDEN = Path(__file__).parent / "golden" / "full-anki.json"
EPOCH = 1_700_000_000


@pytest.fixture
def build(monkeypatch):
    """Build a course's Anki deck at a fixed time; return the .apkg path."""

    def run(course: Path, epoch: int = EPOCH, out: Path | None = None) -> Path:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
        result = build_course(course, out, ["anki"])
        return result.written["anki"][0]

    return run


@pytest.fixture
def col(tmp_path):
    folder = tmp_path / "anki-profile"
    folder.mkdir()
    collection = fresh_collection(folder)
    yield collection
    collection.close()


def test_full_course_imports_with_one_note_per_item(course_copy, build, col):
    apkg = build(course_copy("full"))
    assert apkg.name == "full-course.apkg"
    assert import_apkg(col, apkg) == {
        "new": 11,
        "updated": 0,
        "duplicate": 0,
        "conflicting": 0,
        "missing_notetype": 0,
        "missing_deck": 0,
    }
    names = sorted(d.name for d in col.decks.all_names_and_ids())
    assert names == [
        "Default",
        "Every Feature Course",
        "Every Feature Course::01 The Water Cycle",
        "Every Feature Course::02 Weather",
    ]
    # 7 single-card questions, a cloze with 2 gaps, and 2 flashcards in both directions.
    assert len(col.find_cards("")) == 7 + 2 + 1 + 2 * 2


def test_every_card_renders_a_question_and_an_answer(course_copy, build, col):
    import_apkg(col, build(course_copy("full")))
    for card_id in col.find_cards(""):
        output = col.get_card(card_id).render_output()
        assert output.question_text.strip() and output.answer_text.strip()
        assert "cg-source" in output.answer_text  # where the answer comes from


def test_images_are_bundled_and_found(course_copy, build, col):
    import_apkg(col, build(course_copy("full")))
    check = col.media.check()
    assert list(check.missing) == [] and list(check.unused) == []
    matching = notes_by_id(col)["wc-match"]
    assert '<img src="full-course-' in matching["Prompt"] and "-cycle.svg" in matching["Prompt"]


def test_notes_match_the_golden_dump(course_copy, build, col):
    import_apkg(col, build(course_copy("full")))
    dump = dump_notes(col)
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(json.dumps(dump, indent=2, ensure_ascii=False) + "\n")
    assert dump == json.loads(GOLDEN.read_text())


def test_a_collection_deflated_in_chunks_imports_as_the_golden_dump(
    course_copy, build, col, monkeypatch
):
    """A large course's collection (over 16 MB) is deflated in chunks (archive.py): Anki
    reads such a package as any other. Here the full course's, with chunks of 1 KiB."""
    monkeypatch.setattr(archive, "_READ_WHOLE", 4096)
    monkeypatch.setattr(archive, "_CHUNK", 1024)
    apkg = build(course_copy("full"))
    assert import_apkg(col, apkg)["new"] == 11
    assert dump_notes(col) == json.loads(GOLDEN.read_text())


def test_rebuilds_are_byte_identical(course_copy, build, tmp_path):
    course = course_copy("full")
    first = build(course, out=tmp_path / "one").read_bytes()
    second = build(course, out=tmp_path / "two").read_bytes()
    assert first == second


def test_edited_question_updates_in_place_within_the_same_second(course_copy, build, col):
    course = course_copy("full")
    import_apkg(col, build(course))
    untouched = notes_by_id(col)["we-pressure"]
    untouched["Explanation"] = "My own note, written in Anki."
    col.update_note(untouched)

    bank = course / "question_banks" / "water.yaml"
    bank.write_text(
        bank.read_text().replace("The sun drives evaporation.", "Sunlight drives evaporation.")
    )
    counts = import_apkg(col, build(course))  # same SOURCE_DATE_EPOCH: the same second

    assert counts["updated"] == 1 and counts["new"] == 0
    notes = notes_by_id(col)
    assert len(notes) == 11
    assert "Sunlight drives evaporation." in notes["wc-sun"]["Prompt"]
    assert notes["we-pressure"]["Explanation"] == "My own note, written in Anki."


def test_unchanged_rebuild_changes_nothing(course_copy, build, col):
    course = course_copy("full")
    import_apkg(col, build(course))
    counts = import_apkg(col, build(course, epoch=EPOCH + 3600))
    assert counts["new"] == 0 and counts["updated"] == 0


def _collection_ids(apkg: Path, tmp_path: Path) -> dict[str, tuple[int, list[int]]]:
    """Each note's id and its cards' ids, by the authored id in its last field."""
    db = tmp_path / f"{apkg.stem}-{len(list(tmp_path.iterdir()))}.anki2"
    with zipfile.ZipFile(apkg) as package:
        db.write_bytes(package.read("collection.anki2"))
    connection = sqlite3.connect(db)
    try:
        notes = connection.execute("SELECT id, flds FROM notes").fetchall()
        cards = connection.execute("SELECT nid, id FROM cards ORDER BY ord").fetchall()
    finally:
        connection.close()
    return {flds.split("\x1f")[-1]: (nid, [c for n, c in cards if n == nid]) for nid, flds in notes}


def test_a_later_build_gives_each_note_and_card_its_first_id(course_copy, build, col, tmp_path):
    """Ids do not follow the time of each build: a note keeps the ones its first build gave
    it, edited or retired, and only a new one is numbered from the time it is first built,
    which is when Anki counts it as added."""
    course = course_copy("full")
    first = _collection_ids(build(course), tmp_path)
    import_apkg(col, build(course))
    bank = course / "question_banks" / "weather.yaml"
    bank.write_text(
        bank.read_text()
        .replace("Which instrument measures air pressure?", "Which instrument shows air pressure?")
        .replace("  - id: we-sea-level", "  - id: we-added")
    )
    later = _collection_ids(build(course, epoch=EPOCH + 3600), tmp_path)
    assert {k: v for k, v in later.items() if k != "we-added"} == first
    assert later["we-added"][0] // 1000 == EPOCH + 3600
    assert import_apkg(col, build(course, epoch=EPOCH + 3600))["new"] == 1
    created = {note["Id"]: note.id for note in notes_by_id(col).values()}
    assert created == {k: nid for k, (nid, _) in later.items()}


def test_author_html_is_escaped_and_never_runs(course_copy, build, col):
    course = course_copy("full")
    bank = course / "question_banks" / "weather.yaml"
    bank.write_text(
        bank.read_text().replace(
            "prompt: Which instrument measures air pressure?",
            "prompt: 'Which <script>alert(1)</script> instrument <img src=x onerror=alert(1)>?'",
        )
    )
    import_apkg(col, build(course))
    prompt = notes_by_id(col)["we-pressure"]["Prompt"]
    assert "<script" not in prompt and "<img" not in prompt
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in prompt


def test_lock_file_records_every_note(course_copy, build):
    course = course_copy("full")
    build(course)
    lock = json.loads((course / "question_banks" / "anki-lock.json").read_text())
    notes = [key for key in lock["items"] if key.startswith("note:")]
    assert len(notes) == 11
    assert {item["mod"] for item in lock["items"].values()} == {EPOCH}


@pytest.mark.parametrize(
    "edits",
    [
        # the lock's first note and its last: the lines at the ends of the notes' text
        {
            "water": ("back: Vapour cooling", "back: Vapour \u00e9 cooling"),
            "weather": ("at sea level?", 'at sea level, "roughly"?'),
        },
        # a note new to the lock, whose line is sorted in among the others
        {"weather": ("  - id: we-sea-level", "  - id: we-added")},
    ],
)
def test_a_lock_after_a_few_edits_is_the_lock_written_anew(course_copy, build, monkeypatch, edits):
    """A rebuild replaces the lines of the few notes that changed in the old lock's text; the
    lock is the same as one whose every line is written anew."""
    course = course_copy("full")
    build(course)
    lock = course / "question_banks" / "anki-lock.json"
    before = lock.read_text()
    for bank, (old, new) in edits.items():
        path = course / "question_banks" / f"{bank}.yaml"
        path.write_text(path.read_text().replace(old, new, 1))
    build(course, EPOCH + 60)
    spliced = lock.read_text()
    lock.write_text(before)
    monkeypatch.setattr(anki_lock, "_SPLICED_AT_MOST", -1)
    build(course, EPOCH + 60)
    assert spliced == lock.read_text() != before
    json.loads(spliced)


def test_shipped_course_deck_has_one_note_per_question_and_flashcard(tmp_path, build, col):
    import shutil

    from coursegen.build import check_course

    root = Path(__file__).parent.parent
    course = tmp_path / "shipped"
    for folder in ("modules", "question_banks"):
        shutil.copytree(root / folder, course / folder)
    model, _ = check_course(course)
    counts = import_apkg(col, build(course))
    assert counts["new"] == len(model.questions) + len(model.flashcards)
    assert sum(counts.values()) == counts["new"]
    assert list(col.media.check().missing) == []
    decks = sorted(d.name for d in col.decks.all_names_and_ids())
    assert decks[1:] == ["The Iraqi Police"] + [
        f"The Iraqi Police::{m.number:02d} {m.title}" for m in model.modules
    ]


def _labels(html: str) -> list[str]:
    return re.findall(r"<strong>([A-Z]+)\.</strong>", html)


def _answers(col) -> dict[str, str]:
    notes = notes_by_id(col)
    return {qid: notes[qid].cards()[0].render_output().answer_text for qid in notes}


def test_labels_run_on_past_z_like_the_card_lists(course_copy, build, col):
    """Cards list items with CSS upper-alpha markers (A..Z, AA, AB...); the answer side of a
    matching or ordering card names them the same way, every label distinct."""
    import_apkg(col, build(course_copy("long-lists")))
    answers = _answers(col)
    expected = [letter(i) for i in range(30)]
    assert expected[25:28] == ["Z", "AA", "AB"]
    assert sorted(_labels(answers["many-pairs"])) == sorted(expected)
    assert sorted(_labels(answers["many-items"])) == sorted(expected)


def test_choice_answers_name_the_correct_options_by_their_text(course_copy, build, col):
    """A letter would name whatever option the review put there: the back names the text."""
    import_apkg(col, build(course_copy("long-lists")))
    answers = _answers(col)
    key = '<p class="cg-key"><span class="cg-answer-label">Correct answer:</span> Choice 28</p>'
    assert key in answers["many-choices"]
    right = "".join(f"<li>Option {n}</li>" for n in (1, 27, 30))  # kept in the author's order
    assert (
        f'<span class="cg-answer-label">Correct answers:</span><ul>{right}</ul>'
        in (answers["many-options"])
    )

    def note(n: int) -> str:
        right = n in (1, 27, 30)
        kind, mark, word = (
            ("right", "\u2713", "Correct") if right else ("wrong", "\u2717", "Incorrect")
        )
        return (
            f'<li><strong>Option {n}</strong> <span class="cg-verdict cg-{kind}">'
            f'<span aria-hidden="true">{mark}</span> {word}</span> About option {n}.</li>'
        )

    about = "".join(note(n) for n in range(1, 31))
    label = '<span class="cg-answer-label">About the options:</span>'
    assert f'{label}<ul class="cg-about">{about}</ul>' in answers["many-options"]
    for qid in ("many-choices", "many-options"):
        assert _labels(answers[qid]) == []


def test_shuffled_choices_carry_their_order_for_the_card_script(course_copy, build, col):
    import_apkg(col, build(course_copy("full")))
    notes = notes_by_id(col)
    card = 'data-cg-shuffle="full-course:wc-clouds"'
    assert notes["wc-clouds"]["Choices"] == (
        f'<ol class="cg-options" {card}><li data-cg-option="0">Combustion</li>'
        '<li data-cg-option="1">Precipitation</li><li data-cg-option="2">Condensation</li></ol>'
    )
    assert notes["wc-clouds"]["Answer"] == (
        f'<span class="cg-answer-label">Correct answers:</span><ul {card}>'
        '<li data-cg-option="1">Precipitation</li><li data-cg-option="2">Condensation</li></ul>'
    )
    # True or false keeps its two options in their usual order: nothing to shuffle.
    assert notes["wc-sun"]["Choices"] == '<ol class="cg-options"><li>True</li><li>False</li></ol>'


def test_choice_templates_shuffle_and_never_answer_with_a_letter(course_copy, build, col):
    import_apkg(col, build(course_copy("full")))
    choice = notes_by_id(col)["wc-clouds"].note_type()
    (template,) = choice["tmpls"]
    script = (Path(coursegen.__file__).parent / "templates" / "anki" / "shuffle.js").read_text()
    assert template["qfmt"].endswith(f"\n<script>\n{script}</script>")
    assert template["afmt"].startswith('<div class="cg-back" hidden></div>{{FrontSide}}')
    assert template["afmt"].endswith(f"\n<script>\n{script}</script>")
    for side in (template["qfmt"], template["afmt"]):
        assert re.findall(r"\b[A-Z]{1,2}[.):]", side.replace(script, "")) == []
        assert _labels(side) == []


# Each Arabic note's labels, on the front (instructions) and the back (answer labels).
ARABIC_LABELS = {
    "ar-ministry": ["اختر إجابة واحدة", "الإجابة الصحيحة:", "الوحدة 1: مقدمة"],
    "du-duties": ["اختر كل ما ينطبق", "الإجابتان الصحيحتان:", "ملاحظات على الخيارات:"],
    "du-verdicts": ["صحيح أم خطأ؟", "<li>صحيح</li><li>خطأ</li>", "الإجابة الصحيحة:"],
    "du-courts": ["اكتب الإجابة", "الإجابة:", "تُقبل أيضًا: المحكمة"],
    "du-first": ["املأ الفراغ", "الوحدة 2: واجبات الشرطة"],
    "du-match": ["طابق كل عنصر مرقّم مع عنصر من العناصر ذات الحروف", "المطابقات الصحيحة:"],
    "du-steps": ["رتّب هذه العناصر بالترتيب الصحيح", "الترتيب الصحيح:"],
    "fc-report": ["الوحدة 2: واجبات الشرطة"],
}
ENGLISH_LABELS = [
    "Choose",
    "True or false",
    "Match each",
    "Put these",
    "Type the answer",
    "Fill in the blank",
    "Correct",
    "About the options",
    "Matches",
    "Answer:",
    "Also accepted",
    "Module",
    ">True<",
    ">False<",
]


def test_arabic_cards_are_right_to_left_and_labelled_in_arabic(course_copy, build, col):
    import_apkg(col, build(course_copy("arabic")))
    notes = notes_by_id(col)
    for item_id, note in notes.items():
        fields = note.note_type()["flds"]
        assert [f["rtl"] for f in fields] == [f["name"] != "Id" for f in fields], item_id
        sides = [s for c in note.cards() for s in (c.question(), c.answer())]
        for side in sides:
            wrappers = re.findall(r'<div class="cg"[^>]*>', side)
            assert wrappers and set(wrappers) == {'<div class="cg" dir="rtl" lang="ar">'}
            assert [word for word in ENGLISH_LABELS if word in side] == [], item_id
        for label in ARABIC_LABELS.get(item_id, []):
            assert any(label in side for side in sides), (item_id, label)
    names = sorted(m["name"] for m in col.models.all() if "arabic-sample" in m["name"])
    assert names == [
        "coursegen اختيار (arabic-sample)",
        "coursegen بطاقة (arabic-sample)",
        "coursegen كتابة الإجابة (arabic-sample)",
        "coursegen مطابقة أو ترتيب (arabic-sample)",
        "coursegen ملء الفراغ (arabic-sample)",
    ]


def test_a_course_turned_arabic_updates_its_note_types_in_place(course_copy, build, col):
    """Labels, direction and the note type's name may change; its fields and cards may not."""
    course = course_copy("arabic")
    manifest = course / "modules" / "course.yaml"
    manifest.write_text(manifest.read_text().replace("language: ar", "language: en"))
    import_apkg(col, build(course))
    manifest.write_text(manifest.read_text().replace("language: en", "language: ar"))
    counts = import_apkg(col, build(course, epoch=EPOCH + 60))
    assert (counts["updated"], counts["conflicting"], counts["new"]) == (10, 0, 0)
    choice = notes_by_id(col)["ar-ministry"].note_type()
    assert choice["name"] == "coursegen اختيار (arabic-sample)"
    assert [f["rtl"] for f in choice["flds"]] == [True] * 7 + [False]
