"""Time `coursegen lint` on the shipped course and on synthetic courses of growing size.

    .venv/bin/python benchmarks/lint.py [--sizes 1000,10000,50000] [--runs 3]

Each run is a fresh process that loads and validates the course, then reviews it; the
review's own time is reported beside that of all three (the interpreter's start and the
imports aside), with the time per question, which stays flat if the review scales
linearly. Times are CPU seconds of the process: wall-clock time on a shared machine
measures the other work on it too. Synthetic courses come from benchmarks/generate.py
twice over: as it writes them (prompts drawn from 40 words, so every word is common and the
near-duplicate search has almost nothing to compare), and with 5,000 words instead, where
content words are rare as in real banks and the search has candidates to sort out; there,
one question in a hundred is a copy of the one before it under another id, so the pairs
found can be checked against the pairs planted.
"""

from __future__ import annotations

import argparse
import copy
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

WIDE_WORDS = 5000


def child(course: Path) -> dict:
    """Load, validate and review ``course`` once; the times and what was found."""
    from coursegen.build import gc_paused
    from coursegen.lint.context import Context, written_questions
    from coursegen.lint.review import review, settings_of
    from coursegen.loader import load_course
    from coursegen.validate import validate

    start = time.process_time()
    with gc_paused():
        raw = load_course(course)
        found, _ = validate(raw)
        checked = time.process_time()
        result = review(
            Context(found, settings_of(raw.manifest, found.pos), written_questions(raw))
        )
    end = time.process_time()
    return {
        "questions": len(found.questions),
        "load_validate": checked - start,
        "review": end - checked,
        "findings": len(result.findings),
        "pairs": result.figures["near_duplicate_pairs"],
    }


def run_child(course: Path) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(course)], capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"lint of {course} failed:\n{done.stdout}{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def course_of(size: int, wide: bool) -> Path:
    import generate

    name = f"coursegen-lint-bench-{size}" + ("-wide-copies" if wide else "")
    path = Path(tempfile.gettempdir()) / name
    if not (path / "modules" / "course.yaml").exists():
        shutil.rmtree(path, ignore_errors=True)
        words, question = generate.WORDS, generate.question
        if wide:
            rounds = -(-WIDE_WORDS // len(words))
            generate.WORDS = tuple(f"{w}{i}" for i in range(rounds) for w in words)[:WIDE_WORDS]
            generate.question = _with_copies(question)
        try:
            generate.generate(path, size, modules=20)
        finally:
            generate.WORDS, generate.question = words, question
    return path


def _with_copies(question):
    """generate.question, but question 100, 200, ... repeats the one before it."""
    previous: dict = {}

    def make(rng, n, kind, sources):
        if n % 100 == 99 and previous.get("sources") is sources:  # in the same module
            return {**copy.deepcopy(previous["question"]), "id": f"q{n}"}  # no YAML aliases
        previous.update(question=question(rng, n, kind, sources), sources=sources)
        return previous["question"]

    return make


def report(label: str, course: Path, runs: int) -> None:
    results = [run_child(course) for _ in range(runs)]
    n = results[0]["questions"]
    total = statistics.median(r["load_validate"] + r["review"] for r in results)
    own = statistics.median(r["review"] for r in results)
    print(
        f"  {label:<28} {n:>7,} questions   all {total:6.2f} s   review {own:6.3f} s   "
        f"{1e6 * own / n:6.1f} us/question   {results[0]['findings']:>6} findings, "
        f"{results[0]['pairs']} near-duplicate pairs"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return
    print(f"coursegen lint: CPU time, medians of {args.runs} runs, each in a fresh process\n")
    report("the shipped course", HERE.parent, args.runs)
    for size in (int(s) for s in args.sizes.split(",")):
        report(f"generate.py, {size:,}", course_of(size, wide=False), args.runs)
        report(f"{WIDE_WORDS:,} words, {size:,}", course_of(size, wide=True), args.runs)


if __name__ == "__main__":
    main()
