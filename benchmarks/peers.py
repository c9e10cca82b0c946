"""Time coursegen beside the peer tools of issue 19, each on its own job, and check the targets.

    .venv/bin/python benchmarks/peers.py [--sizes 10000,50000] [--runs 3]

For each size it generates one synthetic course (benchmarks/generate.py, with the issue's mix:
40% single choice, 20% true/false, 20% cloze, 20% short answer; prompts of 30-50 words) and
writes the same questions in each peer's own input format (benchmarks/peer_inputs.py says
how, and what each peer cannot express: neither ankdown nor text2qti has a cloze):
ankdown 0.7.1 Markdown cards, one text2qti 0.8.0 quiz, and 100 mkdocs 1.6.1 pages.

Each peer is installed once, pinned, in a virtual environment of its own under the user's
cache folder (``$XDG_CACHE_HOME`` or ``~/.cache``, ``coursegen-bench/peers``), so reruns are
quick. Every job is then a fresh process timed whole (wall clock, and peak memory of its
process tree: treememory.py), coursegen and its peer alternating in order run after run, and
each peer's output is checked (every card, item or page is there) so that no tool wins by
doing less. The floor is run.py's
(``run.py --child floor``: libyaml load, one genanki note per question, one Jinja page per
module), run here as a process of its own. A rebuild is timed as a user meets it: a default
``coursegen build`` of a copy of the course, one question's prompt edited, and the same
command again, each a fresh process (run_rebuild). Finally ``coursegen --help`` is timed against
``python -c "import click"``. It prints one Markdown table: each row of the issue's "What must
work", its figures, the target and whether it is met. The machine's other load moves every
figure: quote the table with the command and the day, never a single run.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from peer_inputs import MODULES, PAGES_PER_MODULE, inputs_of  # noqa: E402
from treememory import run_measured  # noqa: E402

# Each peer and the versions of what it runs on, so that figures compare across days.
PEERS = {
    "ankdown": ["ankdown==0.7.1", "genanki==0.13.1", "misaka==2.1.1", "PyYAML==6.0.4"],
    "text2qti": ["text2qti==0.8.0", "Markdown==3.11.3", "bespon==0.7.0"],
    "mkdocs": ["mkdocs==1.6.1", "Markdown==3.11.3", "Jinja2==3.1.6", "PyYAML==6.0.4"],
}
# The console script pip installs, as users run it.
COURSEGEN = Path(sys.executable).with_name("coursegen")


def peer_bin(name: str) -> Path:
    """The bin folder of the peer's own virtual environment, made on first use."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    pins = PEERS[name]
    digest = hashlib.sha256(" ".join(pins).encode()).hexdigest()[:12]
    venv = cache / "coursegen-bench" / "peers" / f"{name}-{digest}"
    if not (venv / "installed").exists():
        shutil.rmtree(venv, ignore_errors=True)
        print(f"installing {', '.join(pins)} into {venv}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", *pins]
        subprocess.run(pip, check=True)
        (venv / "installed").touch()
    return venv / "bin"


# --- the jobs: each makes its command in a fresh output folder, then checks what it wrote --


@dataclass(frozen=True)
class Job:
    name: str
    command: Callable[[Path, Path], list[str]]
    check: Callable[[Path, int], None]


def coursegen_command(formats: list[str]) -> Callable[[Path, Path], list[str]]:
    def command(inputs: Path, out: Path) -> list[str]:
        chosen = [a for f in formats for a in ("-f", f)]
        return [str(COURSEGEN), "build", str(inputs / "course"), "-o", str(out), "-q", *chosen]

    return command


def ankdown_command(inputs: Path, out: Path) -> list[str]:
    ankdown = str(peer_bin("ankdown") / "ankdown")
    return [ankdown, "-r", str(inputs / "ankdown"), "-p", str(out / "deck.apkg")]


def text2qti_command(inputs: Path, out: Path) -> list[str]:
    shutil.copy(inputs / "text2qti" / "quiz.txt", out)  # it writes quiz.zip beside its input
    return [str(peer_bin("text2qti") / "text2qti"), str(out / "quiz.txt")]


def mkdocs_command(inputs: Path, out: Path) -> list[str]:
    mkdocs, config = str(peer_bin("mkdocs") / "mkdocs"), str(inputs / "mkdocs" / "mkdocs.yml")
    return [mkdocs, "build", "-q", "-f", config, "-d", str(out / "site")]


def floor_command(inputs: Path, out: Path) -> list[str]:
    """run.py's floor, in a process of its own like every other job."""
    run = [sys.executable, str(HERE / "run.py"), "--child", "floor"]
    return [*run, str(inputs / "course"), str(out)]


def notes_in(apkg: Path) -> int:
    """How many notes an Anki package holds."""
    with zipfile.ZipFile(apkg) as package, tempfile.TemporaryDirectory() as scratch:
        collection = package.extract("collection.anki2", scratch)
        with sqlite3.connect(collection) as db:
            return db.execute("select count(*) from notes").fetchone()[0]


def items_in(qti_zip: Path) -> int:
    """How many QTI items a package's XML files hold."""
    with zipfile.ZipFile(qti_zip) as package:
        xml = "".join(package.read(n).decode() for n in package.namelist() if n.endswith(".xml"))
    return xml.count("<item ")


def require(found: int, expected: int, what: str) -> None:
    """Stop unless a tool wrote ``expected`` things: one that did less would win unfairly."""
    if found < expected:
        raise SystemExit(f"{what}: {found} instead of {expected}; the comparison would be unfair")


def check_coursegen(formats: list[str]) -> Callable[[Path, int], None]:
    """Its deck holds every question (and the flashcards), its QTI every question (and the
    final assessment's), its site a page per module."""

    def check(out: Path, size: int) -> None:
        if "anki" in formats or not formats:
            require(notes_in(next(out.glob("anki/*.apkg"))), size, "coursegen's notes")
        if "qti" in formats or not formats:
            require(items_in(next(out.glob("*-qti.zip"))), size, "coursegen's QTI items")
        if "html" in formats or not formats:
            require(len(list(out.glob("html/??-m*.html"))), MODULES, "coursegen's pages")

    return check


def check_ankdown(out: Path, size: int) -> None:
    require(notes_in(out / "deck.apkg"), size, "ankdown's cards")


def check_text2qti(out: Path, size: int) -> None:
    require(items_in(out / "quiz.zip"), size, "text2qti's items")


def check_mkdocs(out: Path, size: int) -> None:
    pages = list((out / "site").glob("m*/part-*/index.html"))
    require(len(pages), MODULES * PAGES_PER_MODULE, "mkdocs's pages")
    found = sum(p.read_text().count('<h3 id="question-q') for p in pages)
    require(found, size, "mkdocs's questions")


def check_floor(out: Path, size: int) -> None:
    require(notes_in(out / "floor.apkg"), size, "the floor's notes")


def coursegen_job(*formats: str) -> Job:
    name = " ".join(["build", *(f"-f {f}" for f in formats)])
    return Job(name, coursegen_command(list(formats)), check_coursegen(list(formats)))


# Each target pairs a coursegen job with the job it is measured against.
PAIRS = {
    "anki": (coursegen_job("anki"), Job("ankdown", ankdown_command, check_ankdown)),
    "qti": (coursegen_job("qti"), Job("text2qti", text2qti_command, check_text2qti)),
    "html": (coursegen_job("html"), Job("mkdocs", mkdocs_command, check_mkdocs)),
    "floor": (
        coursegen_job("html", "anki"),
        Job("the floor (run.py)", floor_command, check_floor),
    ),
}
DEFAULT_BUILD = coursegen_job()
DEFAULT_BUILD_SIZE = 10_000  # the size the issue states its target for
# Timed by run_rebuild: a default build, then another after one edit, both fresh processes.
REBUILD = Job("build, edit one question, build again", coursegen_command([]), check_coursegen([]))


# --- running: fresh processes, interleaved ------------------------------------------------


def fresh_env(home: Path) -> dict[str, str]:
    """A run's environment: a home and cache of its own, so no cache outlives the run and
    text2qti's config file lands there; bytecode cached, as after a pip install."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    home_env = {"HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache")}
    return {**env, **home_env, "SOURCE_DATE_EPOCH": "1700000000"}


def run_job(job: Job, inputs: Path, size: int) -> tuple[float, float]:
    """Run one job in a fresh process and check its output: wall seconds and peak memory
    (MB, of the job's whole process tree: treememory.py)."""
    scratch = Path(tempfile.mkdtemp(prefix="coursegen-peers-run-"))
    (scratch / "out").mkdir()
    (scratch / "home").mkdir()
    try:
        command = job.command(inputs, scratch / "out")
        with tempfile.TemporaryFile() as log:
            env = fresh_env(scratch / "home")
            seconds, status, megabytes = run_measured(
                command, env=env, stdout=log, stderr=subprocess.STDOUT
            )
            if status:
                log.seek(0)
                raise SystemExit(f"{job.name} failed:\n{log.read().decode()}")
        job.check(scratch / "out", size)
        return seconds, megabytes
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        # every coursegen build starts from the same course, as run.py's do
        (inputs / "course" / "question_banks" / "anki-lock.json").unlink(missing_ok=True)


def run_rebuild(job: Job, inputs: Path, size: int) -> tuple[float, float]:
    """A default build of a copy of the course, then one question's prompt edited and the
    same ``coursegen build`` run again, each a fresh process with the store (the cache of
    what the last build made) in the run's own home: wall seconds of the first and the
    second."""
    scratch = Path(tempfile.mkdtemp(prefix="coursegen-peers-rebuild-"))
    try:
        shutil.copytree(inputs / "course", scratch / "course")
        (scratch / "course" / "question_banks" / "anki-lock.json").unlink(missing_ok=True)
        (scratch / "home").mkdir()
        # As a user rebuilds: each build at its own time, not at a fixed SOURCE_DATE_EPOCH,
        # which once hid that every Anki note took a new id (and deflated anew) each build.
        env = {k: v for k, v in fresh_env(scratch / "home").items() if k != "SOURCE_DATE_EPOCH"}
        command = job.command(scratch, scratch / "out")
        full = _timed(command, env)
        bank = sorted((scratch / "course" / "question_banks").glob("*.yaml"))[0]
        bank.write_text(bank.read_text().replace("prompt: ", "prompt: Edited ", 1))
        again = _timed(command, env)
        job.check(scratch / "out", size)
        return full, again
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    return time.perf_counter() - started


def warm_up() -> None:
    """Install the peers and compile coursegen's bytecode before anything is timed."""
    for name in PEERS:
        peer_bin(name)
    env = fresh_env(Path(tempfile.gettempdir()))
    compile_all = [sys.executable, "-m", "compileall", "-q", str(HERE.parent / "coursegen")]
    subprocess.run(compile_all, check=True, env=env, stdout=subprocess.DEVNULL)


Results = dict[tuple[int, str], list[tuple[float, float]]]


def measure(sizes: list[int], runs: int) -> Results:
    """Every job at every size, ``runs`` times; each pair's order flips from run to run."""
    results: Results = {}
    for size in sizes:
        inputs = inputs_of(size)
        groups = [*PAIRS.values(), *([(DEFAULT_BUILD,)] if size == DEFAULT_BUILD_SIZE else [])]
        groups.append((REBUILD,))
        for run in range(runs):
            for group in groups:
                for job in group if run % 2 == 0 else reversed(group):
                    measured = run_rebuild if job is REBUILD else run_job
                    figures = measured(job, inputs, size)
                    results.setdefault((size, job.name), []).append(figures)
                    print(f"  {size:,} {job.name}: {figures[0]:.2f} s", file=sys.stderr)
    return results


# A click program of one command: what any click program pays to print its --help.
ONE_COMMAND = (
    "import click\n"
    "@click.group()\n"
    "def main():\n"
    "    'A program.'\n"
    "@main.command()\n"
    "def build():\n"
    "    'Build.'\n"
    "main()\n"
)
STARTUP = {
    "import click": [sys.executable, "-c", "import click"],
    "one-command click --help": [sys.executable, "-c", ONE_COMMAND, "--help"],
    "coursegen --help": [str(COURSEGEN), "--help"],
}


def startup(runs: int = 40) -> dict[str, float]:
    """The median wall time of each STARTUP command, run in turn ``runs`` times (s)."""
    env = fresh_env(Path(tempfile.gettempdir()))
    times: dict[str, list[float]] = {name: [] for name in STARTUP}
    for _ in range(runs + 1):  # the first round only warms the caches
        for name, command in STARTUP.items():
            started = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, env=env)
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(found[1:]) for name, found in times.items()}


# --- the table ---------------------------------------------------------------------------


def median(results: Results, size: int, job: Job, memory: bool = False) -> float:
    return statistics.median(figures[memory] for figures in results[size, job.name])


UNITS = {"s": "{:.2f} s", "MB": "{:.0f} MB", "ms": "{:.1f} ms"}


def row(what: str, size: str, figures: tuple[float, float], unit: str, target: str, met) -> str:
    """A table row of a ratio of two figures, or of one figure alone (``theirs`` is 0)."""
    ours, theirs = figures
    shown = [UNITS[unit].format(f) if f else "" for f in figures]
    figure = f"{ours / theirs:.2f}x" if theirs else shown[0]
    verdict = "met" if met(ours / theirs if theirs else ours) else "**NOT met**"
    return f"| {what} | {size} | {' | '.join(shown)} | {figure} | {target} | {verdict} |"


# pair -> (what, the target as written, whether a ratio meets it)
RATIO_TARGETS = {
    "anki": ("`build -f anki` / ankdown", "< 1x", lambda r: r < 1),
    "qti": ("`build -f qti` / text2qti", "<= 0.25x", lambda r: r <= 0.25),
    "html": ("`build -f html` / mkdocs", "<= 0.35x", lambda r: r <= 0.35),
    "floor": ("`build -f html -f anki` / the floor", "<= 2x", lambda r: r <= 2),
}


def size_rows(results: Results, size: int) -> list[str]:
    """The rows measured at one size: each ratio, the default build and peak memory."""
    n = f"{size:,}"
    rows = []
    for key, (what, target, meets) in RATIO_TARGETS.items():
        seconds = tuple(median(results, size, job) for job in PAIRS[key])
        rows.append(row(what, n, seconds, "s", target, meets))
    if (size, DEFAULT_BUILD.name) in results:
        seconds = (median(results, size, DEFAULT_BUILD), 0.0)
        rows.append(
            row("default build, all six formats", n, seconds, "s", "< 4 s", lambda s: s < 4)
        )
    memory = tuple(median(results, size, job, memory=True) for job in PAIRS["floor"])
    what = "peak memory, html + anki / the floor's"
    rows.append(row(what, n, memory, "MB", "<= 1.5x", lambda r: r <= 1.5))
    # run_rebuild's figures: (the first build, the one after the edit)
    seconds = (median(results, size, REBUILD, memory=True), median(results, size, REBUILD))
    what = "`build` after one edit / the first `build`, both fresh processes"
    return [*rows, row(what, n, seconds, "s", "<= 0.15x", lambda r: r <= 0.15)]


def table(results: Results, sizes: list[int], help_times: dict[str, float]) -> str:
    rows = [
        "| what must work | questions | coursegen | against | figure | target | |",
        "|---|---|---|---|---|---|---|",
    ]
    for size in sizes:
        rows += size_rows(results, size)
    if 10_000 in sizes and 50_000 in sizes:
        seconds = tuple(median(results, size, PAIRS["floor"][0]) for size in (50_000, 10_000))
        what = "time at 50k / at 10k, html + anki"
        rows.append(row(what, "50,000 / 10,000", seconds, "s", "<= 5.5x", lambda r: r <= 5.5))
    ms = (1000 * help_times["coursegen --help"], 1000 * help_times["import click"])
    what = '`coursegen --help` - `python -c "import click"`'
    extra = f"{ms[0] - ms[1]:+.1f} ms"
    met = "met" if ms[0] - ms[1] <= 5 else "**NOT met**"
    shown = " | ".join(UNITS["ms"].format(f) for f in ms)
    rows.append(f"| {what} | | {shown} | {extra} | <= +5 ms | {met} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,50000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    warm_up()
    results = measure(sizes, args.runs)
    help_times = startup()
    print(
        f"coursegen beside its peers: medians of {args.runs} interleaved runs, each a fresh "
        f"process, wall clock ({os.cpu_count()} CPUs)\n"
    )
    print(table(results, sizes, help_times))
    one = help_times["one-command click --help"] - help_times["import click"]
    print(f"\nFor scale: a click program of one command prints its --help in +{1000 * one:.1f} ms.")


if __name__ == "__main__":
    main()
