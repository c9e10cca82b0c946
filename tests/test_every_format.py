"""What the pipeline promises every format, registered or added: a failed, strict or killed
build leaves the previous output exactly as it was.

Besides the six real formats, tests/formats/jsonl.py (the README's "Adding a format"
example) writes with a plain write_text, tests/formats/broken.py fails after writing, and
tests/formats/broken_background.py fails in the job it hands off to run in the background.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from coursegen.cli import main
from coursegen.exporters import EXPORTERS

REPO = Path(__file__).parent.parent
EXTRA = {
    "jsonl": ("tests.formats.jsonl", "JSON Lines, one question per line"),
    "broken": ("tests.formats.broken", "fails after it has written"),
    "broken-background": ("tests.formats.broken_background", "fails in its background job"),
}
FORMATS = [*EXPORTERS, "jsonl"]
MARKED = "we-pressure"  # a single-choice question every format carries


@pytest.fixture
def registered(monkeypatch):
    for name, entry in EXTRA.items():
        monkeypatch.setitem(EXPORTERS, name, entry)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def built(runner, course: Path, *formats: str, strict: bool = False):
    args = ["build", str(course), "--quiet", *(a for f in formats for a in ("-f", f))]
    return runner.invoke(main, args + (["--strict"] if strict else []))


def edit_marked_prompt(course: Path, text: str) -> None:
    bank = course / "question_banks" / "weather.yaml"
    lines = bank.read_text().split("\n")
    at = next(i for i, line in enumerate(lines) if line.endswith(f"id: {MARKED}"))
    prompt = next(i for i in range(at, len(lines)) if lines[i].strip().startswith("prompt:"))
    lines[prompt] = f"    prompt: {json.dumps(text)}"
    bank.write_text("\n".join(lines))


@pytest.mark.parametrize("broken", ["broken", "broken-background"])
@pytest.mark.parametrize("name", FORMATS)
def test_a_format_that_fails_after_another_wrote_changes_nothing(
    runner, course_copy, registered, name, broken
):
    course = course_copy("full")
    assert built(runner, course, name).exit_code == 0
    before = snapshot(course / "output")
    edit_marked_prompt(course, "Which instrument measures air pressure today?")

    result = built(runner, course, name, broken)

    assert result.exit_code == 1
    assert result.output.startswith(
        f"Error: {course}/output: cannot write the {broken} output: No space left on device"
    )
    assert snapshot(course / "output") == before


@pytest.mark.parametrize("name", FORMATS)
def test_an_invalid_course_or_a_strict_warning_changes_nothing(
    runner, course_copy, registered, name
):
    course = course_copy("full")
    assert built(runner, course, name).exit_code == 0
    before = snapshot(course / "output")
    manifest = course / "modules" / "course.yaml"
    manifest.write_text(manifest.read_text().replace("pass_mark:", "pass_mark: 150 #"))
    assert built(runner, course, name).exit_code == 1
    manifest.write_text(manifest.read_text().replace("pass_mark: 150 #", "pass_mark:"))
    edit_marked_prompt(course, "Which instrument measures air pressure today?")
    strict = built(runner, course, name, "gift", strict=True)  # gift always falls short here
    assert strict.exit_code == 1
    assert snapshot(course / "output") == before


def test_validate_and_build_mean_the_same_by_strict(runner, course_copy):
    course = course_copy("full")
    checked = runner.invoke(main, ["validate", str(course), "-f", "qti", "--strict"])
    build = built(runner, course, "qti", strict=True)
    assert checked.exit_code == build.exit_code == 1
    message = "Error: 2 questions cannot be carried by qti; strict mode makes that an error\n"
    assert checked.output.endswith(message) and build.output.endswith(message)
    assert runner.invoke(main, ["validate", str(course), "--strict"]).exit_code == 0


# --- builds killed at any moment ---------------------------------------------------------

BUILD_WITH_EXAMPLE = (
    "import sys\n"
    "from coursegen.exporters import EXPORTERS\n"
    f"EXPORTERS['jsonl'] = {EXTRA['jsonl']!r}\n"
    "from coursegen.cli import main\n"
    "main(sys.argv[1:])\n"
)


def build_command(course: Path) -> list[str]:
    formats = [a for f in FORMATS for a in ("-f", f)]
    return [sys.executable, "-c", BUILD_WITH_EXAMPLE, "build", str(course), "-q", *formats]


def editions_in(out: Path) -> dict[str, set[str]]:
    """For each file of the output, which editions of the marked prompt it holds."""
    found = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        if path.suffix in (".zip", ".apkg"):
            with zipfile.ZipFile(path) as archive:
                assert archive.testzip() is None
                data = b"".join(archive.read(n) for n in archive.namelist())
        else:
            data = path.read_bytes()
        found[str(path.relative_to(out))] = {
            e for e in ("Edition-A", "Edition-B") if e.encode() in data
        }
    return found


def test_a_build_killed_at_any_moment_leaves_every_format_old_or_new_whole(course_copy):
    course = course_copy("full")
    edit_marked_prompt(course, "Edition-A: which instrument measures air pressure?")
    subprocess.run(build_command(course), check=True, cwd=REPO)
    held = {k: v for k, v in editions_in(course / "output").items() if v}
    # Every format shows the prompt somewhere (the site in several pages).
    assert {k.split("/")[0] for k in held} >= {"html", "anki", "full-course-questions.jsonl"}
    started = time.perf_counter()
    subprocess.run(build_command(course), check=True, cwd=REPO)
    whole = time.perf_counter() - started
    outcomes, shown = set(), "Edition-A"
    # From at once to past a whole build; the last is never killed, so both outcomes occur
    # however loaded the machine is.
    for delay in [0.0, *(whole * 1.4 * i / 16 for i in range(1, 17)), None]:
        new = "Edition-B" if shown == "Edition-A" else "Edition-A"
        edit_marked_prompt(course, f"{new}: which instrument measures air pressure?")
        process = subprocess.Popen(build_command(course), cwd=REPO)
        if delay is not None:
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
        process.wait()
        editions = editions_in(course / "output")
        seen = set().union(*editions.values())
        assert len(seen) == 1, editions  # one edition throughout: the old or the new
        assert {k for k, v in editions.items() if v} == set(held)  # every file there, whole
        outcomes.add(seen == {new})
        shown = seen.pop()
    assert outcomes == {True, False}  # some builds were killed in time, some finished
    assert not [p for p in course.iterdir() if p.name.startswith(".coursegen-") and p.is_dir()]
