"""Time load and validate of two versions of coursegen side by side, stage by stage.

    .venv/bin/python benchmarks/check.py BASE [--size 10000] [--runs 5]

The cold path of `coursegen validate` and of every build: BASE (a git revision) is checked
out into a temporary worktree; runs alternate between it and this checkout, each a fresh
process calling ``check_course`` on the same synthetic course (benchmarks/generate.py), and
the medians of its load and validate stages are printed with their ratios.
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

CHILD = """
import json, sys, time
from coursegen.build import check_course
stamps = []
course, _ = check_course(sys.argv[1], progress=lambda s: stamps.append(time.perf_counter()))
stamps.append(time.perf_counter())
print(json.dumps({"load": stamps[1] - stamps[0], "validate": stamps[2] - stamps[1],
                  "valid": course is not None}))
"""
STAGES = ("load", "validate")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", help="the git revision to compare with")
    parser.add_argument("--size", type=int, default=10_000, help="questions in the course")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="coursegen-check-"))
    try:
        base_tree = work / "base"
        add = ["worktree", "add", "-q", "--detach", str(base_tree), args.base]
        subprocess.run(["git", "-C", str(REPO), *add], check=True)
        course = generate(work / "course", args.size, modules=20)
        trees = {args.base: base_tree, "this": REPO}
        results: dict[str, list[dict]] = {name: [] for name in trees}
        for run in range(args.runs):
            for name in list(trees) if run % 2 == 0 else reversed(trees):
                results[name].append(_check(trees[name], course))
        _report(args, results)
    finally:
        subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(base_tree)])
        shutil.rmtree(work, ignore_errors=True)


def _check(tree: Path, course: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(course)],
        env=env,
        cwd=tree,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"the check in {tree} failed:\n{done.stdout}{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if not result["valid"]:
        raise SystemExit(f"the check in {tree} found the course invalid")
    return result


def _report(args, results: dict[str, list[dict]]) -> None:
    print(f"{args.size} questions, check_course, medians of {args.runs} runs each")
    base, this = results[args.base], results["this"]
    for stage in (*STAGES, "both"):
        keys = STAGES if stage == "both" else (stage,)
        b, t = (statistics.median(sum(r[k] for k in keys) for r in rs) for rs in (base, this))
        print(
            f"  {stage:<9} {args.base:>10}: {b:6.3f} s   this: {t:6.3f} s   this / base {t / b:.2f}"
        )


if __name__ == "__main__":
    main()
