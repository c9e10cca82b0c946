"""Find a course folder's files and read them into raw data that remembers positions.

Nothing here knows what a question is: the loader reads text safely, splits module front
matter from the lesson, and parses YAML. Problems become diagnostics, never exceptions.
"""

from __future__ import annotations

import codecs
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from . import reuse, yamlio, yamlquick
from .errors import CourseError, Diagnostic, Severity, SourcePos
from .reuse import Memo

MANIFEST = Path("modules") / "course.yaml"
MODULES_DIR = "modules"
BANKS_DIR = "question_banks"
MODULE_SUFFIXES = (".md",)
BANK_SUFFIXES = (".yaml", ".yml")
FRONT_MATTER_FENCE = "---"
# Far above any real course file (the shipped course's largest is about 20 kB; a bank of
# 50,000 questions is about 25 MB), low enough that a stray huge file fails fast.
MAX_FILE_BYTES = 64 * 1024 * 1024


@dataclass
class SourceFile:
    """A course file's text; ``display`` is its path as shown to the user."""

    path: Path
    display: str
    text: str

    @cached_property
    def shows_images(self) -> bool:
        """Whether its text may show an image: a Markdown image is written '!['."""
        return "![" in self.text


@dataclass
class RawModule:
    file: SourceFile
    front: Any
    body: str
    body_line: int  # 1-based line of the file where the lesson body starts


@dataclass
class RawCourse:
    root: Path
    display_root: str
    manifest: Any = None
    manifest_file: SourceFile | None = None
    modules: list[RawModule] = field(default_factory=list)
    banks: list[tuple[SourceFile, Any]] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


class _Unread:
    def __repr__(self) -> str:
        return "UNREAD"


# The data of a bank left unparsed, for the caller that knows it already (see load_course).
UNREAD: Any = _Unread()


def load_course(
    course_dir: str | Path,
    *,
    quick: bool = True,
    known: Callable[[SourceFile], bool] | None = None,
) -> RawCourse:
    """Read every file of the course at ``course_dir``; collect problems as diagnostics.

    ``quick``: read banks without positions until one is asked for (see yamlquick); a
    caller that will ask for positions all over the banks reads them with positions at once.
    A bank for which ``known(source)`` is true is read but not parsed: its data is
    ``UNREAD``, and the caller parses it with ``read_bank`` if it needs it after all.
    """
    root = Path(course_dir)
    if not (root / MODULES_DIR).is_dir():
        raise CourseError(
            f"{root}: not a course folder (it has no '{MODULES_DIR}/' folder); "
            "give the path of a course, or create one with 'coursegen new'"
        )
    raw = RawCourse(root=root.resolve(), display_root=str(course_dir))
    manifest_file = _read(raw, root / MANIFEST)
    if manifest_file:
        raw.manifest_file = manifest_file
        raw.manifest = _parse_yaml(raw, manifest_file)
    for path in _module_paths(root):
        source = _read(raw, path)
        if source:
            _add_module(raw, source)
    _report_modules_not_read(raw, root)
    for path in _bank_paths(root):
        source = _read(raw, path)
        if source and known is not None and known(source):
            raw.banks.append((source, UNREAD))
        elif source:
            raw.banks.append((source, _parse_yaml(raw, source, quick=quick)))
        else:  # reported already; kept so that validation knows a bank is missing
            raw.banks.append((SourceFile(path, display_path(raw, path), ""), None))
    return raw


def read_bank(raw: RawCourse, source: SourceFile) -> Any:
    """The data of a bank that ``load_course`` left unread; problems go to its diagnostics."""
    return _parse_yaml(raw, source, quick=True)


def display_path(raw: RawCourse, path: Path) -> str:
    """A course file's path as the user would write it: the course folder they named + the rest."""
    for base in (Path(raw.display_root), raw.root):
        if path.is_relative_to(base):
            relative = path.relative_to(base).as_posix()
            break
    else:
        return str(path)
    return (
        relative if raw.display_root in (".", "") else f"{raw.display_root.rstrip('/')}/{relative}"
    )


def _inside_course(raw: RawCourse, path: Path) -> bool:
    """False for a symbolic link (or a file in a linked folder) that leads out of the course."""
    return path.resolve().is_relative_to(raw.root)


def is_scratch(name: str) -> bool:
    """Whether a file is an editor's or the system's, never a course file.

    That is every dotfile (Emacs's lock link ``.#x``, Vim's swap file ``.x.swp``, macOS's
    ``._x`` and ``.DS_Store``), a backup ``x~`` and an Emacs auto-save ``#x#``.
    """
    return name.startswith(".") or name.endswith("~") or name[:1] == name[-1:] == "#"


def _is_course_file(name: str, suffixes: tuple[str, ...]) -> bool:
    # The suffix in any case: systems and editors take OVERVIEW.MD for Markdown, and so do we.
    return name.lower().endswith(suffixes) and not is_scratch(name)


def _module_paths(root: Path) -> list[Path]:
    """The module files: directly in modules/; its sub-folders hold images and the like."""
    folder = root / MODULES_DIR
    return sorted(
        p for p in folder.iterdir() if _is_course_file(p.name, MODULE_SUFFIXES) and not p.is_dir()
    )


def _bank_paths(root: Path) -> list[Path]:
    """The bank files, in sub-folders too: a bank names its module, so where it is is free."""
    return sorted(
        Path(folder, name)
        for folder, names in _walk(root / BANKS_DIR)
        for name in names
        if _is_course_file(name, BANK_SUFFIXES)
    )


def _walk(top: Path):
    """(folder, file names) of ``top`` and its sub-folders, leaving out hidden ones."""
    for folder, dirs, names in os.walk(top):
        dirs[:] = [d for d in dirs if not is_scratch(d)]
        yield folder, names


def _report_modules_not_read(raw: RawCourse, root: Path) -> None:
    """Name a module file in a sub-folder of modules/, which would otherwise vanish unseen."""
    for folder, names in _walk(root / MODULES_DIR):
        if Path(folder) == root / MODULES_DIR:
            continue
        for path in sorted(Path(folder, n) for n in names):
            if _is_course_file(path.name, MODULE_SUFFIXES) and _looks_like_module(raw, path):
                _report(
                    raw,
                    SourcePos(display_path(raw, path)),
                    f"this file looks like a module, but only files directly in {MODULES_DIR}/ "
                    "are read",
                    "not-read",
                    f"move it into {MODULES_DIR}/ to make it part of the course, "
                    "or out of the course folder to keep it aside",
                    Severity.WARNING,
                )


def _looks_like_module(raw: RawCourse, path: Path) -> bool:
    """Whether a Markdown file starts with front matter (an images/README.md does not)."""
    if not (_inside_course(raw, path) and path.is_file()):  # never open a FIFO: it blocks
        return False
    try:
        with path.open("rb") as file:
            first = file.readline(64)
    except OSError:
        return False
    return first.removeprefix(b"\xef\xbb\xbf").rstrip() == FRONT_MATTER_FENCE.encode()


def _read(raw: RawCourse, path: Path) -> SourceFile | None:
    shown = display_path(raw, path)
    if not _inside_course(raw, path):
        _report(
            raw,
            SourcePos(shown),
            f"links to {path.resolve()}, outside the course folder",
            "outside-course",
            "copy the file into the course instead of linking to it",
        )
        return None
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            _report(
                raw,
                SourcePos(shown),
                f"the file is {size / 2**20:.1f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB",
                "too-large",
                "split it into smaller files, or check that it is the file you meant",
            )
            return None
        data = path.read_bytes()
    except FileNotFoundError:
        if path.is_symlink():  # an editor's lock link is never read; this one was meant
            _report(
                raw,
                SourcePos(shown),
                f"this file is a link to '{os.readlink(path)}', which does not exist",
                "broken-link",
                "restore the file it links to, or delete the link",
            )
            return None
        _report(
            raw,
            SourcePos(shown),
            f"missing file '{path.name}'",
            "missing-file",
            f"create {shown}; see the course format in README.md",
        )
        return None
    except OSError as exc:
        _report(
            raw,
            SourcePos(shown),
            f"cannot read this file: {exc.strerror}",
            "unreadable",
            "check that the file exists and that you may read it",
        )
        return None
    text = _decode(raw, shown, data)
    return SourceFile(path, shown, text) if text is not None else None


def _decode(raw: RawCourse, shown: str, data: bytes) -> str | None:
    if b"\0" in data:
        line = data.count(b"\n", 0, data.index(b"\0")) + 1
        _report(
            raw,
            SourcePos(shown, line, 1),
            "the file contains a NUL byte; it is not a text file",
            "not-text",
            "save the file as plain UTF-8 text",
        )
        return None
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        text = data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        _report(
            raw,
            _byte_pos(shown, data[bom:], exc.start),
            f"the file is not valid UTF-8 (byte 0x{exc.object[exc.start]:02x} at offset "
            f"{bom + exc.start})",
            "encoding",
            "save the file with UTF-8 encoding",
        )
        return None
    if "\r" in text:  # a search is much cheaper than copying a large bank twice
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    raw.diagnostics.extend(yamlio.hidden_breaks(text, shown))  # in YAML and Markdown alike
    return text


def _byte_pos(shown: str, data: bytes, offset: int) -> SourcePos:
    """The line and column (in characters, as an editor counts them) of a byte offset."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    before = data[line_start:offset].decode("utf-8", "replace")
    return SourcePos(shown, data.count(b"\n", 0, offset) + 1, len(before) + 1)


def _parse_yaml(
    raw: RawCourse,
    source: SourceFile,
    text: str | None = None,
    line_offset: int = 0,
    *,
    quick: bool = False,
) -> Any:
    """The file's data, or None after reporting why it cannot be read.

    ``quick`` for a bank: large, and its positions are needed only to report a problem.
    """
    text = source.text if text is None else text
    # Hashing a large bank costs a tenth of reading it quickly: only when reuse can use it.
    key = (source.display, line_offset, _digest(text)) if reuse.enabled() else None
    data = _PARSED.get(key)
    if data is not None:
        return data
    try:
        if quick:
            data = yamlquick.load(text, source.display)
        else:
            data = yamlio.load(text, source.display, line_offset)
    except yamlio.YamlError as exc:
        raw.diagnostics.extend(exc.diagnostics)
        return None
    _PARSED.put(key, data)
    return data


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode()).digest()


# Parsed files by path and content, so that `coursegen serve` re-parses only what changed.
# Loaded data is never modified after loading, so sharing it between builds is safe.
_PARSED = Memo("parsed", 256, on_disk=False)


def _add_module(raw: RawCourse, source: SourceFile) -> None:
    lines = source.text.split("\n")
    if not lines or lines[0].rstrip() != FRONT_MATTER_FENCE:
        _report(
            raw,
            SourcePos(source.display, 1, 1),
            "a module must start with YAML front matter",
            "front-matter",
            "begin the file with a '---' line, the module's id, "
            "title and objectives, then another '---' line",
        )
        raw.modules.append(RawModule(source, None, source.text, 1))
        return
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == FRONT_MATTER_FENCE), None)
    if end is None:
        _report(
            raw,
            SourcePos(source.display, 1, 1),
            "the front matter opened here is never closed",
            "front-matter",
            "add a '---' line after the front matter",
        )
        raw.modules.append(RawModule(source, None, "", 1))
        return
    front_text = "\n".join(lines[1:end])
    front = _parse_yaml(raw, source, front_text, line_offset=1)
    if front is None and not any(d.pos.path == source.display for d in raw.diagnostics):
        _report(
            raw,
            SourcePos(source.display, 2, 1),
            "the front matter is empty",
            "front-matter",
            "write the module's id, title, objectives and summary in it",
        )
    raw.modules.append(RawModule(source, front, "\n".join(lines[end + 1 :]), end + 2))


def _report(
    raw: RawCourse,
    pos: SourcePos,
    message: str,
    code: str,
    hint: str,
    severity: Severity = Severity.ERROR,
) -> None:
    raw.diagnostics.append(Diagnostic(pos, severity, message, code, hint))
