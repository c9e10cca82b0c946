"""JSON Lines: one line per question, for scripts. The README's "Adding a format" example.

It writes with a plain ``write_text``, as any new format may: the pipeline hands it a
fresh folder, never the live output.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from coursegen.exporters import BuildContext, Shortfall
from coursegen.model import Course, Ordering


def export(course: Course, out_dir: Path, context: BuildContext) -> list[Path]:
    """Write ``<course-id>-questions.jsonl`` into ``out_dir``."""
    path = out_dir / f"{course.id}-questions.jsonl"
    lines = (
        json.dumps({"id": q.id, "type": q.kind, "module": q.module_id, "prompt": q.prompt})
        for q in course.questions
    )
    path.write_text("".join(line + "\n" for line in lines), "utf-8")
    return [path]


def shortfalls(course: Course) -> Iterator[Shortfall]:
    """This format leaves ordering questions out, to show how a format says so."""
    for q in course.questions:
        if isinstance(q, Ordering):
            yield Shortfall.of_question(q, "the example format has no ordering", left_out=True)
