"""The build pipeline: formats, the output folder swap, and failures that lose nothing."""

import subprocess
import sys

from coursegen.build import build_course
from coursegen.cli import main

from .conftest import FIXTURES


def test_build_writes_every_format_into_course_output(runner, course_copy):
    course = course_copy("minimal")
    result = runner.invoke(main, ["build", str(course)])
    assert result.exit_code == 0, result.output
    assert f"anki: wrote {course}/output/anki/minimal.apkg" in result.output
    assert (course / "output" / "anki" / "minimal.apkg").is_file()
    assert not [p for p in course.iterdir() if p.name.startswith(".coursegen-") and p.is_dir()]


def test_failed_build_leaves_previous_output_as_it_was(runner, course_copy):
    course = course_copy("minimal")
    assert runner.invoke(main, ["build", str(course)]).exit_code == 0
    apkg = course / "output" / "anki" / "minimal.apkg"
    before = apkg.read_bytes()
    (course / "output" / "notes.txt").write_text("mine")
    bank = course / "question_banks" / "basics.yaml"
    bank.write_text(bank.read_text().replace("type: single_choice", "type: single_choise"))

    result = runner.invoke(main, ["build", str(course)])

    assert result.exit_code == 1
    assert "unknown question type 'single_choise'" in result.output
    assert apkg.read_bytes() == before
    assert (course / "output" / "notes.txt").read_text() == "mine"
    assert not [p for p in course.iterdir() if p.name.startswith(".coursegen-") and p.is_dir()]


def test_rebuilding_one_format_keeps_the_others(runner, course_copy, tmp_path):
    course = course_copy("minimal")
    out = tmp_path / "out"
    out.mkdir()
    (out / "other-format").mkdir()
    (out / "other-format" / "index.html").write_text("kept")
    result = runner.invoke(main, ["build", str(course), "-o", str(out), "-f", "anki"])
    assert result.exit_code == 0, result.output
    assert (out / "other-format" / "index.html").read_text() == "kept"
    assert (out / "anki" / "minimal.apkg").is_file()


def test_unknown_format_is_refused(runner):
    result = runner.invoke(main, ["build", str(FIXTURES / "minimal"), "-f", "pdf"])
    assert result.exit_code == 1
    assert result.output == (
        "Error: unknown format 'pdf'; formats: html, anki, scorm, qti, moodle, gift\n"
    )


def test_output_path_that_is_a_file_is_a_clear_error(runner, course_copy, tmp_path):
    target = tmp_path / "taken"
    target.write_text("x")
    result = runner.invoke(main, ["build", str(course_copy("minimal")), "-o", str(target)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {target}: the output path is a file, not a folder; remove it or choose "
        "another output folder\n"
    )
    assert target.read_text() == "x"


def test_a_rebuild_in_the_same_process_reflects_an_edit(course_copy, monkeypatch):
    """Builds reuse what they made before (for `serve`); an edit must still show everywhere."""
    import zipfile

    from coursegen import reuse
    from coursegen.build import build_course

    monkeypatch.setattr(reuse, "_enabled", True)
    course = course_copy("full")
    build_course(course)
    bank = course / "question_banks" / "water.yaml"
    bank.write_text(bank.read_text().replace("The sun drives evaporation.", "Sunlight drives it."))
    build_course(course)
    page = (course / "output" / "html" / "01-water.html").read_text()
    assert "Sunlight drives it." in page and "The sun drives evaporation." not in page
    with zipfile.ZipFile(course / "output" / "anki" / "full-course.apkg") as apkg:
        assert b"Sunlight drives it." in apkg.read("collection.anki2")
    key = course / "output" / "instructor" / "answer-key.html"
    assert "Sunlight drives it." in key.read_text()


def test_a_live_reload_build_writes_no_zip_and_removes_a_stale_one(runner, course_copy):
    from coursegen.build import build_course

    course = course_copy("full")
    assert runner.invoke(main, ["build", str(course), "-f", "html"]).exit_code == 0
    archive = course / "output" / "full-course-html.zip"
    assert archive.exists()
    build_course(course, formats=["html"], live_reload=True)  # what `coursegen serve` runs
    assert not archive.exists()  # its pages would carry the reload script, or be stale
    assert "live-reload.js" in (course / "output" / "html" / "index.html").read_text()


def test_a_build_counts_what_each_format_leaves_out_and_lists_it_when_asked(runner, course_copy):
    course = course_copy("full")
    result = runner.invoke(main, ["build", str(course), "-f", "gift", "-f", "qti"])
    assert result.exit_code == 0, result.output
    assert result.output.endswith(
        "gift leaves out 3 questions (1 cloze, 1 matching, 1 ordering) and changes 1 question "
        "(1 numeric), which it cannot carry as written; list them with: coursegen validate "
        "-f gift\n"
        "qti leaves out 1 question (1 ordering) and changes 1 question (1 numeric), which it "
        "cannot carry as written; list them with: coursegen validate -f qti\n"
    )
    assert "warning:" not in result.output
    verbose = runner.invoke(main, ["build", str(course), "-f", "qti", "--verbose"])
    listing = (
        f"{course}/question_banks/water.yaml:73:5: warning: qti leaves out question 'wc-order' "
        "(ordering): classic Canvas quizzes have no ordering type [qti-left-out]\n"
        "    hint: rewrite it as another type for Canvas, or add it there by hand\n"
        f"{course}/question_banks/weather.yaml:14:5: warning: qti changes question "
        "'we-sea-level' (numeric): Canvas's numerical answers are all right answers, so its "
        "known wrong figures and their feedback are left out; Canvas's numerical question has "
        "no units, and shows no 'hPa' [qti-changed]\n"
        "    hint: explain the common mistakes in the explanation as well; name the unit in the "
        "prompt\n"
    )
    assert verbose.output.endswith(listing)
    listed = runner.invoke(main, ["validate", str(course), "-f", "qti"])
    assert listed.output == verbose.output.split("qti: wrote")[0] + listing + (
        f"{course}: ok: 2 modules, 9 questions, 2 flashcards, 2 warnings\n"
    )
    quiet = runner.invoke(main, ["build", str(course), "-f", "html", "-q"])
    assert quiet.output == ""


def test_more_options_pairs_and_items_than_letters_build_in_every_format(runner, course_copy):
    """30 of each: labels run past Z (AA, AB...), which must crash no format."""
    course = course_copy("long-lists")
    result = runner.invoke(main, ["build", str(course)])
    assert result.exit_code == 0, result.output
    warned = build_course(course).format_warnings
    assert sorted(f"{d.code} {d.message.split(chr(39))[1]}" for d in warned) == [
        "gift-left-out many-choices",
        "gift-left-out many-items",
        "gift-left-out many-options",
        "moodle-left-out many-options",
        "qti-left-out many-items",
    ]
    written = sorted(p.name for p in (course / "output").iterdir())
    assert written == [
        "CHANGELOG.md",
        "anki",
        "html",
        "instructor",
        "long-lists-html.zip",
        "long-lists-moodle.xml",
        "long-lists-qti.zip",
        "long-lists-scorm12.zip",
        "long-lists.gift",
    ]


def test_the_library_builds_a_course_without_click(course_copy):
    course = course_copy("minimal")
    script = (
        "import sys; sys.modules['click'] = None\n"
        "from coursegen.build import build_course\n"
        "from coursegen.errors import CourseError\n"
        f"result = build_course({str(course)!r})\n"
        "print(sorted(result.written))\n"
        "try:\n"
        f"    build_course({str(course)!r}, formats=['pdf'])\n"
        "except CourseError as error:\n"
        "    print(error)\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.stderr == ""
    assert run.stdout == (
        "['anki', 'gift', 'html', 'moodle', 'qti', 'scorm']\n"
        "unknown format 'pdf'; formats: html, anki, scorm, qti, moodle, gift\n"
    )
