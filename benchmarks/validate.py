"""Time `coursegen validate` of the shipped course, the loop an instructor runs most often.

    .venv/bin/python benchmarks/validate.py [--runs 15] [COURSE_DIR]

Prints the median wall time of a whole `coursegen validate` process, the same for
`python -c pass` (the floor every command pays), and the check itself, load and validate
in one process with nothing cached. The target is under 0.3 s for the whole process.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def process_time(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def check_time(course: Path, runs: int) -> float:
    from coursegen.build import check_course

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        check_course(course)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("course", nargs="?", default=str(REPO), type=Path)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    script = Path(sys.executable).with_name("coursegen")
    coursegen = [str(script)] if script.exists() else [sys.executable, "-m", "coursegen"]
    whole = process_time([*coursegen, "validate", str(args.course)], args.runs)
    floor = process_time([sys.executable, "-c", "pass"], args.runs)
    check = check_time(args.course, args.runs)
    print(f"coursegen validate {args.course}: medians of {args.runs} runs")
    print(f"  whole process     {whole:6.3f} s   (target < 0.3 s)")
    print(f"  python -c pass    {floor:6.3f} s")
    print(f"  load + validate   {check:6.3f} s   (in one process)")


if __name__ == "__main__":
    main()
