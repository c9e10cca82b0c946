"""The output folder a build owns: which folders it refuses, the modes it leaves, and
permissions that change under it."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from coursegen.cli import main


def unprivileged(command: list[str]) -> list[str]:
    """``command`` run without the capabilities that let root ignore file permissions.

    CI runs as root, which may write into any folder; dropping every capability (the user
    stays root, so every path stays reachable) makes permissions count as for anyone else.
    """
    if os.geteuid() != 0:
        return command
    if shutil.which("setpriv") is None:
        pytest.fail("setpriv (util-linux) is needed to test permissions as root")
    return ["setpriv", "--bounding-set=-all", "--inh-caps=-all", *command]


def build(course: Path, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "coursegen", "build", str(course), "--quiet", *args]
    return subprocess.run(unprivileged(command), capture_output=True, text=True)


def leftovers(folder: Path) -> list[str]:
    return sorted(
        p.name for p in folder.iterdir() if p.name.startswith(".coursegen-") and p.is_dir()
    )


def tree_state(folder: Path) -> dict[str, tuple[int, int]]:
    """Every path under ``folder`` with its inode and modification time."""
    return {
        str(p.relative_to(folder)): (p.lstat().st_ino, p.lstat().st_mtime_ns)
        for p in [folder, *folder.rglob("*")]
    }


@pytest.mark.parametrize(
    ("target", "problem"),
    [
        (".", "is the course folder"),
        ("modules", "lies inside the course folder"),
        ("question_banks", "lies inside the course folder"),
        ("modules/images", "lies inside the course folder"),
        ("..", "holds the course folder"),
        ("/", "holds the course folder"),
    ],
)
def test_an_output_folder_that_would_replace_the_course_is_refused_untouched(
    runner, course_copy, monkeypatch, target, problem
):
    course = course_copy("full")
    before = tree_state(course.parent)
    monkeypatch.chdir(course)

    result = runner.invoke(main, ["build", "-o", target])

    assert result.exit_code == 1
    assert result.output == (
        f"Error: {target}: the output folder {problem}, and a build replaces its output "
        "folder whole; choose a folder of its own, such as output (the default)\n"
    )
    assert tree_state(course.parent) == before  # not one file made, moved or changed


def test_a_system_folder_is_refused_as_output(runner, course_copy):
    home = str(Path.home())
    result = runner.invoke(main, ["build", str(course_copy("minimal")), "-o", home])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {home}: the output folder is a system folder")


@pytest.mark.parametrize("inside", ["output", "output/site"])
def test_the_course_output_folder_and_folders_under_it_may_be_chosen(runner, course_copy, inside):
    course = course_copy("minimal")
    result = runner.invoke(main, ["build", str(course), "-o", str(course / inside), "-f", "gift"])
    assert result.exit_code == 0, result.output
    assert (course / inside / "minimal.gift").is_file()


@pytest.mark.parametrize("umask", [0o022, 0o027], ids=["umask-022", "umask-027"])
def test_output_folders_and_files_get_the_modes_of_the_umask(runner, course_copy, umask):
    course = course_copy("full")
    previous = os.umask(umask)
    try:
        result = runner.invoke(main, ["build", str(course), "--quiet"])
        assert result.exit_code == 0, result.output
        result = runner.invoke(main, ["build", str(course), "--quiet"])  # the swapped-in one
    finally:
        os.umask(previous)
    assert result.exit_code == 0, result.output
    out = course / "output"
    modes = {
        str(p.relative_to(course)): stat.S_IMODE(p.stat().st_mode) for p in [out, *out.rglob("*")]
    }
    expected = {path: (0o777 if (course / path).is_dir() else 0o666) & ~umask for path in modes}
    assert modes == expected
    assert {"output/anki", "output/html/assets", "output/full-course-scorm12.zip"} <= set(modes)


def test_a_read_only_output_folder_is_replaced_by_the_next_build(course_copy):
    course = course_copy("full")
    assert build(course).returncode == 0
    out = course / "output"
    subprocess.run(["chmod", "-R", "a-w", str(out)], check=True)

    result = build(course)

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert stat.S_IMODE((out / "html").stat().st_mode) & stat.S_IWUSR
    assert leftovers(course) == []


def test_a_read_only_staging_folder_left_by_a_killed_build_is_removed(course_copy):
    course = course_copy("minimal")
    left = course / ".coursegen-output-0badf00d"
    (left / "html" / "assets").mkdir(parents=True)
    (left / "html" / "assets" / "course.css").write_text("old")
    subprocess.run(["chmod", "-R", "a-w", str(left)], check=True)

    result = build(course, "-f", "gift")

    assert (result.returncode, result.stderr) == (0, "")
    assert leftovers(course) == []


def test_an_output_folder_in_a_folder_that_cannot_be_written_is_a_clear_error(
    tmp_path, course_copy
):
    course = course_copy("minimal")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)

    result = build(course, "-o", str(locked / "out"))

    assert result.returncode == 1
    assert result.stderr == (
        f"Error: {locked / 'out'}: cannot write the output folder: Permission denied\n"
    )


def test_symbolic_links_in_the_output_stay_links(runner, course_copy):
    course = course_copy("minimal")
    out = course / "output"
    out.mkdir()
    (out / "latest").symlink_to("html/index.html")
    result = runner.invoke(main, ["build", str(course), "-f", "html", "--quiet"])
    assert result.exit_code == 0, result.output
    assert os.readlink(out / "latest") == "html/index.html"


@pytest.mark.parametrize("value", ["99999999999999999", "-1", "yesterday", "1.5"])
def test_a_source_date_epoch_out_of_range_names_the_variable(runner, course_copy, value):
    result = runner.invoke(
        main, ["build", str(course_copy("minimal"))], env={"SOURCE_DATE_EPOCH": value}
    )
    assert result.exit_code == 1
    assert result.output == (
        "Error: SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01, from 0 "
        f"to 253402300799 (the end of year 9999), not '{value}'; "
        "unset it to build with the current time\n"
    )


def test_the_latest_source_date_epoch_builds_every_format(runner, course_copy):
    result = runner.invoke(
        main,
        ["build", str(course_copy("full")), "--quiet"],
        env={"SOURCE_DATE_EPOCH": "253402300799"},
    )
    assert result.exit_code == 0, result.output


@pytest.mark.skipif(sys.platform != "linux", reason="renameat2 is Linux's")
def test_the_new_output_takes_the_old_ones_place_in_one_step_on_linux(tmp_path):
    """Linux swaps the two folders atomically (renameat2), so there is no moment without
    an output folder; elsewhere the old one is renamed aside first."""
    from coursegen.output import _exchange

    old, new = tmp_path / "old", tmp_path / "new"
    for folder in (old, new):
        folder.mkdir()
        (folder / folder.name).touch()
    assert _exchange(new, old)
    assert [p.name for p in old.iterdir()] == ["new"]
    assert [p.name for p in new.iterdir()] == ["old"]


# --- the Anki lock, the state a build keeps in the course ------------------------------


def test_a_lock_file_that_cannot_be_written_is_a_clear_error(course_copy):
    course = course_copy("minimal")
    banks = course / "question_banks"
    subprocess.run(["chmod", "a-w", str(banks)], check=True)

    result = build(course, "-f", "anki")

    assert result.returncode == 1
    lock = banks / "anki-lock.json"
    assert result.stderr == f"Error: {lock}: cannot write: Permission denied\n"
    assert not lock.exists()
    assert leftovers(course) == []  # the lock's bytes, written aside, are gone too


def test_a_build_that_fails_after_anki_leaves_the_lock_as_it_was(
    course_copy, tmp_path, monkeypatch
):
    """Anki's new lock is written by the process that made it, aside; it is put in place
    only with the output."""
    from coursegen.build import build_course
    from coursegen.errors import OutputError
    from coursegen.exporters import gift

    course = course_copy("full")
    build_course(course, tmp_path / "out")
    lock = course / "question_banks" / "anki-lock.json"
    before = lock.read_bytes()
    bank = next((course / "question_banks").glob("*.yaml"))
    bank.write_text(bank.read_text().replace("prompt: ", "prompt: Edited ", 1))

    def no_space(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(gift, "export", no_space)
    with pytest.raises(OutputError, match="cannot write the gift output: No space left"):
        build_course(course, tmp_path / "out")
    assert lock.read_bytes() == before
    assert leftovers(tmp_path) == []

    monkeypatch.undo()
    build_course(course, tmp_path / "out")
    assert lock.read_bytes() != before  # the edit is in the lock once a build succeeds


def test_a_lock_is_put_in_place_from_an_output_on_another_file_system(course_copy):
    """The new lock is written beside the output, and copied into the course when the two
    are on different file systems, where it cannot be moved."""
    elsewhere = Path("/dev/shm")
    course = course_copy("minimal")
    if not elsewhere.is_dir() or elsewhere.stat().st_dev == course.stat().st_dev:
        pytest.skip("needs a second file system: /dev/shm")
    parent = Path(tempfile.mkdtemp(dir=elsewhere))
    try:
        result = build(course, "-f", "anki", "-o", str(parent / "out"))
        assert (result.returncode, result.stderr) == (0, "")
        banks = sorted(p.name for p in (course / "question_banks").iterdir())
        assert banks == ["anki-lock.json", "basics.yaml"]  # no temporary file left
        assert leftovers(parent) == []
    finally:
        shutil.rmtree(parent)
