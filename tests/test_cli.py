"""End-to-end tests of the command line through click's CliRunner."""

import gc
import subprocess
import sys

import pytest

from coursegen import __version__, cli
from coursegen.cli import main

from .conftest import FIXTURES


def test_help_lists_the_commands(runner):
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "validate" in result.output and "build" in result.output


def test_version(runner):
    result = runner.invoke(main, ["--version"])
    assert result.output == f"coursegen, version {__version__}\n"


def test_python_dash_m_runs_the_cli():
    result = subprocess.run(
        [sys.executable, "-m", "coursegen", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout == f"coursegen, version {__version__}\n"


def test_validate_full_fixture_is_clean(runner):
    result = runner.invoke(main, ["validate", "--strict", str(FIXTURES / "full")])
    assert result.exit_code == 0, result.output
    assert result.output.endswith("ok: 2 modules, 9 questions, 2 flashcards\n")


def test_validate_defaults_to_the_current_folder(runner, monkeypatch):
    monkeypatch.chdir(FIXTURES / "minimal")
    result = runner.invoke(main, ["validate"])
    assert result.output == ".: ok: 1 module, 1 question, 0 flashcards\n"


def test_warnings_pass_without_strict(runner, course_copy):
    course = course_copy("minimal", overlay=FIXTURES / "invalid" / "unassessed-objective")
    result = runner.invoke(main, ["validate", str(course)])
    assert result.exit_code == 0
    assert "warning: objective 'name-river' is not assessed" in result.output
    assert result.output.endswith("ok: 1 module, 1 question, 0 flashcards, 1 warning\n")


def test_not_a_course_folder_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {tmp_path}: not a course folder (it has no 'modules/' folder); give the path "
        "of a course, or create one with 'coursegen new'\n"
    )


def test_diagnostics_name_paths_as_the_user_gave_them(runner, course_copy, tmp_path):
    course = course_copy("minimal", overlay=FIXTURES / "invalid" / "duplicate-id")
    result = runner.invoke(main, ["validate", str(course)])
    assert result.output.splitlines()[0] == (
        f"{course}/question_banks/basics.yaml:15:5: error: id 'capital' is used twice "
        f"(first at {course}/question_banks/basics.yaml:3:5) [duplicate-id]"
    )


def test_missing_manifest_is_reported(runner, course_copy):
    course = course_copy("minimal")
    (course / "modules" / "course.yaml").unlink()
    result = runner.invoke(main, ["validate", str(course)])
    assert result.exit_code == 1
    assert f"{course}/modules/course.yaml: error: missing file 'course.yaml' [missing-file]" in (
        result.output
    )


def test_crlf_and_bom_are_valid_input(runner, course_copy):
    course = course_copy("minimal")
    bank = course / "question_banks" / "basics.yaml"
    bank.write_bytes(b"\xef\xbb\xbf" + bank.read_bytes().replace(b"\n", b"\r\n"))
    result = runner.invoke(main, ["validate", "--strict", str(course)])
    assert result.exit_code == 0, result.output


def test_bytes_that_are_not_utf8_are_reported_with_their_line(runner, course_copy):
    course = course_copy("minimal")
    bank = course / "question_banks" / "basics.yaml"
    bank.write_bytes(bank.read_bytes().replace(b"Lyon", b"Ly\xf6n"))
    result = runner.invoke(main, ["validate", str(course)])
    assert result.exit_code == 1
    assert (
        f"{course}/question_banks/basics.yaml:9:17: error: the file is not valid UTF-8 "
        "(byte 0xf6 at offset 180) [encoding]"
    ) in result.output
    assert "not assessed" not in result.output


# What `coursegen --help` may import besides click: the start-up of every command pays it.
HELP_MUST_NOT_IMPORT = [
    # the libraries of the commands themselves
    *("jinja2", "pydantic", "genanki", "lxml", "markdown_it", "babel", "yaml", "nh3"),
    # the format registry's dataclasses: the help of `build -f` names the formats on demand
    *("coursegen.exporters", "dataclasses"),
    # shutil (with bz2, lzma and zlib) only to learn the terminal's width
    *("shutil", "bz2", "lzma"),
]


def test_help_imports_nothing_but_click_and_the_cli():
    script = (
        "import sys\n"
        "from coursegen.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write(' '.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    imported = done.stderr.split()
    assert "Commands:" in done.stdout
    assert [m for m in HELP_MUST_NOT_IMPORT if m in imported] == []
    assert [m for m in imported if m.startswith("coursegen")] == ["coursegen", "coursegen.cli"]


def test_the_console_script_exits_without_freeing_objects_but_runs_exit_handlers():
    script = (
        "import atexit, sys\n"
        "from coursegen.cli import run\n"
        "class Freed:\n"
        "    def __del__(self):\n"
        "        sys.stderr.write('freed one by one\\n')\n"
        "kept = Freed()\n"
        "atexit.register(lambda: sys.stderr.write('exit handler ran\\n'))\n"
        f"sys.argv = ['coursegen', 'validate', {str(FIXTURES / 'minimal')!r}]\n"
        "run()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (
        0,
        f"{FIXTURES / 'minimal'}: ok: 1 module, 1 question, 0 flashcards\n",
    )
    assert done.stderr == "exit handler ran\n"


def test_the_console_script_exits_with_the_command_s_status():
    script = (
        "import sys\n"
        "from coursegen.cli import run\n"
        "sys.argv = ['coursegen', 'build', '--format', 'nonsense']\n"
        "run()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.startswith("Error: unknown format 'nonsense'; formats: html, ")


@pytest.mark.parametrize("command", ["build", "validate"])
@pytest.mark.parametrize("ends", [True, False], ids=["console-script", "process-goes-on"])
def test_the_collector_stays_off_after_a_command_only_where_the_process_ends(
    runner, course_copy, tmp_path, monkeypatch, command, ends
):
    """After a build, the collector's first collections would walk everything the build
    left, just before the console script's exit drops it all; a process that goes on
    (tests, serve) keeps collecting."""
    monkeypatch.setattr(cli, "_ends_with_command", ends)
    args = [command, str(course_copy("minimal"))]
    args += ["-o", str(tmp_path / "out"), "--quiet"] if command == "build" else []
    try:
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
        assert gc.isenabled() is not ends
    finally:
        gc.enable()
