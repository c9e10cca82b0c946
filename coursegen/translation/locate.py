"""Where each unit's English text is, as a course-relative path and a line (the PO ``#:``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..loader import RawCourse, SourceFile
from ..yamlio import position_of
from .walk import Unit


class Locator:
    """The course's files as loaded, indexed by what a unit's ``where`` names."""

    def __init__(self, raw: RawCourse):
        self.root = raw.root
        self.manifest = (raw.manifest_file, raw.manifest)
        self.fronts = {
            m.front["id"]: (m.file, m.front, m.body_line) for m in raw.modules if _has_id(m.front)
        }
        self.items: dict[tuple[str, str], tuple[SourceFile, Any]] = {}
        for source, data in raw.banks:
            if isinstance(data, dict):
                for kind, key in (("bank", "questions"), ("card", "flashcards")):
                    for node in data.get(key) or ():
                        if _has_id(node):
                            self.items[(kind, node["id"])] = (source, node)

    def __call__(self, unit: Unit) -> tuple[str, int]:
        """The file (relative to the course) and line of ``unit``'s English text."""
        kind, owner, loc = unit.where
        if kind == "body":
            source, _, first = self.fronts[owner]
            return self.relative(source), first + loc
        if kind == "manifest":
            source, node = self.manifest
        elif kind == "front":
            source, node, _ = self.fronts[owner]
        else:
            source, node = self.items[(kind, owner)]
        pos = position_of(node, loc)
        return self.relative(source), pos.line if pos else 0

    def relative(self, source: SourceFile | None) -> str:
        if source is None:
            return ""
        path = Path(source.path).resolve()
        if not path.is_relative_to(self.root):
            return source.display
        return path.relative_to(self.root).as_posix()


def _has_id(node: Any) -> bool:
    return isinstance(node, dict) and isinstance(node.get("id"), str)
