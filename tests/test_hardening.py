"""Broken input never crashes the loader; limits are named; killed builds lose nothing."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coursegen.build import check_course
from coursegen.cli import main
from coursegen.errors import CourseError
from coursegen.loader import MAX_FILE_BYTES
from coursegen.yamlio import dump

from .conftest import FIXTURES

MINIMAL_BANK = (FIXTURES / "minimal" / "question_banks" / "basics.yaml").read_text()
HYPOTHESIS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def assert_diagnostics_point_into_files(course: Path) -> list:
    """Validate; only CourseError may escape, and every line reported must exist."""
    try:
        _, diagnostics = check_course(course)
    except CourseError:
        return []
    for d in diagnostics:
        if d.pos.line:
            text = (course / d.pos.path).read_bytes().decode("utf-8", "replace")
            lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            assert 1 <= d.pos.line <= len(lines), d.format()
            assert d.pos.col >= 1
    return diagnostics


@pytest.fixture
def course(course_copy):
    return course_copy("minimal")


@HYPOTHESIS
@given(st.binary(max_size=2000))
def test_any_bytes_as_a_bank(course, data):
    (course / "question_banks" / "basics.yaml").write_bytes(data)
    assert_diagnostics_point_into_files(course)


@HYPOTHESIS
@given(st.text(max_size=2000))
def test_any_text_as_front_matter(course, text):
    (course / "modules" / "01-basics.md").write_text(f"---\n{text}\n---\n\nParis.\n")
    assert_diagnostics_point_into_files(course)


YAML_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.sampled_from(["single_choice", "cloze", "matching", "{{gap}}"]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "type",
                    "prompt",
                    "options",
                    "text",
                    "correct",
                    "pairs",
                    "left",
                    "right",
                    "items",
                    "answers",
                    "answer",
                    "objectives",
                    "source",
                    "explanation",
                    "difficulty",
                    "module",
                    "questions",
                    "flashcards",
                    "front",
                    "back",
                    "tags",
                    "bloom",
                    "x",
                ]
            ),
            children,
            max_size=6,
        )
    ),
    max_leaves=40,
)


@HYPOTHESIS
@given(YAML_VALUES)
def test_any_structure_as_a_bank(course, value):
    (course / "question_banks" / "basics.yaml").write_text(dump(value))
    assert_diagnostics_point_into_files(course)


@HYPOTHESIS
@given(st.data())
def test_a_valid_bank_with_a_line_broken(course, data):
    lines = MINIMAL_BANK.split("\n")
    index = data.draw(st.integers(0, len(lines) - 1))
    action = data.draw(st.sampled_from(["delete", "duplicate", "indent", "dedent", "garble"]))
    if action == "delete":
        del lines[index]
    elif action == "duplicate":
        lines.insert(index, lines[index])
    elif action == "indent":
        lines[index] = "  " + lines[index]
    elif action == "dedent":
        lines[index] = lines[index][2:]
    else:
        lines[index] = data.draw(st.text(alphabet="{}[]:-#&*!|>'\"%@` \tab", max_size=12))
    (course / "question_banks" / "basics.yaml").write_text("\n".join(lines))
    assert_diagnostics_point_into_files(course)


def test_a_file_over_the_limit_is_refused_by_name(runner, course):
    bank = course / "question_banks" / "huge.yaml"
    with open(bank, "wb") as handle:
        handle.truncate(100 * 1024 * 1024)  # sparse: the check must not read it
    result = runner.invoke(main, ["validate", str(course)])
    assert result.exit_code == 1
    assert (
        f"{course}/question_banks/huge.yaml: error: the file is 100.0 MB; the limit is "
        f"{MAX_FILE_BYTES // 2**20} MB [too-large]"
    ) in result.output


def test_a_one_megabyte_prompt_builds(runner, course):
    bank = course / "question_banks" / "basics.yaml"
    long_prompt = "Which city? " + "word " * 200_000
    bank.write_text(bank.read_text().replace("What is the capital of France?", long_prompt))
    result = runner.invoke(main, ["build", str(course)])
    assert result.exit_code == 0, result.output
    assert (course / "output" / "html" / "01-basics.html").stat().st_size > 1_000_000


def test_a_50000_question_bank_validates(course):
    question = MINIMAL_BANK.split("questions:\n", 1)[1]
    bank = "module: basics\nquestions:\n" + "".join(
        question.replace("id: capital", f"id: q{n}") for n in range(50_000)
    )
    (course / "question_banks" / "basics.yaml").write_text(bank)
    model, diagnostics = check_course(course)
    assert diagnostics == [] and len(model.questions) == 50_000


# --- interrupted and concurrent builds ---------------------------------------------------


def build_command(course: Path) -> list[str]:
    return [sys.executable, "-m", "coursegen", "build", str(course), "--quiet"]


def assert_complete_output(course: Path, titles: set[str]) -> str:
    out = course / "output"
    index = (out / "html" / "index.html").read_text()
    title = next(t for t in titles if f"<h1>{t}</h1>" in index)
    for archive in (out / "anki" / "full-course.apkg", out / "full-course-html.zip"):
        with zipfile.ZipFile(archive) as z:
            assert z.testzip() is None
    assert len(list((out / "html").glob("*.html"))) == 5  # 2 modules and 3 course pages
    assert (out / "instructor" / "answer-key.html").is_file()
    return title


def test_concurrent_builds_into_one_output_take_turns(course_copy):
    course = course_copy("full")
    processes = [subprocess.Popen(build_command(course)) for _ in range(4)]
    assert [p.wait() for p in processes] == [0, 0, 0, 0]
    assert_complete_output(course, {"Every Feature Course"})


def test_output_under_a_file_is_a_clear_error(runner, course, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = runner.invoke(main, ["build", str(course), "-o", str(blocker / "out")])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {blocker / 'out'}: {blocker} is a file, so no folder can be made inside it; "
        "choose another output folder\n"
    )
