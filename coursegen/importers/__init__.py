"""`coursegen import`: question banks from another tool's export, recognised by content.

Each format has a reader (moodle.py, gift.py, qti.py) that gives the same thing (parsed.Parsed):
categories of questions, each value at its place in the export. CSV goes to `import-csv`.
Each category becomes a bank of the module it names (or of ``--module``); a module the course
lacks is written as a stub whose objective and lesson the author fills in. As with
`import-csv`, the course with the new files in it is validated first, in a copy, and nothing
is written unless it validates.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from .. import markup, yamlio
from ..csvimport import plain_data
from ..errors import CourseError, Diagnostic, Severity, SourcePos, plural
from ..loader import BANKS_DIR, MANIFEST, MODULES_DIR, SourceFile, load_course
from ..model import Course
from ..passages import closest_passage
from ..validate import STUB_MARK, validate
from ..yamlio import YMap, YSeq
from .parsed import Parsed, slug

_COPY_IGNORED = shutil.ignore_patterns("output", ".git", ".venv", "node_modules")


def detect(path: Path, data: bytes) -> str:
    """The format of an export, from its content (and, for CSV, its name)."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").decode("utf-8", "replace")
    if data.startswith(b"PK\x03\x04"):
        return "QTI 1.2"  # a content package: QTI is the only zip coursegen would read
    if head.startswith("<"):
        body = re.sub(r"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", "", head, flags=re.S).lstrip()
        if body.startswith("<quiz"):
            return "Moodle XML"
        if re.match(r"<(questestinterop|assessment|item)\b", body):
            return "QTI 1.2"
        return "XML"
    if path.suffix.lower() == ".csv":
        return "CSV"
    if re.search(r"^\s*::.*?::|\{\s*(=|~|T\b|F\b|TRUE\b|FALSE\b)", head, re.M):
        return "GIFT"
    return "unknown"


@dataclass
class Result:
    written: list[Path]
    course: Course | None
    diagnostics: list[Diagnostic]
    banks: dict[str, int]  # module id -> questions imported


def readers() -> dict:
    """The formats `coursegen import` reads: name -> reader(data, shown, course_id)."""
    from . import gift, moodle, qti

    return {"Moodle XML": moodle.parse, "GIFT": gift.read, "QTI 1.2": qti.read}


def import_questions(
    path: Path,
    data: bytes,
    kind: str,
    course_dir: Path,
    module_id: str | None,
    out: Path | None,
    force: bool,
) -> Result:
    """Turn an export into banks (and module stubs); write them only if the course validates."""
    raw = load_course(course_dir)
    course_id = raw.manifest.get("id", "") if isinstance(raw.manifest, dict) else ""
    parsed = readers()[kind](data, str(path), str(course_id))
    if parsed.errors:  # the export is broken: say where, import nothing
        found = sorted(parsed.errors + parsed.warnings, key=Diagnostic.sort_key)
        return Result([], None, found, {})
    modules = _modules(raw)
    banks: dict[str, list[YMap]] = {}
    descriptions: dict[str, tuple[str, str]] = {}
    for number, category in enumerate(parsed.categories, start=1):
        target = module_id or category.module or _module_for(category.name, modules, number)
        banks.setdefault(target, []).extend(category.questions)
        descriptions.setdefault(target, (category.name, category.description))
    if not banks:
        raise CourseError(f"{path}: no question that coursegen can import")
    if out is not None and len(banks) > 1:
        raise CourseError(
            f"{path}: its questions go to {len(banks)} modules ({', '.join(banks)}); "
            "-o names one bank file, so import with --module, or leave -o out"
        )
    files = _planned(raw.root, banks, modules, descriptions, out, parsed)
    _refuse_overwrite(files, force)
    return _validated(raw, path, files, banks, parsed)


def _modules(raw) -> dict[str, str]:
    """The course's modules: id -> title."""
    found = {}
    for module in raw.modules:
        if isinstance(module.front, dict) and isinstance(module.front.get("id"), str):
            found[module.front["id"]] = str(module.front.get("title", ""))
    return found


def _module_for(category: str, modules: dict[str, str], number: int) -> str:
    """The module a category names: by its title, its id, or its title as coursegen's own
    export names the category ('Module 2: Weather'); else a new module of that name."""
    wanted = slug(category)
    for module_id, title in modules.items():
        if category.strip() == title.strip() or (wanted and wanted in (module_id, slug(title))):
            return module_id
    # A name without Latin letters or digits (an Arabic one, say) makes no id: number it.
    return wanted or f"module-{number}"


@dataclass
class _Files:
    """What an import writes: path -> text or bytes; which banks; stub modules' ids."""

    contents: dict[Path, str | bytes]
    bank_paths: dict[str, Path]
    stubs: list[str]


def _planned(root, banks, modules, descriptions, out, parsed: Parsed) -> _Files:
    contents: dict[Path, str | bytes] = {}
    bank_paths = {m: out or root / BANKS_DIR / f"{m}.yaml" for m in banks}
    folder = out.parent if out else root / BANKS_DIR  # the banks' texts say images/NAME
    for saved, data in parsed.images.items():
        contents[folder / "images" / saved] = data
    stubs = [m for m in banks if m not in modules]
    number = len(modules)
    for module_id in stubs:
        number += 1
        title, description = descriptions[module_id]
        path = root / MODULES_DIR / f"{number:02d}-{module_id}.md"
        contents[path] = _stub(module_id, title, description, banks[module_id], parsed.format)
    return _Files(contents, bank_paths, stubs)


def _refuse_overwrite(files: _Files, force: bool) -> None:
    for path in [*files.bank_paths.values(), *files.contents]:
        same = path.is_file() and files.contents.get(path) == path.read_bytes()
        if path.exists() and not force and not same:  # an image imported again is the same
            raise CourseError(
                f"{path}: already exists; use --force to replace it, or -o to "
                "write the bank somewhere else"
            )


def _stub(module_id: str, title: str, description: str, questions: list[YMap], fmt: str) -> str:
    """A module for imported questions: an objective and a lesson for the author to write,
    and, so that each question's source quotes the module, its explanations as notes."""
    front = {
        "id": module_id,
        "title": title or module_id,
        "objectives": [
            {
                "id": f"{module_id}-objective",
                "text": f"{STUB_MARK}: write what a learner can do after this module.",
            }
        ],
        "summary": description or f"{STUB_MARK}: write a summary of the lesson.",
    }
    notes = "\n\n".join(dict.fromkeys(q["explanation"] for q in questions))
    return (
        f"---\n{yamlio.dump(front)}---\n\n## Lesson\n\n{STUB_MARK}: write the lesson. The "
        f"questions below were imported from {fmt}, which keeps no lesson; their sources "
        "quote the notes that follow, which are the questions' general feedback.\n\n"
        f"## Notes from the imported questions\n\n{notes}\n"
    )


def _with_defaults(question: YMap, objective: str, lesson, warnings: list, fmt: str) -> YMap:
    """A question with what an LMS export does not carry: its objective, and its source: the
    start of its explanation, which a stub module quotes, or in a module that exists, the
    lesson's passage closest to the explanation, said in a warning to be checked."""
    pos = question.pos
    values = {k: (v, question.key_pos(k)) for k, v in question.items()}
    values.setdefault("objectives", (YSeq.fixed(pos, [(objective, pos)]), pos))
    explanation = question["explanation"]
    source = _first_sentence(explanation)
    # With no feedback to go by, the prompt is the best clue to the passage.
    clue = question["prompt"] if STUB_MARK in explanation else explanation
    near = lesson and closest_passage(lesson.body, lesson.body_line, clue)
    if near:
        source = near[1]
        warnings.append(
            Diagnostic(
                pos,
                Severity.WARNING,
                f"question '{question['id']}': {fmt} keeps no source, so its source is the "
                f"passage of the lesson closest to its explanation (line {near[0]})",
                "guessed-source",
                "check that the passage supports the answer, or quote another",
            )
        )
    values["source"] = (source, pos)
    return YMap.fixed(pos, values)


def _first_sentence(text: str) -> str:
    plain = " ".join(markup.to_plain_text(text).split())
    return re.split(r"(?<=[.!?])\s", plain, maxsplit=1)[0]


def _lesson_of(raw, module_id: str):
    return next(
        (m for m in raw.modules if isinstance(m.front, dict) and m.front.get("id") == module_id),
        None,
    )


def _objective_of(raw, module_id: str, stubs: list[str]) -> str:
    if module_id in stubs:
        return f"{module_id}-objective"
    for module in raw.modules:
        front = module.front
        if isinstance(front, dict) and front.get("id") == module_id:
            objectives = front.get("objectives") or []
            if objectives and isinstance(objectives[0], dict):
                return str(objectives[0].get("id", ""))
    return f"{module_id}-objective"


def _validated(raw, path, files: _Files, banks, parsed: Parsed) -> Result:
    shown, fmt = str(path), parsed.format
    bank_data = {}
    warnings = list(parsed.warnings)
    for module_id, questions in banks.items():
        objective = _objective_of(raw, module_id, files.stubs)
        lesson = _lesson_of(raw, module_id)
        start = _start(questions)
        filled = [_with_defaults(q, objective, lesson, warnings, fmt) for q in questions]
        seq = YSeq.fixed(start, [(q, q.pos) for q in filled])
        bank_data[module_id] = YMap.fixed(
            start, {"module": (module_id, start), "questions": (seq, start)}
        )
        warnings = warnings + [_objective_warning(questions, module_id, objective, fmt)]
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / "course"
        shutil.copytree(raw.root, staged, ignore=_COPY_IGNORED)
        _write(staged, raw.root, files.contents)
        _add_to_manifest(staged / MANIFEST, files.stubs)
        check = load_course(staged)
        targets = {p.resolve() for p in files.bank_paths.values()}
        check.banks = [
            (s, d)
            for s, d in check.banks
            if (raw.root / s.path.relative_to(staged)).resolve() not in targets
        ]
        check.banks += [
            (_staged_bank(staged, raw.root, files.bank_paths[m], shown, bank), bank)
            for m, bank in bank_data.items()
        ]
        course, diagnostics = validate(check)
        diagnostics = [_unstaged(d, str(staged), raw.display_root) for d in diagnostics]
    diagnostics = [_sourceless(d, shown, fmt) for d in diagnostics]
    diagnostics = sorted(warnings + diagnostics, key=Diagnostic.sort_key)
    if course is None:
        return Result([], None, diagnostics, {})
    written = _write(raw.root, raw.root, files.contents)
    _add_to_manifest(raw.root / MANIFEST, files.stubs)
    header = f"# Imported from {path.name} by coursegen import.\n"
    for module_id, target in files.bank_paths.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(header + yamlio.dump(plain_data(bank_data[module_id])), "utf-8")
        written.append(target)
    counts = {m: len(q) for m, q in banks.items()}
    return Result(written, course, diagnostics, counts)


def _start(questions: list[YMap]) -> SourcePos:
    """Where a bank's questions start: in a package, the member that holds the first."""
    return SourcePos(questions[0].pos.path, questions[0].pos.line, 1)


def _staged_bank(staged: Path, root: Path, target: Path, shown: str, bank: YMap) -> SourceFile:
    """A bank as validation reads it: where it will be, so that its images are checked."""
    try:
        path = staged / target.relative_to(root)
    except ValueError:  # written outside the course (-o): its images go beside it
        path = target
    return SourceFile(path, shown, yamlio.dump(plain_data(bank)))


def _objective_warning(questions, module_id, objective, fmt: str) -> Diagnostic:
    return Diagnostic(
        _start(questions),
        Severity.WARNING,
        f"{fmt} keeps no objectives: {plural(len(questions), 'question')} imported into "
        f"module '{module_id}', each assessing its objective '{objective}'",
        "default-objective",
        "set each question's objectives in the bank",
    )


def _write(root: Path, real_root: Path, contents: dict[Path, str | bytes]) -> list[Path]:
    written = []
    for path, content in contents.items():
        target = root / path.relative_to(real_root)
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, "utf-8")
        written.append(target)
    return written


def _add_to_manifest(manifest: Path, stubs: list[str]) -> None:
    """Add module ids to the manifest's `modules:` list, keeping the rest of the file as is."""
    if not stubs:
        return
    text = manifest.read_text("utf-8")
    flow = re.search(r"^modules:[ \t]*\[([^\]]*)\]", text, re.M)
    if flow:
        items = ", ".join([*(i.strip() for i in flow[1].split(",") if i.strip()), *stubs])
        text = text[: flow.start()] + f"modules: [{items}]" + text[flow.end() :]
    else:
        block = re.search(r"^modules:[ \t]*\n((?:[ \t]*-[^\n]*\n?)+)", text, re.M)
        if block is None:
            raise CourseError(f"{manifest}: cannot find its 'modules:' list to add a module to")
        indent = re.match(r"[ \t]*", block[1])[0]
        body = block[1].rstrip("\n") + "\n" + "".join(f"{indent}- {m}\n" for m in stubs)
        text = text[: block.start(1)] + body + text[block.end(1) :]
    manifest.write_text(text, "utf-8")


def _sourceless(d: Diagnostic, shown: str, fmt: str) -> Diagnostic:
    """A source not found is the import's doing: say how to import the question anyway."""
    inside = d.pos.path == shown or d.pos.path.startswith(f"{shown}:")  # a package's member
    if not inside or d.code != "source-not-found":
        return d
    hint = (
        f"{fmt} keeps no source, and no passage of this module's lesson is close to the "
        "question's general feedback; import into a new module (--module NEW-ID), whose stub "
        "quotes the feedback, then quote the lesson and move the question"
    )
    return replace(d, hint=hint)


def _unstaged(d: Diagnostic, staged: str, shown_root: str) -> Diagnostic:
    root = shown_root.rstrip("/")
    path = d.pos.path.replace(staged, root)
    hint = d.hint.replace(staged, root) if d.hint else d.hint
    return replace(
        d, pos=replace(d.pos, path=path), message=d.message.replace(staged, root), hint=hint
    )
