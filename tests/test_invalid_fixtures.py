"""Every folder under fixtures/invalid/ is a defect applied to the minimal course.

A case folder holds the files that replace the minimal course's, ``expected.txt`` (the exact
output of ``coursegen validate .``) and optionally ``args`` (extra command-line arguments).
Run ``UPDATE_EXPECTED=1 pytest tests/test_invalid_fixtures.py`` to rewrite the expectations,
then review them in the diff.
"""

import os

import pytest

from coursegen.cli import main

from .conftest import FIXTURES

CASES = sorted(p for p in (FIXTURES / "invalid").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_invalid_case_reports_exact_diagnostics(case, course_copy, runner, monkeypatch):
    course = course_copy("minimal", overlay=case)
    args_file = case / "args"
    extra = args_file.read_text().split() if args_file.exists() else []
    monkeypatch.chdir(course)
    result = runner.invoke(main, ["validate", *extra, "."])
    expected = case / "expected.txt"
    if os.environ.get("UPDATE_EXPECTED"):
        expected.write_text(result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 1
    assert result.output == expected.read_text()
