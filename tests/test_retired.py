"""Retired questions: kept in a bank with 'retired: true', or removed from it. No LMS package
and no page carries them; validate and stats count them; a build names them and writes a
changelog. (Their Anki notes: tests/test_anki_retired.py.)"""

from __future__ import annotations

import json
import re
import zipfile
from html import unescape
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from coursegen.cli import main
from coursegen.exporters import anki_changelog, anki_notetypes
from coursegen.translation.extract import extract

from .test_translation_build import translate_files

RETIRED = "wc-sun"  # a true-or-false question every format carries
PROMPT = "The sun drives evaporation."


def retire(course: Path, question_id: str = RETIRED) -> None:
    """Mark a question of the full fixture's water bank 'retired: true'."""
    bank = course / "question_banks" / "water.yaml"
    text = bank.read_text()
    marker = f"  - id: {question_id}\n"
    assert marker in text
    bank.write_text(text.replace(marker, f"{marker}    retired: true\n"))


def texts_of(out: Path) -> dict[str, str]:
    """Every text file of the output but Anki's deck and the changelog, zips opened, by path."""
    found = {}
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out).as_posix()
        if rel.startswith("anki") or rel == "CHANGELOG.md" or not path.is_file():
            continue
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    found[f"{rel}!{name}"] = archive.read(name).decode("utf-8", "replace")
        else:
            found[rel] = path.read_text("utf-8", "replace")
    return found


def test_a_question_retired_in_its_bank_is_in_no_page_and_no_lms_package(runner, course_copy):
    course = course_copy("full")
    result = runner.invoke(main, ["build", "-q", str(course)])
    assert result.exit_code == 0, result.output
    before = texts_of(course / "output")
    assert any(RETIRED in t for t in before.values()) and any(PROMPT in t for t in before.values())

    retire(course)
    result = runner.invoke(main, ["build", "-q", str(course)])
    assert result.exit_code == 0, result.output
    after = texts_of(course / "output")
    assert sorted(before) == sorted(after)  # the same files, from the course site to GIFT
    assert [p for p, t in after.items() if RETIRED in t or PROMPT in t] == []


def test_validate_counts_retired_questions(runner, course_copy):
    course = course_copy("full")
    retire(course)
    result = runner.invoke(main, ["validate", str(course)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == (
        f"{course}: ok: 2 modules, 8 questions, 1 retired question, 2 flashcards"
    )


def test_stats_count_retired_questions_apart(runner, course_copy):
    course = course_copy("full")
    retire(course)
    result = runner.invoke(main, ["stats", str(course)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        "Every Feature Course (full-course): 2 modules, 8 questions (and 1 retired), "
        "2 flashcards, 59 words of lessons"
    )
    assert lines[3] == "  6 questions (and 1 retired), 2 flashcards, 39 words"
    stats = json.loads(runner.invoke(main, ["stats", "--json", str(course)]).output)
    assert (stats["questions"], stats["retired"]) == (8, 1)
    assert [(m["questions"], m["retired"]) for m in stats["modules"]] == [(6, 1), (2, 0)]


def test_a_retired_question_keeps_its_id_taken(runner, course_copy):
    course = course_copy("full")
    retire(course)
    bank = course / "question_banks" / "weather.yaml"
    bank.write_text(bank.read_text().replace("id: we-pressure", f"id: {RETIRED}"))
    result = runner.invoke(main, ["validate", str(course)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"{bank}:3:5: error: id '{RETIRED}' is used twice "
        f"(also at {course / 'question_banks' / 'water.yaml'}:32:5) [duplicate-id]"
    )


def test_a_retired_questions_translation_is_kept_and_not_warned_about(course_copy, runner):
    """Its texts are neither missing nor unused; extract keeps them (as obsolete entries), and
    they come back translated with the question."""
    course = course_copy("full")
    extract(course, "ar")
    translate_files(course)
    retire(course)
    result = runner.invoke(main, ["validate", str(course)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "ar: 73 of 73 texts translated",
        f"{course}: ok: 2 modules, 8 questions, 1 retired question, 2 flashcards",
    ]
    extract(course, "ar")
    bank = course / "question_banks" / "water.yaml"
    bank.write_text(bank.read_text().replace("    retired: true\n", ""))
    result = runner.invoke(main, ["validate", str(course)])
    assert result.output.splitlines() == [
        "ar: 76 of 76 texts translated",
        f"{course}: ok: 2 modules, 9 questions, 2 flashcards",
    ]


EPOCH = 1_764_600_000  # 2025-12-01 14:40 UTC


def edit_retire_and_delete(course: Path) -> None:
    """Change one question's content, retire another in its bank, delete a third."""
    bank = course / "question_banks" / "water.yaml"
    text = bank.read_text().replace(PROMPT, "The sun drives evaporation of water.")
    text = re.sub(r"  - id: wc-clouds\n(?:    .*\n)*", "", text)
    bank.write_text(
        text.replace("  - id: wc-vapour-name\n", "  - id: wc-vapour-name\n    retired: true\n")
    )


def test_a_build_names_the_notes_it_retires_and_writes_the_changelog(
    runner, course_copy, monkeypatch
):
    course = course_copy("full")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    assert runner.invoke(main, ["build", "-q", str(course)]).exit_code == 0
    edit_retire_and_delete(course)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH + 3600))
    result = runner.invoke(main, ["build", "-f", "anki", str(course)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == f"anki: wrote {course}/output/CHANGELOG.md"
    assert result.stderr.splitlines() == [
        "anki: 2 notes retired, as their questions left the course "
        "(tagged coursegen::full-course::retired): wc-clouds, wc-vapour-name"
    ]
    changelog = (course / "output" / "CHANGELOG.md").read_text()
    newest, first = changelog.split("\n## ")[1:]
    assert newest == (
        "2025-12-01 15:40 UTC\n\n"
        "### Changed\n\n"
        "- `full-course.wc-sun`: The sun drives evaporation of water. (Module 1: The Water Cycle)"
        "\n\n### Retired\n\n"
        "No package carries these any more. Their results in an LMS stay under their ids; in "
        "Anki, their notes are kept, tagged `coursegen::full-course::retired`.\n\n"
        "- `full-course.wc-clouds`: Which of these are stages of the water cycle? "
        "(Module 1: The Water Cycle)\n"
        "- `full-course.wc-vapour-name`: What is water turning into vapour called? "
        "(Module 1: The Water Cycle)\n"
    )
    assert first.startswith("2025-12-01 14:40 UTC\n\n### Added\n\n")
    assert first.count("\n- `full-course.") == 9  # the first build added every question

    # Building again, later, changes no question: nothing new to report, the same changelog.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH + 7200))
    again = runner.invoke(main, ["build", "-q", "-f", "anki", str(course)])
    assert again.output == ""
    assert (course / "output" / "CHANGELOG.md").read_text() == changelog


def test_a_note_the_lock_kept_no_fields_for_is_named_and_still_in_the_changelog(
    runner, course_copy, monkeypatch
):
    """A lock written before coursegen kept fields (version 1) knows the note, not its text."""
    course = course_copy("full")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    assert runner.invoke(main, ["build", "-q", "-f", "anki", str(course)]).exit_code == 0
    lock = course / "question_banks" / "anki-lock.json"
    items = json.loads(lock.read_text())["items"]
    old = {k: {"hash": v["hash"], "mod": v["mod"]} for k, v in items.items()}
    lock.write_text(json.dumps({"version": 1, "items": old}))
    bank = course / "question_banks" / "water.yaml"
    bank.write_text(re.sub(r"  - id: wc-clouds\n(?:    .*\n)*", "", bank.read_text()))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH + 60))
    result = runner.invoke(main, ["build", "-q", "-f", "anki", str(course)])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-1] == (
        "anki: warning: no retired note for wc-clouds: the lock file was written before "
        "coursegen kept notes' fields, so there are none to build one from; learners' notes "
        "stay as they were, untagged"
    )
    changelog = (course / "output" / "CHANGELOG.md").read_text()
    assert changelog.endswith(
        "## 2025-12-01 14:41 UTC\n\n### Retired\n\n"
        "No package carries these any more. Their results in an LMS stay under their ids; in "
        "Anki, their notes are kept, tagged `coursegen::full-course::retired`.\n\n"
        "- `full-course.wc-clouds`\n"
    )


def test_notes_a_lock_recorded_before_their_history_stay_so_while_unchanged(
    runner, course_copy, monkeypatch
):
    """A lock that kept hashes, times and types but no history (as the shipped Arabic lock
    does) lists no event for its notes: a build that changes none of them keeps their entries
    as they were, neither dated nor named (each only gains its note's id, which such a lock
    has not kept either), and the changelog lists none of them."""
    course = course_copy("full")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    assert runner.invoke(main, ["build", "-q", "-f", "anki", str(course)]).exit_code == 0
    lock = course / "question_banks" / "anki-lock.json"
    data = json.loads(lock.read_text())
    keep = ("hash", "mod", "type")
    data["items"] = {k: {f: v[f] for f in keep if f in v} for k, v in data["items"].items()}
    lock.write_text(json.dumps(data))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH + 60))
    assert runner.invoke(main, ["build", "-q", "-f", "anki", str(course)]).exit_code == 0
    items = json.loads(lock.read_text())["items"]
    notes = [k for k in items if k.startswith("note:")]
    assert all(type(items[k].pop("id")) is int for k in notes)
    assert items == data["items"]
    assert "full-course." not in (course / "output" / "CHANGELOG.md").read_text()


def _described_as_before(fields: list[str], module_field: int) -> str:
    """How the changelog described a note while it ran its patterns anew for each note."""
    prompt = re.sub(r"\{\{c\d+::(.*?)\}\}", "…", fields[0], flags=re.DOTALL)
    text = " ".join(unescape(re.sub(r"<[^>]*>", " ", prompt)).split())
    if len(text) > 90:
        text = text[:89].rsplit(" ", 1)[0] + "…"
    module = unescape(re.sub(r"<[^>]*>", "", fields[module_field]))
    escaped = [re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", t) for t in (text, module)]
    return f"{escaped[0]} ({escaped[1]})"


HTML_BITS = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<b>",
        "<a href='x>y'>",
        "&amp;",
        "&lt;",
        "&#42;",
        "{{c1::gap}}",
        "{{c2::a\nb}}",
    ]
    + ["{{c", "}}", "::", "*", "_", "`", "\\", "[", "]", "#", "|", "<", ">", " ", "\n", "…", "word"]
)


@given(st.lists(HTML_BITS | st.text(max_size=5), max_size=40), st.lists(HTML_BITS, max_size=6))
def test_a_note_is_described_as_it_was(prompt, module):
    note_type = anki_notetypes.CLOZE
    fields = ["".join(prompt)] + [""] * (len(note_type.fields) - 1)
    at = note_type.fields.index("Module")
    fields[at] = "".join(module)
    assert anki_changelog._describe(fields, note_type) == _described_as_before(fields, at)
