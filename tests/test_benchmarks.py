"""The benchmark scripts run (their figures are for people to read, never asserted: the
machines are shared and noisy), so a change to the library cannot break them unseen."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).parent.parent


def run(*args: str) -> str:
    result = subprocess.run(
        [sys.executable, *args], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_the_build_benchmark_runs_on_a_small_course():
    report = run("benchmarks/run.py", "--sizes", "100", "--runs", "1")
    for row in ("full build", "peak memory", "rebuild after one edit", "coursegen --help"):
        assert row in report


def test_the_comparison_with_a_revision_runs():
    report = run("benchmarks/compare.py", "HEAD", "--size", "100", "--runs", "1", "-f", "gift")
    assert "this / base:" in report


def test_the_load_and_validate_comparison_with_a_revision_runs():
    report = run("benchmarks/check.py", "HEAD", "--size", "100", "--runs", "1")
    for stage in ("load", "validate", "both"):
        assert f"  {stage:<9}       HEAD: " in report


def test_the_lint_benchmark_runs_on_a_small_course():
    report = run("benchmarks/lint.py", "--sizes", "100", "--runs", "1")
    for row in ("the shipped course", "generate.py, 100 ", "5,000 words, 100 ", "us/question"):
        assert row in report
