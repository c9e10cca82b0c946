"""The command line: parse options, call the library, print. No course logic lives here."""

from __future__ import annotations

import os
import sys

import click

from . import __version__

# Shared, as each click.Path asks gettext for its name, which costs start-up time.
FOLDER = click.Path(file_okay=False)
FILE_IN = click.Path(exists=True, dir_okay=False)
FILE_OUT = click.Path(dir_okay=False)
COURSE_DIR = click.argument("course_dir", default=".", type=FOLDER)


# Start-up: `coursegen --help` pays for every import at the top of this module, so the
# classes below keep to click alone (tests/test_cli.py checks what --help imports).


class _HelpFormatter(click.HelpFormatter):
    """click's help formatter, sized by os rather than shutil.

    click asks ``shutil.get_terminal_size`` for the width, and importing shutil (with bz2,
    lzma and zlib) costs as much as the rest of ``--help``; this computes the same width.
    """

    def __init__(self, indent_increment: int = 2, width=None, max_width=None) -> None:
        if width is None and click.formatting.FORCED_WIDTH is None:
            limit = 80 if max_width is None else max_width
            width = max(min(_terminal_columns(), limit) - 2, 50)
        super().__init__(indent_increment, width, max_width)


def _terminal_columns() -> int:
    """``shutil.get_terminal_size().columns``: $COLUMNS, else the terminal's, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class _Context(click.Context):
    formatter_class = _HelpFormatter


class _Command(click.Command):
    context_class = _Context


class _FormatsOption(click.Option):
    """``-f``, whose help names the formats of the registry when the help is shown."""

    @property
    def help(self) -> str:
        from .exporters import EXPORTERS  # its dataclasses cost more than the rest of --help

        return f"One of: {', '.join(EXPORTERS)}; repeat for several."

    @help.setter
    def help(self, _: object) -> None:  # click.Option sets it; the registry has the say
        pass


class _Commands(click.Group):
    """The command group; maps the library's errors to click's: ``Error: ...``, exit 1."""

    context_class = _Context
    command_class = _Command

    def invoke(self, ctx: click.Context):
        from .errors import CourseError

        try:
            return super().invoke(ctx)
        except CourseError as error:
            raise click.ClickException(str(error)) from None


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="coursegen")
def main() -> None:
    """Validate a course folder and build it into an HTML course and Anki decks.

    A course folder holds modules/ (course.yaml and one Markdown file per module) and
    question_banks/ (one YAML file per module). See README.md for the format.
    """


# Set by the console script (run): this process ends with the command it runs.
_ends_with_command = False


def run(prog_name: str | None = None) -> None:
    """The console script: ``main``, then an exit that leaves freeing memory to the system.

    A build holds millions of small objects (10,000 questions); Python's own exit would free
    them one by one, 0.15 s of a 2 s build. Exit handlers still run and output is flushed;
    while another thread runs, the exit is Python's own, which waits for it.
    """
    global _ends_with_command
    _ends_with_command = True
    try:
        main(prog_name=prog_name)
        code = 0
    except SystemExit as done:
        code = done.code if done.code is not None else 0
    threading = sys.modules.get("threading")
    if not isinstance(code, int) or (threading is not None and threading.active_count() > 1):
        sys.exit(code)
    import atexit

    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe: let Python report it as it would
        sys.exit(code)
    os._exit(code)


def _no_collections_to_the_end() -> None:
    """Keep the cyclic garbage collector off for the rest of a command that ends the process.

    A build pauses it while it runs (build.gc_paused); turned on again, its first collections
    walk every object the build left, 60 ms at 10,000 questions, just before the exit drops
    them all anyway. Not in a process that goes on (tests, serve).
    """
    if _ends_with_command:
        import gc

        gc.disable()


FORMATS = click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    metavar="FORMAT",
    cls=_FormatsOption,
)
LANGUAGE = click.option(
    "--lang",
    "language",
    metavar="LANG",
    help="A language the course is translated into (see 'coursegen translate').",
)
STRICT = click.option(
    "--strict",
    is_flag=True,
    help="Treat warnings as errors, including what a format cannot carry.",
)


@main.command()
@COURSE_DIR
@FORMATS
@LANGUAGE
@STRICT
def validate(course_dir: str, formats: tuple[str, ...], language: str | None, strict: bool) -> None:
    """Check a course and print every problem, as path:line:col: error: message [code].

    With -f, also list what each FORMAT cannot carry of the course. The course's translations
    are checked too; with --lang, only LANG's, listing each text it has no translation for.
    """
    from .build import check_course, check_formats, fall_short, shortfall_diagnostics
    from .errors import ValidationFailed, plural

    _no_collections_to_the_end()
    course, diagnostics = check_course(course_dir, strict=strict)
    _print_diagnostics(diagnostics)
    if course is None:
        raise ValidationFailed(diagnostics)
    diagnostics = [*diagnostics, *_check_translations(course, course_dir, language, strict)]
    found = check_formats(course, list(formats))
    _print_diagnostics(shortfall_diagnostics(found))
    if strict and any(found.values()):
        raise fall_short(diagnostics, found)
    warnings = len(diagnostics) + sum(map(len, found.values()))
    counts = [
        plural(len(course.modules), "module"),
        plural(len(course.questions), "question"),
        plural(len(course.flashcards), "flashcard"),
    ]
    if course.retired:  # kept in the banks, carried by no format
        counts.insert(2, plural(len(course.retired), "retired question"))
    if warnings:
        counts.append(plural(warnings, "warning"))
    click.echo(f"{course_dir}: ok: {', '.join(counts)}")


@main.command()
@COURSE_DIR
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(),
    help="Output folder (default: COURSE_DIR/output; with --lang, COURSE_DIR/output/LANG).",
)
@FORMATS
@LANGUAGE
@STRICT
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but problems.")
@click.option("-v", "--verbose", is_flag=True, help="List each thing a format cannot carry.")
@click.option(
    "--no-cache",
    is_flag=True,
    help="Build everything afresh, and keep nothing for the next build (the output is the same).",
)
def build(
    course_dir: str,
    out_dir: str | None,
    formats: tuple[str, ...],
    language: str | None,
    strict: bool,
    quiet: bool,
    verbose: bool,
    no_cache: bool,
) -> None:
    """Validate a course, then build it into the output folder (every format by default).

    With --lang, build it in LANG from its translation files, into COURSE_DIR/output/LANG/.
    What the build made is kept in the user's cache folder (COURSEGEN_CACHE_DIR, else
    ~/.cache/coursegen), so that the next one redoes only what an edit changed.
    """
    from .build import build_course
    from .errors import ValidationFailed

    progress = _Progress(enabled=not quiet and _is_terminal())
    _no_collections_to_the_end()
    try:
        result = build_course(
            course_dir,
            out_dir,
            list(formats),
            strict=strict,
            progress=progress.stage,
            language=language,
            remember=not no_cache,
        )
    except ValidationFailed as failure:
        progress.done()
        _print_diagnostics(failure.diagnostics, err=True)
        raise
    progress.done()
    _print_diagnostics(result.diagnostics, err=True)
    if result.translation is not None:
        click.echo(result.translation.summary(), err=True)
    if not quiet:
        for name, paths in result.written.items():
            for path in paths:
                click.echo(f"{name}: wrote {path}")
    for message in result.messages:
        click.echo(message, err=True)
    if verbose:
        _print_diagnostics(result.format_warnings, err=True)
        return
    for name, shortfalls in result.shortfalls.items():
        if shortfalls:
            click.echo(_shortfall_summary(name, shortfalls), err=True)


def _check_translations(course, course_dir: str, language: str | None, strict: bool) -> list:
    """Print the problems of the course's translations (LANG's alone, if given); raise on
    an error, or with ``strict`` on a warning."""
    from .errors import Severity, ValidationFailed
    from .translation.apply import check_translations, translate

    if language:
        found = [translate(course, course_dir, language)]
    else:
        found = check_translations(course, course_dir)
    diagnostics = [d for applied in found for d in applied.diagnostics]
    _print_diagnostics(diagnostics)
    for applied in found:
        click.echo(applied.summary())
    if any(d.severity is Severity.ERROR for d in diagnostics) or (strict and diagnostics):
        raise ValidationFailed(diagnostics)
    return diagnostics


def _shortfall_summary(name: str, shortfalls) -> str:
    """``gift leaves out 18 questions (7 ordering, 11 cloze); ...`` for one format."""
    from collections import Counter

    from .errors import plural

    def counted(found) -> str:
        kinds = Counter(s.kind or "course" for s in found)
        return (
            f"{plural(len(found), 'item' if 'course' in kinds else 'question')} ("
            + ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
            + ")"
        )

    left_out = [s for s in shortfalls if s.leaves_out]
    changed = [s for s in shortfalls if not s.leaves_out]
    parts = [f"leaves out {counted(left_out)}"] if left_out else []
    parts += [f"changes {counted(changed)}"] if changed else []
    return (
        f"{name} {' and '.join(parts)}, which it cannot carry as written; "
        f"list them with: coursegen validate -f {name}"
    )


class _Progress:
    """Stage lines with timings on a terminal (stderr); silent when piped or with --quiet."""

    def __init__(self, enabled: bool):
        import time

        self.enabled = enabled
        self.clock = time.perf_counter
        self.current: tuple[str, float] | None = None

    def stage(self, name: str) -> None:
        self.done()
        if self.enabled:
            click.echo(f"{name}...", err=True, nl=False, color=_color())
        self.current = (name, self.clock())

    def done(self) -> None:
        if self.enabled and self.current:
            click.echo(f" {self.clock() - self.current[1]:.2f} s", err=True)
        self.current = None


def _is_terminal() -> bool:
    return sys.stderr.isatty()


def _color() -> bool | None:
    """None lets click decide (colour on a terminal only); NO_COLOR turns it off everywhere."""
    return False if os.environ.get("NO_COLOR") else None


_SEVERITY_COLOURS = {"error": "red", "warning": "yellow"}


def _print_diagnostics(diagnostics, err: bool = False) -> None:
    """Print diagnostics, with 'error' and 'warning' in colour on a terminal unless NO_COLOR."""
    for diagnostic in diagnostics:
        word = diagnostic.severity.value
        text = diagnostic.format().replace(
            f": {word}: ", f": {click.style(word, fg=_SEVERITY_COLOURS[word], bold=True)}: ", 1
        )
        click.echo(text, err=err, color=_color())


@main.command()
@COURSE_DIR
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON, for scripts.")
def stats(course_dir: str, as_json: bool) -> None:
    """Show, per module, questions by type, difficulty and Bloom level, and coverage."""
    import json

    from .build import check_course
    from .errors import ValidationFailed
    from .stats import course_stats, format_stats

    course, diagnostics = check_course(course_dir)
    if course is None:
        _print_diagnostics(diagnostics, err=True)
        raise ValidationFailed(diagnostics)
    figures = course_stats(course)
    click.echo(
        json.dumps(figures, indent=2, ensure_ascii=False) if as_json else format_stats(figures)
    )


@main.command()
@COURSE_DIR
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON, for scripts.")
@click.option("--strict", is_flag=True, help="Exit with status 1 if there is any finding.")
def lint(course_dir: str, as_json: bool, strict: bool) -> None:
    """Review the questions as item-writing guides would, and print every finding.

    Each finding is path:line:col: warning: message [code], with a hint and the guideline it
    comes from; a summary of counts and figures ends the report. Thresholds are set in the
    manifest's 'lint:' mapping (see README.md).
    """
    import json

    from .errors import ValidationFailed, plural
    from .lint.review import lint_course
    from .lint.summary import format_summary

    try:
        found = lint_course(course_dir)
    except ValidationFailed as failure:
        _print_diagnostics(failure.diagnostics, err=True)
        raise
    if as_json:
        click.echo(json.dumps(found.as_dict(), indent=2, ensure_ascii=False))
    else:
        _print_diagnostics(found.findings)
        click.echo(format_summary(course_dir, found))
    if strict and found.findings:
        raise click.ClickException(
            f"{plural(len(found.findings), 'finding')}, which --strict counts as errors"
        )


@main.command()
@COURSE_DIR
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port on 127.0.0.1 (0 picks a free one).",
)
@LANGUAGE
def serve(course_dir: str, port: int, language: str | None) -> None:
    """Serve the HTML course locally and rebuild it whenever a course file changes.

    With --lang, serve it in LANG, rebuilt as its translation files change too.
    """
    from pathlib import Path

    from .serve import serve as run

    run(Path(course_dir), port, lambda text: click.echo(text, color=_color()), language)


# The course an import writes into (both import commands take it).
_course_option = click.option(
    "--course",
    "course_dir",
    default=".",
    type=FOLDER,
    show_default=True,
    help="The course folder.",
)


def _bank_file_option(help: str):
    """-o: the bank file an import writes (both import commands take it)."""
    return click.option("-o", "--output", "out", type=FILE_OUT, help=help)


@main.command("import-csv")
@click.argument("csv_file", type=FILE_IN)
@click.option("--module", "module_id", required=True, help="The id of the module the bank is for.")
@_course_option
@_bank_file_option("Bank file to write (default: COURSE/question_banks/MODULE.yaml).")
@click.option("--force", is_flag=True, help="Replace the bank file if it exists.")
def import_csv_command(
    csv_file: str, module_id: str, course_dir: str, out: str | None, force: bool
) -> None:
    """Turn a spreadsheet (CSV) of questions into a question bank; see README for columns."""
    from pathlib import Path

    from .csvimport import import_csv
    from .errors import ValidationFailed

    target, course, diagnostics = import_csv(
        Path(csv_file), module_id, Path(course_dir), Path(out) if out else None, force
    )
    _print_diagnostics(diagnostics, err=course is None)
    if course is None:
        raise ValidationFailed(diagnostics)
    click.echo(f"wrote {target}: {len(course.questions_of(module_id))} questions")


@main.command("import")
@click.argument("file", type=FILE_IN)
@click.option(
    "--module", "module_id", help="Put every question in this module's bank (CSV: required)."
)
@_course_option
@_bank_file_option("Bank file to write, when the questions go to one module.")
@click.option("--force", is_flag=True, help="Replace bank and module files that exist.")
@click.pass_context
def import_command(
    ctx: click.Context,
    file: str,
    module_id: str | None,
    course_dir: str,
    out: str | None,
    force: bool,
) -> None:
    """Import questions (Moodle XML, GIFT, QTI 1.2, CSV) into the course's banks; see README."""
    from pathlib import Path

    from .errors import CourseError, ImportRefused, plural
    from .importers import detect, import_questions, readers

    path = Path(file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CourseError(f"{path}: cannot read: {exc.strerror or exc}") from None
    kind = detect(path, data)
    if kind == "CSV":
        if not module_id:
            raise CourseError(f"{path}: a CSV file's questions need --module ID: the module")
        ctx.invoke(
            import_csv_command,
            csv_file=file,
            module_id=module_id,
            course_dir=course_dir,
            out=out,
            force=force,
        )
        return
    if kind not in readers():
        raise CourseError(_not_importable(path, kind))
    result = import_questions(
        path, data, kind, Path(course_dir), module_id, Path(out) if out else None, force
    )
    _print_diagnostics(result.diagnostics, err=result.course is None)
    if result.course is None:
        raise ImportRefused(result.diagnostics, path.name)
    for module, count in result.banks.items():
        click.echo(f"module {module}: {plural(count, 'question')} imported")
    for written in result.written:
        click.echo(f"wrote {written}")


def _not_importable(path, kind: str) -> str:
    return (
        f"{path}: not a format coursegen can import (it reads Moodle XML, whose root element "
        "is <quiz>; GIFT text; QTI 1.2, a package (zip) or a <questestinterop> file; and CSV "
        "files)"
    )


@main.group()
def translate() -> None:
    """Translate a course: write translation files, which builds with --lang read back."""


@translate.command()
@click.option("--lang", "language", required=True, help="The language to translate into: 'ar'.")
@COURSE_DIR
def extract(language: str, course_dir: str) -> None:
    """Write or update the course's translation files for LANG, keeping what is translated.

    Each text becomes an entry of a gettext PO file in modules/translations/LANG/: course.po
    for the manifest, and one file per module (its lesson, its questions and flashcards).
    """
    from .errors import ValidationFailed
    from .translation.extract import extract as run

    try:
        written = run(course_dir, language)
    except ValidationFailed as failure:
        _print_diagnostics(failure.diagnostics, err=True)
        raise
    for file in written:
        click.echo(
            f"{'wrote' if file.changed else 'unchanged'} {file.path}: {_counts(file.counts)}"
        )


def _counts(counts) -> str:
    """``12 texts: 9 translated, 1 stale, 2 to translate``."""
    from .errors import plural

    words = {"translated": "translated", "stale": "stale", "missing": "to translate"}
    parts = [f"{n} {words[state.value]}" for state, n in counts.items() if n]
    return f"{plural(sum(counts.values()), 'text')}: {', '.join(parts) or 'none'}"


@main.command()
@click.argument("directory", type=FOLDER)
def new(directory: str) -> None:
    """Create a small, complete course in DIRECTORY (which must not exist yet)."""
    import shlex
    from pathlib import Path

    from .scaffold import new_course

    written = new_course(Path(directory))
    quoted = shlex.quote(directory)
    click.echo(f"Created {directory} with {len(written)} files. Next:")
    click.echo(f"  coursegen validate {quoted}")
    click.echo(f"  coursegen build {quoted}")
    click.echo(f"  then open {Path(directory, 'output', 'html', 'index.html')} in a browser")
    click.echo(
        "Builds write output/ (git ignores it) and question_banks/anki-lock.json, which keeps "
        "Anki notes updating in place: commit that file with your bank edits."
    )


@main.command()
@click.argument("kind", type=click.Choice(["bank", "module", "course"]), default="bank")
def schema(kind: str) -> None:
    """Print the JSON Schema of question banks, module front matter or the course manifest.

    Editors use it for completion and checks: VS Code's YAML extension reads a
    '# yaml-language-server: $schema=PATH' line at the top of a YAML file.
    """
    import json

    from .schema import json_schema

    click.echo(json.dumps(json_schema(kind), indent=2))
