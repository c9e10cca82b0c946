"""A rebuild that reuses earlier work (as `coursegen serve` does) gives, after any edit, the
very bytes a clean build gives: every cache is keyed by everything its value comes from."""

from __future__ import annotations

from pathlib import Path

import pytest

from coursegen import reuse
from coursegen.build import build_course

W = "question_banks/water.yaml"
M = "modules/01-water.md"
C = "modules/course.yaml"
# (file, text, replacement): together they touch every field a page or a card shows.
EDITS = [
    (C, "title: Every Feature Course", "title: Every Feature Course, revised"),
    (C, "version: 2.1.0", "version: 2.2.0"),
    (C, "authors: [Ada Author, Ben Builder]", "authors: [Ada Author]"),
    (C, "license: CC BY 4.0", "license: CC BY-SA 4.0"),
    (C, "uses **every** question type", "uses *every* question type"),
    (C, "pass_mark: 60", "pass_mark: 70"),
    (C, "questions: 5", "questions: 4"),
    (C, "shuffle: false", "shuffle: true"),
    (C, "modules: [water, weather]", "modules: [weather, water]"),
    (M, "title: The Water Cycle", "title: The Cycle of Water"),
    (M, "text: Describe the stages", "text: Name the stages"),
    (M, "- term: Condensation", "- term: Condensing"),
    (M, "that form clouds.\nrelated", "that form clouds. Then rain.\nrelated"),
    (M, "related_topics: [weather, Air pressure]", "related_topics: [weather]"),
    ("modules/02-weather.md", "- term: Air pressure", "- term: Air Pressure"),
    (M, "again and again.", "again and again, for ever."),
    (M, "Rain refills rivers", "Rain fills rivers"),
    (W, "comes **first** in the lesson?", "comes *first* in the lesson?"),
    (
        W,
        "- text: Precipitation\n      - text: Condensation",
        "- text: Rain\n      - text: Condensation",
    ),
    (W, "feedback: Yes, the sun heats", "feedback: Right, the sun heats"),
    (W, "answer: true", "answer: false"),
    (W, "explanation: That is evaporation.", "explanation: That is called evaporation."),
    (W, "answers: [evaporation, evaporating]", "answers: [evaporation]"),
    (W, "{{condenses|condensates}}", "{{condenses}}"),
    (W, "right: Vapour forms clouds", "right: Vapour becomes clouds"),
    (
        W,
        "items: [Evaporation, Condensation, Precipitation]",
        "items: [Evaporation, Condensation, Rain]",
    ),
    (W, "difficulty: hard\n    bloom: analyse", "difficulty: medium\n    bloom: analyse"),
    (W, "bloom: remember\n    tags: [stages]", "bloom: understand\n    tags: [stages]"),
    (W, "tags: [stages]", "tags: [stages, first]"),
    (W, "back: Vapour cooling back", "back: Vapour cooling down"),
    (W, "front: Evaporation", "front: Evaporating"),
    (W, "source: condenses into clouds", "source: it cools and condenses into clouds"),
    ("modules/images/cycle.svg", "</svg>", '<circle cx="1" cy="1" r="1"/></svg>'),
]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def reusing():
    reuse.enable()
    yield
    reuse._enabled = False  # what they hold is then never read again


def build_both(course: Path, tmp_path: Path) -> tuple[dict, dict]:
    """The site and deck from a rebuild that reuses, and from a clean build."""
    cached = build_course(course, tmp_path / "cached", ["html", "anki"], live_reload=True)
    reuse._enabled = False
    try:
        clean = build_course(course, tmp_path / "clean", ["html", "anki"], live_reload=True)
    finally:
        reuse._enabled = True
    return snapshot(cached.out_dir), snapshot(clean.out_dir)


def test_a_rebuild_that_reuses_work_equals_a_clean_build_after_every_edit(
    course_copy, tmp_path, monkeypatch, reusing
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    course = course_copy("full")
    build_course(course, tmp_path / "cached", ["html", "anki"], live_reload=True)  # warm
    for file, text, replacement in EDITS:
        path = course / file
        assert text in path.read_text(), (file, text)
        path.write_text(path.read_text().replace(text, replacement, 1))
        cached, clean = build_both(course, tmp_path)
        differing = sorted(k for k in cached.keys() | clean.keys() if cached.get(k) != clean.get(k))
        assert differing == [], f"after editing {file}: {text!r}"
