"""What every reader of an LMS export hands the import: categories of located questions.

A reader (moodle.py, gift.py, qti.py) turns its format into ``Parsed``: the questions filed
under each category, each a YMap whose values sit at the place in the export they came from,
so that validating the imported banks reports the export's own lines.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ..errors import Diagnostic, SourcePos
from ..media import ascii_name
from ..validate import STUB_MARK
from ..yamlio import YMap, YSeq

NO_EXPLANATION = f"{STUB_MARK}: write why the right answer is right."


@dataclass
class Category:
    """The questions filed under one category, in the export's order."""

    name: str  # its last part: the module it becomes
    description: str
    line: int
    questions: list[YMap] = field(default_factory=list)
    module: str = ""  # the id of the module it came from, when the export says it


@dataclass
class Parsed:
    format: str  # as the messages name the source: "Moodle", "GIFT", "QTI"
    categories: list[Category]
    images: dict[str, bytes]  # file name in images/ -> its bytes
    warnings: list[Diagnostic]
    errors: list[Diagnostic] = field(default_factory=list)


def slug(text: str) -> str:
    """Text as an id: lowercase letters and digits, runs of anything else as one hyphen."""
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


def category_name(path: str) -> str:
    """The last name of a category path, as Moodle splits it ('//' is a '/' within a name)."""
    names = [n.replace("\0", "/").strip() for n in path.replace("//", "\0").split("/")]
    names = [n for n in names if n and n not in ("$course$", "$system$", "$cat1$", "$module$")]
    return module_title(names[-1] if names and names[-1] != "top" else "imported")


def module_title(name: str) -> str:
    """A module's title, as coursegen's own exports name a module 'Module 2: Weather' (in
    the course's language)."""
    return re.sub(r"^[^:]{1,20}\s\d+:\s+", "", name) or name


def shared_prefix(idents: Iterable[str]) -> str:
    """The 'COURSE' of 'COURSE.ID' when every id has the same one, as coursegen's own exports
    write them: a namespace, which the ids within one course do not need."""
    prefixes = {ident.strip().partition(".")[0] + "." for ident in idents}
    prefix = prefixes.pop() if len(prefixes) == 1 else "."
    return prefix[:-1] if prefix != "." else ""


class Ids:
    """Question ids made from what the export says, the same on every import of it."""

    def __init__(self, prefix: str):
        self.prefix = prefix
        self.taken: set[str] = set()

    def new(self, written: str, name: str) -> str:
        """The written id (less the export's shared prefix), else the name: slugified, and
        numbered when another question has it already."""
        written = written.strip().removeprefix(f"{self.prefix}.") if self.prefix else written
        base = slug(written) or slug(name)[:50].strip("-") or "question"
        found, n = base, 1
        while found in self.taken:
            n += 1
            found = f"{base}-{n}"
        self.taken.add(found)
        return found


def distinct(answers: list[str], case_sensitive: bool) -> list[str]:
    """Typed answers without repeats: an LMS keeps 'Cairo' and 'cairo' as two answers, while
    to coursegen, which compares answers without case unless told, they are one."""
    seen: dict[str, str] = {}
    for answer in answers:
        seen.setdefault(answer if case_sensitive else answer.casefold(), answer)
    return list(seen.values())


class Images:
    """The images an export embeds, under the names the course keeps them by."""

    def __init__(self):
        self.files: dict[str, bytes] = {}

    def add(self, name: str, data: bytes) -> str:
        """The file name in images/ for ``data``, called ``name`` in the export: that name
        made safe for a link, less the hash that coursegen's own exports put before it (so
        a course built again publishes the same file); with a hash of its own when another
        image of this export has the name."""
        digest = hashlib.sha256(data).hexdigest()
        published = re.match(r"([0-9a-f]{10})-(.+)", name)
        if published and digest.startswith(published[1]):
            name = published[2]
        saved = ascii_name(PurePosixPath(name))
        if self.files.get(saved, data) != data:
            stem, suffix = PurePosixPath(saved).stem, PurePosixPath(saved).suffix
            saved = f"{stem}-{digest[:10]}{suffix}"
        self.files[saved] = data
        return saved


def located(pos: SourcePos, values: dict) -> YMap:
    """``values`` as bank data, every value at ``pos``."""
    return YMap.fixed(pos, {k: (_at(v, pos), pos) for k, v in values.items()})


def _at(value, pos: SourcePos):
    if isinstance(value, dict):
        return located(pos, value)
    if isinstance(value, list):
        return YSeq.fixed(pos, [(_at(v, pos), pos) for v in value])
    return value
