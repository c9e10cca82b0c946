"""Time coursegen's build, stage by stage, against a floor of the work that cannot be avoided.

    .venv/bin/python benchmarks/run.py [--sizes 1000,10000,50000] [--runs 3]

For each size it generates a synthetic course (benchmarks/generate.py, cached in the temp
folder), then runs, each in a fresh process, several times:
- build:   `coursegen build` of every format, timed per stage (load, validate, html, anki,
           write), plus the Markdown rendering those stages contain;
- floor:   the unavoidable work on the same input: load the YAML with yaml.CSafeLoader, make
           one genanki note per question and write the package, render one Jinja page per
           module;
- rebuild: in one process, a full build, then one question edited and built again (all
           formats, and the HTML alone as `coursegen serve` rebuilds);
and prints medians, peak memory (summed Pss of the process tree, treememory.py), and the
ratios the targets are stated in. When a build shares its formats between two processes
(build.py), the html stage includes the wait for the other process's formats. Finally it
times `coursegen --help` and `--version` against `python -c pass`.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
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

from treememory import run_measured  # noqa: E402

# The formats the targets are stated for; the LMS packages are built from the same pages.
FORMATS = ["html", "anki"]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- children: each runs in its own process, so peak memory is its own ------------------


def child_build(course: Path, out: Path) -> dict:
    from coursegen import markup
    from coursegen.build import build_course

    stamps: list[tuple[str, float]] = []
    start = time.perf_counter()
    result = build_course(
        course, out, FORMATS, progress=lambda s: stamps.append((s, time.perf_counter()))
    )
    end = time.perf_counter()
    stages = {
        name: (stamps[i + 1][1] if i + 1 < len(stamps) else end) - at
        for i, (name, at) in enumerate(stamps)
    }
    texts = [t for q in result.course.questions for t in markdown_texts(q)]
    began = time.perf_counter()
    for text in texts:
        markup.to_html(text)
    stages["markdown (within html)"] = time.perf_counter() - began
    return {"total": end - start, "stages": stages, "rss": peak_rss_mb()}


def markdown_texts(q) -> list[str]:
    """The Markdown texts of a question: its prompt, explanation and answer texts."""
    texts = [q.prompt, q.explanation]
    for option in getattr(q, "options", ()):
        texts += [option.text, *([option.feedback] if option.feedback else [])]
    for pair in getattr(q, "pairs", ()):
        texts += [pair.left, pair.right]
    return texts + list(getattr(q, "items", ()))


def child_floor(course: Path, out: Path) -> dict:
    import genanki
    import jinja2
    import yaml

    gc.disable()  # the known fix for superlinear loading: the floor must not be inflated by it
    stages = {}
    start = time.perf_counter()
    banks = [
        yaml.load(p.read_text(), Loader=yaml.CSafeLoader)
        for p in sorted((course / "question_banks").glob("*.yaml"))
    ]
    stages["load"] = time.perf_counter() - start
    at = time.perf_counter()
    model = genanki.Model(
        1607392319,
        "Floor",
        fields=[{"name": "Q"}, {"name": "A"}],
        templates=[{"name": "C", "qfmt": "{{Q}}", "afmt": "{{A}}"}],
    )
    deck = genanki.Deck(2059400110, "Floor")
    for bank in banks:
        for q in bank["questions"]:
            deck.add_note(
                genanki.Note(
                    model=model,
                    fields=[q["prompt"], q["explanation"]],
                    guid=genanki.guid_for("floor", q["id"]),
                )
            )
    out.mkdir(parents=True, exist_ok=True)
    genanki.Package(deck).write_to_file(out / "floor.apkg", timestamp=0)
    stages["anki"] = time.perf_counter() - at
    at = time.perf_counter()
    page = jinja2.Environment(autoescape=True).from_string(
        "<h1>{{ m }}</h1>{% for q in qs %}<section><p>{{ q.prompt }}</p>"
        "<p>{{ q.explanation }}</p></section>{% endfor %}"
    )
    for bank in banks:
        (out / f"{bank['module']}.html").write_text(
            page.render(m=bank["module"], qs=bank["questions"])
        )
    stages["html"] = time.perf_counter() - at
    return {"total": time.perf_counter() - start, "stages": stages, "rss": peak_rss_mb()}


def child_rebuild(
    course: Path, out: Path, formats: list[str] = FORMATS, live_reload: bool = False
) -> dict:
    from coursegen import reuse
    from coursegen.build import build_course

    reuse.enable()  # as `coursegen serve` does
    start = time.perf_counter()
    build_course(course, out, formats, live_reload=live_reload)
    full = time.perf_counter() - start
    bank = sorted((course / "question_banks").glob("*.yaml"))[0]
    original = bank.read_text()
    try:
        bank.write_text(
            original.replace("id: q0\n", "id: q0\n", 1).replace("prompt: ", "prompt: Edited ", 1)
        )
        start = time.perf_counter()
        build_course(course, out, formats, live_reload=live_reload)
        again = time.perf_counter() - start
    finally:
        bank.write_text(original)
    return {"total": again, "full": full, "stages": {}, "rss": peak_rss_mb()}


CHILDREN = {
    "build": child_build,
    "floor": child_floor,
    "rebuild": child_rebuild,
    # What `coursegen serve` does on each save: the HTML course only.
    "rebuild-html": lambda course, out: child_rebuild(course, out, ["html"], live_reload=True),
}


# --- the parent: generate, run, summarise ---------------------------------------------


def run_child(kind: str, course: Path) -> dict:
    out = Path(tempfile.mkdtemp(prefix="coursegen-bench-out-"))
    try:
        command = [sys.executable, __file__, "--child", kind, str(course), str(out)]
        with tempfile.TemporaryFile("w+") as output:
            _, status, megabytes = run_measured(command, stdout=output, stderr=output, text=True)
            output.seek(0)
            printed = output.read()
        if status:
            raise SystemExit(f"{kind} of {course} failed:\n{printed}")
        # Peak memory of the process tree (a build forks), not the child's own RSS.
        return {**json.loads(printed.strip().splitlines()[-1]), "rss": megabytes}
    finally:
        shutil.rmtree(out, ignore_errors=True)
        lock = course / "question_banks" / "anki-lock.json"
        lock.unlink(missing_ok=True)  # every run starts from the same state


def course_of(size: int) -> Path:
    from generate import generate

    path = Path(tempfile.gettempdir()) / f"coursegen-bench-{size}"
    if not (path / "modules" / "course.yaml").exists():
        shutil.rmtree(path, ignore_errors=True)
        generate(path, size, modules=20)
    return path


def median_of(results: list[dict], key: str, stage: str | None = None) -> float:
    values = [r["stages"].get(stage, 0.0) if stage else r[key] for r in results]
    return statistics.median(values)


def startup(runs: int = 25) -> dict[str, float]:
    # The console script pip installs, as users run it (`python -m` would add runpy's import).
    script = Path(sys.executable).with_name("coursegen")
    coursegen = [str(script)] if script.exists() else [sys.executable, "-m", "coursegen"]
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "coursegen --help": [*coursegen, "--help"],
        "coursegen --version": [*coursegen, "--version"],
    }
    medians = {}
    for name, command in commands.items():
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            times.append(time.perf_counter() - start)
        medians[name] = statistics.median(times)
    return medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--child", nargs=3, metavar=("KIND", "COURSE", "OUT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        kind, course, out = args.child
        print(json.dumps(CHILDREN[kind](Path(course), Path(out))))
        return

    print(
        f"coursegen benchmark: medians of {args.runs} runs, each in a fresh process "
        f"({os.cpu_count()} CPUs)\n"
    )
    totals = {}
    for size in (int(s) for s in args.sizes.split(",")):
        course = course_of(size)
        builds = [run_child("build", course) for _ in range(args.runs)]
        floors = [run_child("floor", course) for _ in range(args.runs)]
        rebuilds = [run_child("rebuild", course) for _ in range(args.runs)]
        serves = [run_child("rebuild-html", course) for _ in range(args.runs)]
        build_t, floor_t = median_of(builds, "total"), median_of(floors, "total")
        build_m, floor_m = median_of(builds, "rss"), median_of(floors, "rss")
        totals[size] = build_t
        print(f"{size:,} questions")
        for stage in builds[0]["stages"]:
            floor_stage = median_of(floors, "", stage) if stage in floors[0]["stages"] else None
            line = f"  {stage:<24} {median_of(builds, '', stage):8.2f} s"
            if floor_stage is not None:
                line += f"   floor {floor_stage:6.2f} s"
            print(line)
        print(
            f"  {'full build':<24} {build_t:8.2f} s   floor {floor_t:6.2f} s   "
            f"ratio {build_t / floor_t:.2f}x (target <= 1.3x)"
        )
        print(
            f"  {'peak memory':<24} {build_m:8.0f} MB  floor {floor_m:6.0f} MB  "
            f"ratio {build_m / floor_m:.2f}x (target <= 1.5x)"
        )
        rebuild, full = median_of(rebuilds, "total"), median_of(rebuilds, "full")
        print(
            f"  {'rebuild after one edit':<24} {rebuild:8.2f} s   = {100 * rebuild / full:.0f}% "
            f"of a full build in the same process (target <= 10%)"
        )
        rebuild, full = median_of(serves, "total"), median_of(serves, "full")
        print(
            f"  {'  html only, as serve':<24} {rebuild:8.2f} s   = {100 * rebuild / full:.0f}% "
            f"of a full live-reload html build\n"
        )
    if 10000 in totals and 50000 in totals:
        print(
            f"linear cost: 50k build / 10k build = {totals[50000] / totals[10000]:.2f}x "
            "(target <= 5.5x)\n"
        )
    times = startup()
    base = times["python -c pass"]
    for name, value in times.items():
        print(
            f"{name:<22} {1000 * value:7.1f} ms   {value / base:5.2f}x python -c pass"
            + ("" if name == "python -c pass" else " (target <= 4x)")
        )


if __name__ == "__main__":
    main()
