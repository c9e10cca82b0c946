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


def test_the_comparison_of_a_fresh_build_after_an_edit_runs():
    report = run("benchmarks/compare.py", "HEAD", "--after-edit", "--size", "100", "--runs", "1")
    assert "a fresh build of every format after one edit" in report
    assert "this / base:" in report


def test_the_load_and_validate_comparison_with_a_revision_runs():
    report = run("benchmarks/check.py", "HEAD", "--size", "100", "--runs", "1")
    for stage in ("load", "validate", "both"):
        assert f"  {stage:<9}       HEAD: " in report


def test_the_lint_benchmark_runs_on_a_small_course():
    report = run("benchmarks/lint.py", "--sizes", "100", "--runs", "1")
    for row in ("the shipped course", "generate.py, 100 ", "5,000 words, 100 ", "us/question"):
        assert row in report


# --- benchmarks/peers.py: the same questions in each peer's input format ------------------

sys.path.insert(0, str(REPO / "benchmarks"))
import peer_inputs  # noqa: E402
from generate import generate  # noqa: E402


def tiny_course(tmp_path: Path) -> tuple[list[dict], dict[str, str]]:
    """Ten questions of the issue's mix in two modules, as peers.py reads them."""
    generate(tmp_path / "course", 10, modules=2, kinds=peer_inputs.MIX)
    return peer_inputs.read_course(tmp_path / "course")


def by_type(banks: list[dict], kind: str) -> dict:
    return next(q for q in banks[0]["questions"] if q["type"] == kind)


def test_the_course_has_the_issues_mix_of_types(tmp_path):
    banks, lessons = tiny_course(tmp_path)
    kinds = [q["type"] for bank in banks for q in bank["questions"]]
    assert [kinds.count(k) for k in ("single_choice", "true_false", "cloze", "short_answer")] == [
        4,
        2,
        2,
        2,
    ]
    assert sorted(lessons) == ["m001", "m002"] and lessons["m001"].startswith("## Part 1\n\n")


def test_ankdown_cards_are_one_file_per_module_with_cloze_as_a_basic_card(tmp_path):
    banks, _ = tiny_course(tmp_path)
    peer_inputs.write_ankdown(banks, tmp_path / "ankdown")
    cards = (tmp_path / "ankdown" / "m001" / "cards.md").read_text()
    assert sorted(p.parent.name for p in (tmp_path / "ankdown").rglob("*.md")) == ["m001", "m002"]
    assert cards.count("\n---\n") == len(banks[0]["questions"]) == 5
    tf, cloze = by_type(banks, "true_false"), by_type(banks, "cloze")
    assert (
        f"{tf['prompt']}\n\nTrue or false?\n\n%\n\n**{'True' if tf['answer'] else 'False'}**\n\n"
        f"{tf['explanation']}\n\n%\n\nm001, {tf['tags'][0]}\n\n---\n\n"
    ) in cards
    front, word = cloze["prompt"].split("{{")[0], cloze["prompt"].split("{{")[1].split("}}")[0]
    assert f"{front}[...] end.\n\n%\n\n**{word}**\n\n{cloze['explanation']}\n\n%\n\n" in cards


def test_text2qti_quiz_numbers_every_question_and_marks_the_answers(tmp_path):
    banks, _ = tiny_course(tmp_path)
    peer_inputs.write_text2qti(banks, tmp_path / "quiz.txt")
    quiz = (tmp_path / "quiz.txt").read_text()
    assert quiz.startswith("Quiz title: Benchmark Course\n\n1.  ")
    assert "\n10.  " in quiz and "\n11.  " not in quiz
    single = by_type(banks, "single_choice")
    options = [
        f"{'*' if o.get('correct') else ''}{letter}) {o['text']}"
        for letter, o in zip("abcd", single["options"], strict=True)
    ]
    assert f"1.  {single['prompt']}\n... {single['explanation']}\n" + "\n".join(options) in quiz
    short = by_type(banks, "short_answer")
    assert (
        f"... {short['explanation']}\n*   {short['answers'][0]}\n*   {short['answers'][1]}\n\n"
        in quiz
    )
    cloze = by_type(banks, "cloze")
    word = cloze["prompt"].split("{{")[1].split("}}")[0]
    assert (
        f"{cloze['prompt'].split('{{')[0]}_____ end.\n... {cloze['explanation']}\n*   {word}\n\n"
        in quiz
    )


def test_mkdocs_pages_hold_every_lesson_and_question_once(tmp_path):
    banks, lessons = tiny_course(tmp_path)
    peer_inputs.write_mkdocs(banks, lessons, tmp_path / "site")
    pages = sorted((tmp_path / "site" / "docs").rglob("*.md"))
    assert len(pages) == 2 * peer_inputs.PAGES_PER_MODULE
    assert (tmp_path / "site" / "mkdocs.yml").read_text() == "site_name: Benchmark Course\n"
    text = "".join(p.read_text() for p in pages)
    ids = [q["id"] for bank in banks for q in bank["questions"]]
    assert [text.count(f"### Question {i}\n\n") for i in ids] == [1] * 10
    first = (tmp_path / "site" / "docs" / "m001" / "part-1.md").read_text()
    assert first.startswith(f"# Module m001, part 1\n\n{lessons['m001']}\n\n### Question q0\n\n")
    single = by_type(banks, "single_choice")
    correct = next(o["text"] for o in single["options"] if o.get("correct"))
    assert f"- {single['options'][3]['text']}\n\n**Answer:** {correct}\n\n" in text
