"""Retired questions: kept in a bank with 'retired: true', or removed from it. No LMS package
and no page carries them; validate and stats count them; a build names them and writes a
changelog. (Their Anki notes: tests/test_anki_retired.py.)"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from coursegen.cli import main
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
    """Every text file of the output but Anki's, zips opened, by path."""
    found = {}
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out).as_posix()
        if rel.startswith("anki") or not path.is_file():
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
        f"{course}: ok: 2 modules, 7 questions, 1 retired question, 2 flashcards"
    )


def test_stats_count_retired_questions_apart(runner, course_copy):
    course = course_copy("full")
    retire(course)
    result = runner.invoke(main, ["stats", str(course)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        "Every Feature Course (full-course): 2 modules, 7 questions (and 1 retired), "
        "2 flashcards, 49 words of lessons"
    )
    assert lines[3] == "  6 questions (and 1 retired), 2 flashcards, 39 words"
    stats = json.loads(runner.invoke(main, ["stats", "--json", str(course)]).output)
    assert (stats["questions"], stats["retired"]) == (7, 1)
    assert [(m["questions"], m["retired"]) for m in stats["modules"]] == [(6, 1), (1, 0)]


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
        "ar: 67 of 67 texts translated",
        f"{course}: ok: 2 modules, 7 questions, 1 retired question, 2 flashcards",
    ]
    extract(course, "ar")
    bank = course / "question_banks" / "water.yaml"
    bank.write_text(bank.read_text().replace("    retired: true\n", ""))
    result = runner.invoke(main, ["validate", str(course)])
    assert result.output.splitlines() == [
        "ar: 70 of 70 texts translated",
        f"{course}: ok: 2 modules, 8 questions, 2 flashcards",
    ]
