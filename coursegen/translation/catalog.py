"""A language's translation files: gettext PO, read and written through Babel.

Each PO entry's ``msgctxt`` is a unit's id and its ``msgid`` the English text it was
translated from. An entry whose English has changed since is stale: either extraction has
marked it (``#, fuzzy`` with the old text as ``#| msgid``), or its ``msgid`` no longer
matches the course and the entry of the same id is the one it replaces.
"""

from __future__ import annotations

import difflib
import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, denormalize, read_po

from ..errors import CourseError, Diagnostic, Severity, SourcePos
from ..loader import MODULES_DIR
from ..model import Course
from .walk import Unit

TRANSLATIONS_DIR = Path(MODULES_DIR) / "translations"
SUFFIX = ".po"
_SIMILAR_ENOUGH = 0.5  # below this, an edited lesson block is a new one, not the old one changed


def folder(root: Path, language: str) -> Path:
    """The folder of ``language``'s translation files in the course at ``root``."""
    return root / TRANSLATIONS_DIR / language


def languages(root: Path) -> list[str]:
    """The languages the course at ``root`` has translation files for."""
    top = root / TRANSLATIONS_DIR
    if not top.is_dir():
        return []
    return sorted(p.name for p in top.iterdir() if p.is_dir() and any(p.glob("*" + SUFFIX)))


def check_language(course: Course, language: str) -> None:
    """Refuse a language that is not a tag Babel knows, or that is the course's own."""
    from .. import i18n

    if not i18n.is_language_tag(language):
        raise CourseError(f"'{language}' is not a language tag; write one such as 'ar' or 'fr'")
    if language == course.language:
        raise CourseError(f"the course is written in '{language}' already")
    try:
        Locale.parse(language, sep="-")
    except (UnknownLocaleError, ValueError):
        raise CourseError(f"CLDR has no data (plural rules) for '{language}'") from None


@dataclass(frozen=True)
class Entry:
    message: Message
    file: str  # the stem of its file
    pos: SourcePos  # the line of its msgid
    previous: str | None  # the English it was translated from, when extraction marked it stale

    @property
    def translation(self) -> str:
        return self.message.string or ""

    @property
    def made_from(self) -> str:
        """The English text the translation was made from."""
        return self.previous if self.message.fuzzy and self.previous else self.message.id


class State(enum.Enum):
    TRANSLATED = "translated"
    STALE = "stale"  # its English changed since it was translated
    MISSING = "missing"


@dataclass(frozen=True)
class Found:
    state: State
    entry: Entry | None = None


@dataclass
class Translations:
    """The entries of one language's files, and what was wrong with reading them."""

    language: str
    catalogs: dict[str, Catalog] = field(default_factory=dict)  # by file stem
    entries: list[Entry] = field(default_factory=list)
    obsolete: list[Entry] = field(default_factory=list)  # those marked #~
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def resolve(self, units: list[Unit]) -> dict[tuple[str, str], Found]:
        """Each unit's translation, by (context, source), and which entries are used."""
        # An obsolete entry comes back when its English does (a lesson block restored).
        by_key = {(e.message.context, e.message.id): e for e in [*self.obsolete, *self.entries]}
        found: dict[tuple[str, str], Found] = {}
        unresolved: list[Unit] = []
        for unit in units:
            key = (unit.context, unit.source)
            entry = by_key.get(key)
            if key in found:
                continue
            if entry is None:
                unresolved.append(unit)
                found[key] = Found(State.MISSING)
            else:
                found[key] = _state_of(entry)
        self._match_changed(unresolved, found)
        return found

    def _match_changed(self, units: list[Unit], found: dict) -> None:
        """Pair each unit not found with the translated entry of its id that it replaces."""
        current = set(found)
        spare: dict[str, list[Entry]] = {}
        for e in self.entries:
            if e.translation and (e.message.context, e.message.id) not in current:
                spare.setdefault(e.message.context, []).append(e)
        for unit in units:
            candidates = spare.get(unit.context, [])
            best = _closest(unit.source, candidates)
            if best is not None:
                candidates.remove(best)
                found[(unit.context, unit.source)] = Found(State.STALE, best)

    def unused(self, found: dict[tuple[str, str], Found]) -> list[Entry]:
        """The translated entries that no unit of the course uses."""
        used = {id(f.entry) for f in found.values() if f.entry}
        return [e for e in self.entries if e.translation and id(e) not in used]


def _state_of(entry: Entry) -> Found:
    if not entry.translation:
        return Found(State.MISSING, entry)
    return Found(State.STALE if entry.message.fuzzy else State.TRANSLATED, entry)


def _closest(text: str, candidates: list[Entry]) -> Entry | None:
    """The candidate whose English is most like ``text``; the only one of a unique id."""
    if len(candidates) == 1 and candidates[0].message.context.rsplit(":", 1)[-1] != "body":
        return candidates[0]
    best, found = _SIMILAR_ENOUGH, None
    for entry in candidates:
        ratio = difflib.SequenceMatcher(None, text, entry.made_from, autojunk=False).ratio()
        if ratio > best:
            best, found = ratio, entry
    return found


def read(root: Path, language: str, display: Callable[[Path], str]) -> Translations:
    """Read ``language``'s translation files of the course at ``root``."""
    result = Translations(language)
    top = folder(root, language)
    paths = sorted(top.glob("*" + SUFFIX)) if top.is_dir() else []
    for path in paths:
        shown = display(path)
        catalog = _read_file(path, shown, result.diagnostics)
        if catalog is None:
            continue
        result.catalogs[path.stem] = catalog
        for message in catalog:
            if message.id:
                result.entries.append(_entry(message, path.stem, shown))
        for message in catalog.obsolete.values():
            result.obsolete.append(_entry(message, path.stem, shown))
    return result


def _entry(message: Message, stem: str, shown: str) -> Entry:
    return Entry(message, stem, SourcePos(shown, message.lineno or 0, 1), _previous(message))


def _read_file(path: Path, shown: str, diagnostics: list) -> Catalog | None:
    try:
        with path.open("rb") as file:
            return read_po(file, abort_invalid=True)
    except PoFileError as exc:
        where, message = SourcePos(shown, exc.lineno + 1, 1), str(exc).rsplit(" on ", 1)[0]
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        where, message = SourcePos(shown), str(getattr(exc, "strerror", None) or exc)
    diagnostics.append(
        Diagnostic(
            where,
            Severity.ERROR,
            f"the translation file cannot be read: {message}",
            "translation-syntax",
            "fix the file in a PO editor (Poedit, Lokalize) or restore it from version control",
        )
    )
    return None


def _previous(message: Message) -> str | None:
    """The ``#| msgid`` of an entry: Babel writes it but reads it back as a comment."""
    lines = [c[1:].strip() for c in message.user_comments if c.startswith("|")]
    # gettext's msgmerge writes the old msgctxt first: the text is what follows 'msgid'.
    starts = [i for i, line in enumerate(lines) if line.startswith("msgid ")]
    if not starts:
        return None
    lines = lines[starts[0] :]
    lines[0] = lines[0].removeprefix("msgid ")
    try:
        return denormalize("\n".join(lines))
    except Exception:  # a hand-edited comment that is not a PO string: no old text known
        return None
