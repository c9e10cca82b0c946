"""Every folder under fixtures/invalid/ and hostile/ is a change to the minimal course.

fixtures/invalid/ holds ordinary authoring mistakes; hostile/ holds broken and malicious
input (bad encodings, alias bombs, object tags, links out of the course, ...). A case folder
holds the files that replace or join the minimal course's, ``expected.txt`` (the exact output
of ``coursegen validate .``) and optionally ``args`` (extra command-line arguments). A case
whose expected output has no "Error:" line must pass. Run
``UPDATE_EXPECTED=1 pytest tests/test_invalid_fixtures.py`` to rewrite the expectations,
then review them in the diff.
"""

import os
from pathlib import Path

import pytest

from coursegen.cli import main

from .conftest import FIXTURES

HOSTILE = Path(__file__).parent / "hostile"
CASES = sorted(
    p for folder in (FIXTURES / "invalid", HOSTILE) for p in folder.iterdir() if p.is_dir()
)


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_case_reports_exact_diagnostics(case, course_copy, runner, monkeypatch):
    course = course_copy("minimal", overlay=case)
    args_file = case / "args"
    extra = args_file.read_text().split() if args_file.exists() else []
    monkeypatch.chdir(course)
    result = runner.invoke(main, ["validate", *extra, "."])
    expected = case / "expected.txt"
    if os.environ.get("UPDATE_EXPECTED"):
        expected.write_text(result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.output == expected.read_text()
    assert result.exit_code == (1 if "\nError: " in "\n" + result.output else 0)
