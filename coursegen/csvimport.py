"""`coursegen import-csv`: a spreadsheet of questions -> a question bank YAML file.

Each row becomes a question, held with its row and column as source positions, so that the
ordinary validation reports problems as ``questions.csv:ROW:COLUMN`` (ROW is the line the row
starts on, COLUMN the cell's number). Nothing is written unless the whole course, with the
imported bank in it, validates.

Columns (a header row names them; order is free; only the first six are required):
  id, type, prompt, explanation, objectives, source, options, answer, difficulty, bloom, tags
- options, answer: each question type reads the cells it needs (its ``csv`` in questions/)
- objectives, tags: separated by spaces, commas or semicolons
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import io
import re
import textwrap
from pathlib import Path

from . import yamlio
from .errors import CourseError, Diagnostic, Severity, SourcePos, did_you_mean
from .loader import BANKS_DIR, SourceFile, load_course
from .model import Course
from .questions import QUESTION_TYPES
from .questions.common import split_cell
from .validate import validate
from .yamlio import YMap, YSeq

REQUIRED = ("id", "type", "prompt", "explanation", "objectives", "source")
ANSWER_COLUMNS = tuple(dict.fromkeys(c for t in QUESTION_TYPES.values() for c in t.csv))
OPTIONAL = (*ANSWER_COLUMNS, "difficulty", "bloom", "tags")
# A cell that its row's type does not read still reaches the schema, under this key, so that
# the row is told its type has no such key.
_UNREAD = {"options": "options", "answer": "answers"}
_LISTS = re.compile(r"[\s,;]+")
_NOT_TEXT = re.compile("[\0\udc80-\udcff]")  # NUL, or a byte that is not UTF-8 (surrogateescape)


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
    columns, rows, problems = _read_rows(csv_path, shown)
    if rows is None:  # not text: nothing read from it can be trusted
        return target, None, problems
    bank = _bank(module_id, columns, rows, shown)
    raw = load_course(course_dir)
    raw.banks = [(s, d) for s, d in raw.banks if s.path.resolve() != target.resolve()]
    raw.banks.append((SourceFile(csv_path, shown, ""), bank))
    course, diagnostics = validate(raw)
    diagnostics = [_in_sheet_words(d, shown, columns, dict(rows)) for d in diagnostics]
    diagnostics = sorted(problems + diagnostics, key=Diagnostic.sort_key)
    if problems or course is None:
        return target, None, diagnostics
    target.parent.mkdir(parents=True, exist_ok=True)
    header = f"# Imported from {csv_path.name} by coursegen import-csv.\n"
    target.write_text(header + yamlio.dump(plain_data(bank)), "utf-8")
    return target, course, diagnostics


# What to write in a required cell left blank.
_FILL = {
    "id": "write an id of lowercase letters, digits and hyphens, such as 'capital-1'",
    "type": f"write the question's type: {', '.join(QUESTION_TYPES)}",
    "prompt": "write the question",
    "explanation": "write why the right answer is right",
    "objectives": "write the ids of the objectives it assesses, separated by spaces",
    "source": "copy the passage of the lesson that the question rests on",
    "options": "write the options separated by '|', with '*' before each right one",
    "answer": "write true or false (true_false), or the accepted answers separated by '|'",
}
# Codes of the problems a blank cell gives, whatever the key the cell feeds.
_BLANK = {"empty", "too-few", "missing-key", "bad-value", "wrong-type"}


def _in_sheet_words(
    d: Diagnostic, shown: str, columns: dict[str, int], rows: dict[int, list[str]]
) -> Diagnostic:
    """A diagnostic of a row in the sheet's words: cells and '*', not keys and 'correct: true'."""
    cells = rows.get(d.pos.line)
    if d.pos.path != shown or cells is None:
        return d
    column = next((name for name, col in columns.items() if col == d.pos.col), None)
    blank = column is not None and (d.pos.col > len(cells) or not cells[d.pos.col - 1].strip())
    if blank and d.code in _BLANK:
        message = f"the '{column}' cell is empty"
        return dataclasses.replace(d, message=message, code="empty", hint=_FILL[column])
    kind = cells[columns["type"] - 1].strip() if columns.get("type", 0) <= len(cells) else ""
    question_type = QUESTION_TYPES.get(kind) if "type" in columns else None
    hint = question_type.csv_hints.get(d.code) if question_type else None
    return dataclasses.replace(d, hint=hint) if hint else d


def _read_rows(
    path: Path, shown: str
) -> tuple[dict[str, int], list[tuple[int, list[str]]] | None, list[Diagnostic]]:
    """The known columns' numbers, the non-blank rows with their line, and problems."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CourseError(f"{path}: cannot read: {exc.strerror or exc}") from None
    body = data.removeprefix(codecs.BOM_UTF8)
    text = body.decode("utf-8", errors="surrogateescape")
    records, problems = _records(text, shown)
    bad = _not_text(text, len(data) - len(body), records, shown)
    if bad is not None:
        return {}, None, [bad]  # a sheet saved in another encoding is wrong throughout: say it once
    header = [h.strip().lower() for h in (records[0][1] if records else [])]
    while header and not header[-1]:
        header.pop()  # some spreadsheets end every line with empty cells
    problems += _check_header(header, shown)
    rows = [(line, cells) for line, cells in records[1:] if any(c.strip() for c in cells)]
    for line, cells in rows:
        problems += _extra_cells(header, cells, line, shown)
    return _columns(header), rows, problems


def _records(text: str, shown: str) -> tuple[list[tuple[int, list[str]]], list[Diagnostic]]:
    """Every row's cells with the line it starts on; where the CSV breaks, a diagnostic."""
    separator = _separator(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    records, start = [], 1
    try:
        for cells in reader:
            records.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        hint = (
            "a cell in double quotes ends at the next double quote; write a double quote inside "
            'such a cell as two ("")'
        )
        opened = _unclosed_quote(text, start, separator)
        if opened is not None:
            message = "the double quote that opens this cell is never closed"
            hint = "add a double quote where the cell ends; " + hint.split("; ")[1]
            return records, [_error(shown, *opened, message, "bad-csv", hint)]
        message = f"cannot read this row as CSV ({exc})"
        return records, [_error(shown, start, 1, message, "bad-csv", hint)]
    return records, []


def _separator(text: str) -> str:
    """The separator the header row uses: ',' or, as spreadsheets set to many languages
    save CSV, ';' or a tab. Column names hold none of them, so the header's count tells."""
    header = text.split("\n", 1)[0]
    return max(",;\t", key=header.count) if any(s in header for s in ",;\t") else ","


def _unclosed_quote(text: str, line: int, separator: str) -> tuple[int, int] | None:
    """The line and cell number of the quote that opens a cell of the row starting at
    ``line`` and is never closed, if that is what broke the row."""
    at = sum(len(row) + 1 for row in text.split("\n")[: line - 1])
    cell, cell_start, opened = 1, True, None
    while at < len(text):
        char = text[at]
        if opened is not None:
            if char == '"' and text[at + 1 : at + 2] == '"':
                at += 1  # a doubled quote stands for one inside the cell
            elif char == '"':
                opened = None
            elif char == "\n":
                line += 1
            at += 1
            continue
        if char == '"' and cell_start:
            opened = (line, cell)
        elif char == "\n":
            return None  # the row ended with its quotes closed: something else broke it
        cell_start = char == separator
        cell += char == separator
        at += 1
    return opened


def _not_text(text: str, skipped: int, records: list, shown: str) -> Diagnostic | None:
    """The first NUL or non-UTF-8 byte, at the row and column of its cell."""
    for line, cells in records:
        for col, cell in enumerate(cells, start=1):
            if _NOT_TEXT.search(cell):
                return _error(shown, line, col, *_not_text_message(text, skipped))
    return None


def _not_text_message(text: str, skipped: int) -> tuple[str, str, str]:
    hint = "save the sheet as 'CSV UTF-8'"
    found = _NOT_TEXT.search(text)  # the one in the cell: cells are read in the file's order
    if found.group() == "\0":
        return "the file contains a NUL byte; it is not a text file", "not-text", hint
    offset = skipped + len(text[: found.start()].encode())
    byte = ord(found.group()) - 0xDC00  # where surrogateescape keeps the byte
    return f"the file is not valid UTF-8 (byte 0x{byte:02x} at offset {offset})", "encoding", hint


def _check_header(header: list[str], shown: str) -> list[Diagnostic]:
    known = REQUIRED + OPTIONAL
    problems = []
    for col, name in enumerate(header, start=1):
        first = header.index(name) + 1
        if name in known and first != col:
            hint = f"column {first} is '{name}' already; remove one of the two"
            problems.append(
                _error(shown, 1, col, f"duplicate column '{name}'", "duplicate-column", hint)
            )
        elif name not in known:
            hint = did_you_mean(name, known) or f"columns: {', '.join(known)}"
            problems.append(
                _error(shown, 1, col, f"unknown column '{name}'", "unknown-column", hint)
            )
    for name in REQUIRED:
        if name not in header:
            hint = f"add a '{name}' column to the header row"
            problems.append(_error(shown, 1, 1, f"missing column '{name}'", "missing-column", hint))
    return problems


def _error(shown: str, line: int, col: int, message: str, code: str, hint: str) -> Diagnostic:
    return Diagnostic(SourcePos(shown, line, col), Severity.ERROR, message, code, hint)


def _columns(header: list[str]) -> dict[str, int]:
    """Each known column's number; the first one of a repeated name (the repeat is reported)."""
    columns: dict[str, int] = {}
    for col, name in enumerate(header, start=1):
        if name in REQUIRED + OPTIONAL:
            columns.setdefault(name, col)
    return columns


def _extra_cells(header: list[str], cells: list[str], line: int, shown: str) -> list[Diagnostic]:
    """Cells past the header's last column: usually a comma that shifted the row's cells."""
    extra = [
        (col, cell.strip())
        for col, cell in enumerate(cells[len(header) :], start=len(header) + 1)
        if cell.strip()
    ]
    if not header or not extra:
        return []
    named = ", ".join(f"'{textwrap.shorten(cell, 40, placeholder='...')}'" for _, cell in extra)
    message = f"cells beyond the last column ('{header[-1]}'): {named}"
    hint = (
        f"this row has {extra[-1][0]} cells but the header names {len(header)} columns; "
        "a comma inside a cell needs the cell in double quotes"
    )
    return [_error(shown, line, extra[0][0], message, "extra-cells", hint)]


def _bank(
    module_id: str, columns: dict[str, int], rows: list[tuple[int, list[str]]], shown: str
) -> YMap:
    questions = YSeq.fixed(
        SourcePos(shown, 2, 1),
        [(q, q.pos) for q in (_question(columns, cells, line, shown) for line, cells in rows)],
    )
    start = SourcePos(shown, 1, 1)
    return YMap.fixed(start, {"module": (module_id, start), "questions": (questions, start)})


def _question(columns: dict[str, int], cells: list[str], line: int, shown: str) -> YMap:
    def cell(name: str) -> str:  # a row may end before the header does
        col = columns.get(name, len(cells) + 1)
        return cells[col - 1].strip() if col <= len(cells) else ""

    kind = cell("type")
    values: dict = {}
    for name, col in columns.items():
        text = cell(name)
        found = _values(name, kind, text, col)
        # A blank cell is no value, unless the question needs one: then say so at that cell.
        values.update((key, v) for key, v in found.items() if text or _required(kind, key))
    return _map(SourcePos(shown, line, 1), values, shown, line)


def _values(name: str, kind: str, cell: str, col: int) -> dict:
    if name in ("objectives", "tags"):
        return {name: ([w for w in _LISTS.split(cell) if w], col)}
    if name in ANSWER_COLUMNS:
        question_type = QUESTION_TYPES.get(kind)
        read = question_type.csv.get(name) if question_type else None
        found = read(cell) if read else {_UNREAD.get(name, name): split_cell(cell)}
        return {key: (value, col) for key, value in found.items()}
    return {name: (cell, col)}


def _required(kind: str, key: str) -> bool:
    question_type = QUESTION_TYPES.get(kind)
    field = question_type.schema.model_fields.get(key) if question_type else None
    return key in REQUIRED or (field is not None and field.is_required())


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


# A question's keys in the order the bank shows them.
_ORDER = (
    *("id", "type", "prompt"),
    "",  # any other key: the answer data, whatever the type
    *("explanation", "objectives", "difficulty", "bloom", "tags", "source"),
)


def plain_data(value):
    """YMap/YSeq -> dicts and lists, with a question's keys in a readable order."""
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: _ORDER.index(k if k in _ORDER else ""))
        return {k: plain_data(value[k]) for k in keys}
    if isinstance(value, list):
        return [plain_data(v) for v in value]
    return value
