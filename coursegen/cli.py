"""The command line: parse options, call the library, print. No course logic lives here."""

from __future__ import annotations

import click

from . import __version__
from .exporters import EXPORTERS

COURSE_DIR = click.argument("course_dir", default=".", type=click.Path(file_okay=False))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="coursegen")
def main() -> None:
    """Validate a course folder and build it into an HTML course and Anki decks.

    A course folder holds modules/ (course.yaml and one Markdown file per module) and
    question_banks/ (one YAML file per module). See README.md for the format.
    """


@main.command()
@COURSE_DIR
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def validate(course_dir: str, strict: bool) -> None:
    """Check a course and print every problem, as path:line:col: error: message [code]."""
    from .build import check_course
    from .errors import ValidationFailed

    course, diagnostics = check_course(course_dir, strict=strict)
    _print_diagnostics(diagnostics)
    if course is None:
        raise ValidationFailed(diagnostics)
    click.echo(
        f"{course_dir}: ok: {len(course.modules)} modules, {len(course.questions)} "
        f"questions, {len(course.flashcards)} flashcards"
        + (f", {len(diagnostics)} warnings" if diagnostics else "")
    )


@main.command()
@COURSE_DIR
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(),
    help="Output folder (default: COURSE_DIR/output).",
)
@click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    metavar="FORMAT",
    help=f"Format to build; repeat for several (default: all). "
    f"One of: {', '.join(EXPORTERS) or 'none yet'}.",
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def build(course_dir: str, out_dir: str | None, formats: tuple[str, ...], strict: bool) -> None:
    """Validate a course, then build it into the output folder."""
    from .build import build_course
    from .errors import ValidationFailed

    try:
        result = build_course(course_dir, out_dir, list(formats), strict=strict)
    except ValidationFailed as failure:
        _print_diagnostics(failure.diagnostics, err=True)
        raise
    _print_diagnostics(result.diagnostics, err=True)
    if not result.written:
        click.echo(f"{course_dir}: valid; no output formats are available yet")
    for name, paths in result.written.items():
        for path in paths:
            click.echo(f"{name}: wrote {path}")


def _print_diagnostics(diagnostics, err: bool = False) -> None:
    for diagnostic in diagnostics:
        click.echo(diagnostic.format(), err=err)
