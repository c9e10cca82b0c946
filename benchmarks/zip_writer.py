"""Time this checkout's zip writer against an earlier one, side by side in one process.

    .venv/bin/python benchmarks/zip_writer.py [--questions 10000] [--runs 7] [--old REV]

It builds a synthetic course (benchmarks/generate.py) as html and anki once, then zips the
same inputs with both writers in turn, alternating which goes first: the HTML site folder
(``zip_folder``) and the Anki package's members, its collection file streamed from disk
(``write_zip``). The two writers must give the same bytes; it prints the medians of the CPU
time each took and the ratio new / old. REV defaults to the last commit whose archive.py wrote
the zip records by hand with ``struct``.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from coursegen import archive as new  # noqa: E402

OLD = "30f6d04"  # archive.py before it moved onto zipfile


def old_writer(rev: str):
    """archive.py as of ``rev``, imported inside the coursegen package for its relative imports."""
    source = subprocess.run(
        ["git", "-C", str(HERE.parent), "show", f"{rev}:coursegen/archive.py"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    spec = importlib.util.spec_from_loader("coursegen._old_archive", loader=None)
    module = importlib.util.module_from_spec(spec)
    module.__package__ = "coursegen"
    sys.modules[spec.name] = module  # dataclasses look their module up there
    exec(compile(source, f"{rev}:coursegen/archive.py", "exec"), module.__dict__)
    return module


def inputs(work: Path, questions: int) -> tuple[Path, list[tuple[str, bytes | Path]]]:
    """A generated course's HTML site, and its Anki package's members as write_apkg gives them."""
    from generate import generate

    from coursegen.build import build_course

    course = generate(work / "course", questions, modules=20)
    build_course(course, work / "out", ["html", "anki"])
    apkg = next((work / "out").rglob("*.apkg"))
    collection = work / "collection.anki2"
    with zipfile.ZipFile(apkg) as package:
        collection.write_bytes(package.read("collection.anki2"))
        members = [(i.filename, package.read(i)) for i in package.infolist()[1:]]
    return work / "out" / "html", [("collection.anki2", collection), *members]


def timed(job, writer, path: Path) -> float:
    # CPU time of this process: the machine may be shared, and waiting is not the writer's cost.
    start = time.process_time()
    job(writer, path)
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--old", default=OLD, help="commit whose archive.py is the old writer")
    args = parser.parse_args()
    writers = {"old": old_writer(args.old), "new": new}
    with tempfile.TemporaryDirectory(prefix="coursegen-zip-bench-") as tmp:
        work = Path(tmp)
        site, apkg = inputs(work, args.questions)
        jobs = {
            "html site zip": lambda writer, path: writer.zip_folder(site, path),
            "anki package": lambda writer, path: writer.write_zip(path, apkg),
        }
        times = {(job, name): [] for job in jobs for name in writers}
        for run in range(args.runs):
            order = list(writers) if run % 2 == 0 else list(reversed(writers))
            for job, write in jobs.items():
                for name in order:
                    times[job, name].append(timed(write, writers[name], work / f"{name}.zip"))
                if (work / "old.zip").read_bytes() != (work / "new.zip").read_bytes():
                    raise SystemExit(f"{job}: the two writers give different bytes")
    print(f"{args.questions:,} questions, median CPU time of {args.runs} runs, old = {args.old}")
    for job in jobs:
        old_t, new_t = (statistics.median(times[job, name]) for name in writers)
        print(
            f"  {job:<14} old {1000 * old_t:7.1f} ms   new {1000 * new_t:7.1f} ms   "
            f"new/old {new_t / old_t:.3f}   (same bytes)"
        )


if __name__ == "__main__":
    main()
