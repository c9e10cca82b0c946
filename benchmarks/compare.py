"""Time two versions of coursegen side by side on the same synthetic course.

    .venv/bin/python benchmarks/compare.py BASE [--size 10000] [--runs 5] [-f html -f anki]
    .venv/bin/python benchmarks/compare.py BASE --rebuild [--size 10000] [--runs 5]
    .venv/bin/python benchmarks/compare.py BASE --after-edit [--size 10000] [--runs 5] [-f ...]

BASE is a git revision (a commit, a tag, ``main``). It is checked out into a temporary
worktree and run from there with this checkout's virtual environment, so both versions use
the same Python and libraries. Runs alternate between the two versions, each a fresh
``coursegen build`` process timed whole (wall clock and peak memory of its process tree,
treememory.py), so a machine that
slows down slows both alike; it prints medians and the ratio of this checkout to BASE.

With ``--rebuild`` each run is instead run.py's "rebuild after one edit" row in each
version: html and anki built in one process with reuse on, one question edited, and built
again; the second build is what is timed. With ``--after-edit`` each run is a rebuild as a
user meets it, and as peers.py times it: a default ``coursegen build`` (every format, unless
``-f`` names some) into an empty store of its own, one question's prompt edited, and the same
build again in a fresh process, which is what is timed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from treememory import run_measured  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", help="the git revision to compare with")
    parser.add_argument("--size", type=int, default=10_000, help="questions in the course")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("-f", "--format", dest="formats", action="append")
    parser.add_argument("--rebuild", action="store_true", help="time a rebuild after one edit")
    parser.add_argument(
        "--after-edit", action="store_true", help="time a fresh build after one edit"
    )
    args = parser.parse_args()
    formats = args.formats or ([] if args.after_edit else ["html", "anki"])
    measure = _rebuild if args.rebuild else _after_edit if args.after_edit else _build
    work = Path(tempfile.mkdtemp(prefix="coursegen-compare-"))
    try:
        base_tree = work / "base"
        add = ["worktree", "add", "-q", "--detach", str(base_tree), args.base]
        subprocess.run(["git", "-C", str(REPO), *add], check=True)
        generate(work / "course", args.size, modules=20)  # as run.py does
        trees = {"base": base_tree, "this": REPO}
        for tree in trees.values():  # as after a pip install: no run pays for compiling
            compile_all = [sys.executable, "-m", "compileall", "-q", str(tree / "coursegen")]
            subprocess.run(compile_all, check=True, env=_env(), stdout=subprocess.DEVNULL)
        # A course each: each version keeps its own Anki lock file from run to run, which the
        # other may not read (version 2 keeps notes' fields).
        courses = {name: work / f"course-{name}" for name in trees}
        for copy in courses.values():
            shutil.copytree(work / "course", copy)
        times: dict[str, list[float]] = {name: [] for name in trees}
        memory: dict[str, list[float]] = {name: [] for name in trees}
        for run in range(args.runs):
            order = list(trees) if run % 2 == 0 else list(reversed(trees))
            for name in order:
                out = work / f"out-{name}"
                seconds, megabytes = measure(trees[name], courses[name], out, formats)
                times[name].append(seconds)
                memory[name].append(megabytes)
        _report(args, formats, times, memory)
    finally:
        subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(base_tree)])
        shutil.rmtree(work, ignore_errors=True)


def _build(tree: Path, course: Path, out: Path, formats: list[str]) -> tuple[float, float]:
    shutil.rmtree(out, ignore_errors=True)
    # Each build a first one: an empty store of its own (and no earlier run's to read).
    store = tempfile.mkdtemp(prefix="coursegen-compare-store-")
    try:
        return _timed_build(tree, course, out, formats, store)
    finally:
        shutil.rmtree(store, ignore_errors=True)


def _after_edit(tree: Path, course: Path, out: Path, formats: list[str]) -> tuple[float, float]:
    shutil.rmtree(out, ignore_errors=True)
    store = tempfile.mkdtemp(prefix="coursegen-compare-store-")
    try:
        _timed_build(tree, course, out, formats, store)  # fills the store
        bank = sorted((course / "question_banks").glob("*.yaml"))[0]
        bank.write_text(bank.read_text().replace("prompt: ", "prompt: Edited ", 1))
        return _timed_build(tree, course, out, formats, store)
    finally:
        shutil.rmtree(store, ignore_errors=True)
        (course / "question_banks" / "anki-lock.json").unlink(missing_ok=True)


def _timed_build(
    tree: Path, course: Path, out: Path, formats: list[str], store: str
) -> tuple[float, float]:
    command = [sys.executable, "-m", "coursegen", "build", str(course), "-o", str(out), "-q"]
    command += [a for f in formats for a in ("-f", f)]
    env = {**_env(), "PYTHONPATH": str(tree), "COURSEGEN_CACHE_DIR": store}
    with tempfile.TemporaryFile() as errors:  # warnings are not news here; failures are
        seconds, status, megabytes = run_measured(
            command, env=env, cwd=tree, stdout=subprocess.DEVNULL, stderr=errors
        )
        if status != 0:
            errors.seek(0)
            raise SystemExit(f"the build in {tree} failed:\n{errors.read().decode()}")
    return seconds, megabytes


def _rebuild(tree: Path, course: Path, out: Path, formats: list[str]) -> tuple[float, float]:
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "benchmarks/run.py", "--child", "rebuild", str(course), str(out)]
    done = subprocess.run(command, env=_env(), cwd=tree, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"the rebuild in {tree} failed:\n{done.stdout}{done.stderr}")
    (course / "question_banks" / "anki-lock.json").unlink(missing_ok=True)  # as run.py does
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["total"], result["rss"]


def _env() -> dict[str, str]:
    """A build's environment: bytecode kept (a shell may turn it off), a fixed build date."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "SOURCE_DATE_EPOCH": "1700000000"}


def _report(args, formats, times, memory) -> None:
    what = "+".join(formats) or "every format"
    if args.rebuild:
        what = "rebuild after one edit of html+anki, in one process"
    elif args.after_edit:
        what = f"a fresh build of {what} after one edit"
    print(f"{args.size} questions, {what}, medians of {args.runs} runs each")
    base, this = (statistics.median(times[n]) for n in ("base", "this"))
    base_mb, this_mb = (statistics.median(memory[n]) for n in ("base", "this"))
    print(f"  {args.base:>12}: {base:6.2f} s  {base_mb:6.0f} MB")
    print(f"  {'this':>12}: {this:6.2f} s  {this_mb:6.0f} MB")
    print(f"  this / base: {this / base:.3f} time, {this_mb / base_mb:.3f} memory")


if __name__ == "__main__":
    main()
