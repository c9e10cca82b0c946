"""`coursegen import-csv`: a spreadsheet of questions -> a question bank YAML file.

Each row becomes a question, held with its row and column as source positions, so that the
ordinary validation reports problems as ``questions.csv:ROW:COLUMN``. Nothing is written
unless the whole course, with the imported bank in it, validates.

Columns (a header row names them; order is free; only the first seven are required):
  id, type, prompt, explanation, objectives, difficulty, source, options, answer, bloom, tags
- options: choices separated by '|', correct ones starting with '*' (single_choice,
  multiple_response); pairs 'left => right | ...' (matching); items in the right order
  'first | second | ...' (ordering)
- answer: 'true' or 'false' (true_false); accepted answers 'a | b' (short_answer)
- objectives, tags: separated by spaces, commas or semicolons
- cloze: gaps in the prompt, as in YAML: {{answer|also accepted}}
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from . import yamlio
from .errors import CourseError, Diagnostic, Severity, SourcePos, did_you_mean
from .loader import BANKS_DIR, SourceFile, load_course
from .model import Course
from .validate import validate
from .yamlio import YMap, YSeq

REQUIRED = ("id", "type", "prompt", "explanation", "objectives", "difficulty", "source")
OPTIONAL = ("options", "answer", "bloom", "tags")
_LISTS = re.compile(r"[\s,;]+")


def import_csv(
    csv_path: Path, module_id: str, course_dir: Path, out: Path | None = None, force: bool = False
) -> tuple[Path, Course | None, list[Diagnostic]]:
    """Convert ``csv_path`` into a bank for ``module_id``; write it only if all is valid."""
    target = out or course_dir / BANKS_DIR / f"{module_id}.yaml"
    if target.exists() and not force:
        raise CourseError(
            f"{target}: already exists; use --force to replace it, or -o to "
            "write the bank somewhere else"
        )
    shown = str(csv_path)
    rows, problems = _read_rows(csv_path, shown)
    bank = _bank(module_id, rows, shown)
    raw = load_course(course_dir)
    raw.banks = [(s, d) for s, d in raw.banks if s.path.resolve() != target.resolve()]
    raw.banks.append((SourceFile(csv_path, shown, ""), bank))
    course, diagnostics = validate(raw)
    diagnostics = sorted(problems + diagnostics, key=Diagnostic.sort_key)
    if problems or course is None:
        return target, None, diagnostics
    target.parent.mkdir(parents=True, exist_ok=True)
    header = f"# Imported from {csv_path.name} by coursegen import-csv.\n"
    target.write_text(header + yamlio.dump(_plain(bank)), "utf-8")
    return target, course, diagnostics


def _read_rows(path: Path, shown: str) -> tuple[list[tuple[int, dict]], list[Diagnostic]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise CourseError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise CourseError(
            f"{path}: not UTF-8 (byte offset {exc.start}); export the sheet as 'CSV UTF-8'"
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in next(reader, [])]
    problems = _check_header(header, shown)
    rows, start = [], reader.line_num + 1
    for cells in reader:
        if any(c.strip() for c in cells):
            rows.append((start, dict(zip(header, cells, strict=False))))
        start = reader.line_num + 1
    return rows, problems


def _check_header(header: list[str], shown: str) -> list[Diagnostic]:
    problems = []
    for col, name in enumerate(header, start=1):
        if name not in REQUIRED + OPTIONAL:
            hint = (
                did_you_mean(name, REQUIRED + OPTIONAL)
                or f"columns: {', '.join(REQUIRED + OPTIONAL)}"
            )
            problems.append(
                Diagnostic(
                    SourcePos(shown, 1, col),
                    Severity.ERROR,
                    f"unknown column '{name}'",
                    "unknown-column",
                    hint,
                )
            )
    for name in REQUIRED:
        if name not in header:
            problems.append(
                Diagnostic(
                    SourcePos(shown, 1, 1),
                    Severity.ERROR,
                    f"missing column '{name}'",
                    "missing-column",
                    f"add a '{name}' column to the header row",
                )
            )
    return problems


def _bank(module_id: str, rows: list[tuple[int, dict]], shown: str) -> YMap:
    questions = YSeq.fixed(
        SourcePos(shown, 2, 1),
        [(q, q.pos) for q in (_question(r, line, shown) for line, r in rows)],
    )
    start = SourcePos(shown, 1, 1)
    return YMap.fixed(start, {"module": (module_id, start), "questions": (questions, start)})


def _question(row: dict, line: int, shown: str) -> YMap:
    columns = list(row)
    kind = row.get("type", "").strip()
    values: dict = {}
    for name, cell in row.items():
        cell = cell.strip()
        if not cell or name not in REQUIRED + OPTIONAL:  # unknown columns are reported once
            continue
        col = columns.index(name) + 1
        if name in ("objectives", "tags"):
            values[name] = ([w for w in _LISTS.split(cell) if w], col)
        elif name == "options":
            values.update(_options(kind, cell, col))
        elif name == "answer":
            values.update(_answer(kind, cell, col))
        else:
            values[name] = (cell, col)
    return _map(SourcePos(shown, line, 1), values, shown, line)


def _options(kind: str, cell: str, col: int) -> dict:
    parts = [p.strip() for p in cell.split("|") if p.strip()]
    if kind == "matching":
        pairs = [
            dict(zip(("left", "right"), (s.strip() for s in p.split("=>", 1)), strict=False))
            for p in parts
        ]
        return {"pairs": (pairs, col)}
    if kind == "ordering":
        return {"items": (parts, col)}
    options = [
        {"text": p.lstrip("*").strip(), **({"correct": True} if p.startswith("*") else {})}
        for p in parts
    ]
    return {"options": (options, col)}


def _answer(kind: str, cell: str, col: int) -> dict:
    if kind == "true_false":
        truth = {"true": True, "yes": True, "false": False, "no": False}.get(cell.lower(), cell)
        return {"answer": (truth, col)}
    return {"answers": ([p.strip() for p in cell.split("|") if p.strip()], col)}


def _map(pos: SourcePos, values: dict, shown: str = "", line: int = 0) -> YMap:
    """A YMap whose every value (and nested value) sits at its cell's row and column."""
    cells = {}
    for key, (value, col) in values.items():
        cell = SourcePos(shown or pos.path, line or pos.line, col)
        cells[key] = (_located(value, cell), cell)
    return YMap.fixed(pos, cells)


def _located(value, pos: SourcePos):
    if isinstance(value, (YMap, YSeq)):
        return value
    if isinstance(value, dict):
        return _map(pos, {k: (v, pos.col) for k, v in value.items()})
    if isinstance(value, list):
        return YSeq.fixed(pos, [(_located(v, pos), pos) for v in value])
    return value


def _plain(value):
    """YMap/YSeq -> dicts and lists, with a question's keys in a readable order."""
    if isinstance(value, dict):
        order = [
            "id",
            "type",
            "prompt",
            "options",
            "answer",
            "answers",
            "pairs",
            "items",
            "explanation",
            "objectives",
            "difficulty",
            "bloom",
            "tags",
            "source",
        ]
        keys = sorted(value, key=lambda k: order.index(k) if k in order else -1)
        return {k: _plain(value[k]) for k in keys}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
