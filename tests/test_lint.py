"""`coursegen lint`: each check fires on a flaw planted in a good course and is quiet without it.

fixtures/lint/good/ is a small course the review finds nothing in. Each folder of
fixtures/lint/cases/ holds the files that plant one flaw in it (or set thresholds),
``expected.txt`` (the exact output of ``coursegen lint .``) and optionally ``args``. Run
``UPDATE_EXPECTED=1 pytest tests/test_lint.py`` to rewrite the expectations, then review them
in the diff.
"""

from __future__ import annotations

import json
import os

import pytest

from coursegen.cli import main
from coursegen.lint.settings import CODES

from .conftest import FIXTURES

LINT = FIXTURES / "lint"
CASES = sorted(p for p in (LINT / "cases").iterdir() if p.is_dir())


@pytest.fixture
def good(course_copy, monkeypatch):
    def make(overlay=None):
        course = course_copy("lint/good", overlay=overlay)
        monkeypatch.chdir(course)
        return course

    return make


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_reports_exact_findings(case, good, runner):
    good(case)
    args_file = case / "args"
    extra = args_file.read_text().split() if args_file.exists() else []
    result = runner.invoke(main, ["lint", *extra, "."])
    expected = case / "expected.txt"
    if os.environ.get("UPDATE_EXPECTED"):
        expected.write_text(result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.output == expected.read_text()
    assert result.exit_code == (1 if "\nError: " in "\n" + result.output else 0)


def test_every_check_has_a_case_that_fires_it():
    reported = "".join((case / "expected.txt").read_text() for case in CASES)
    assert [code for code in CODES if f"[{code}]" not in reported] == []


def test_the_good_course_has_no_findings(good, runner):
    good()
    result = runner.invoke(main, ["lint", "."])
    assert result.exit_code == 0
    assert result.output == (
        ".: 0 findings\n"
        "figures:\n"
        "  single-choice keys that are the longest option: 2 of 8 (25%; by chance about 26%)\n"
        "  true/false answers that are true: 2 of 4 (50%)\n"
        "  questions above 'remember': 15 of 15 (100%); at 'apply' or above: 8 of 15 (53%)\n"
        "  near-duplicate pairs: 0\n"
    )
    assert runner.invoke(main, ["lint", "--strict", "."]).exit_code == 0


def test_json_gives_the_findings_counts_and_figures(good, runner):
    good(LINT / "cases" / "absolute-distractor")
    result = runner.invoke(main, ["lint", "--json", "."])
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert report["findings"] == [
        {
            "path": "question_banks/ladders.yaml",
            "line": 65,
            "col": 15,
            "severity": "warning",
            "code": "absolute-distractor",
            "message": "a distractor says 'only' and no right option does: the word marks it "
            "as wrong",
            "hint": "word the distractor without the absolute, or let a right option be as "
            "absolute",
            "guideline": "Haladyna, Downing & Rodriguez (2002), guideline 28a: avoid clues such "
            'as "Specific determiners including always, never, completely, and absolutely."',
        }
    ]
    assert report["counts"] == {"absolute-distractor": 1}
    assert report["figures"] == {
        "questions": 15,
        "single_choice": 8,
        "longest_keys": 2,
        "longest_keys_by_chance": 2.1,
        "true_false": {"true": 2, "false": 2},
        "bloom": {"understand": 7, "apply": 7, "analyse": 1},
        "above_remember": 15,
        "apply_or_above": 8,
        "near_duplicate_pairs": 0,
    }


def test_validate_and_build_accept_the_lint_settings(good, runner):
    good(LINT / "cases" / "settings")
    result = runner.invoke(main, ["validate", "."])
    assert result.output == ".: ok: 2 modules, 15 questions, 0 flashcards\n"


def test_the_shipped_course_passes_the_review(runner):
    result = runner.invoke(main, ["lint", "--strict", str(FIXTURES.parent.parent)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(".: 0 findings\n") or ": 0 findings\n" in result.output
    assert "figures:\n  single-choice keys that are the longest option: " in result.output
