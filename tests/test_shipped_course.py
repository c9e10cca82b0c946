"""Guards for the course this repository ships: The Iraqi Police."""

import re
from collections import Counter
from pathlib import Path

import pytest

from coursegen import markup
from coursegen.build import check_course
from coursegen.glossary import glossary
from coursegen.model import QUESTION_KINDS

ROOT = Path(__file__).parent.parent
MODULE_IDS = [
    "overview",
    "history",
    "organization",
    "training-reform",
    "challenges",
    "international",
]


@pytest.fixture(scope="module")
def course():
    course, diagnostics = check_course(ROOT, strict=True)
    assert diagnostics == [], "\n".join(d.format() for d in diagnostics)
    return course


def test_six_modules_in_the_documents_order(course):
    assert [m.id for m in course.modules] == MODULE_IDS


@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_module_meets_the_course_minimums(course, module_id):
    module = course.module(module_id)
    questions = course.questions_of(module_id)
    words = len(markup.to_plain_text(module.body).split())
    assert 250 <= words <= 600, words
    assert 3 <= len(module.objectives) <= 5
    assert len(questions) >= 15
    assert len({q.kind for q in questions}) >= 4
    assessed = Counter(o for q in questions for o in q.objectives)
    assert all(assessed[o.id] >= 2 for o in module.objectives), assessed
    assert {q.difficulty for q in questions} == {"easy", "medium", "hard"}
    blooms = {q.bloom for q in questions}
    assert {"remember", "understand"} <= blooms and blooms & {"apply", "analyse"}
    assert module.summary and module.related_topics and module.key_terms


def test_every_question_type_is_used(course):
    assert {q.kind for q in course.questions} == set(QUESTION_KINDS)
    assert len(course.questions) >= 90


def test_every_key_term_has_a_flashcard(course):
    for module in course.modules:
        fronts = {c.front for c in course.flashcards_of(module.id)}
        assert {k.term for k in module.key_terms} <= fronts, module.id


def test_each_term_has_one_definition_its_flashcards_repeat(course):
    cards = {(c.front, c.back) for c in course.flashcards}
    for entry in glossary(course.modules):
        assert len(entry.definitions) == 1, entry.term
        assert (entry.term, entry.definitions[0].text) in cards, entry.term
    entries = {e.term: e for e in glossary(course.modules)}
    oversight, due_process = entries["Civilian oversight"], entries["Due process"]
    assert [u.module.id for u in oversight.uses] == ["history"]
    assert [m.id for m in oversight.related] == ["training-reform", "challenges"]
    assert [u.module.id for u in due_process.uses] == ["training-reform"]
    assert [m.id for m in due_process.related] == ["challenges"]


def test_no_catch_all_options(course):
    banned = ("all of the above", "none of the above")
    for q in course.questions:
        for option in getattr(q, "options", ()):
            assert option.text.lower() not in banned, q.id


def test_organization_module_shows_the_chart_with_a_text_alternative(course):
    images = course.module("organization").images
    assert [i.path.name for i in images] == ["org-chart.svg"]
    assert len(images[0].alt) > 40
    svg = images[0].path.read_text()
    assert "<title" in svg and "<desc" in svg and "<script" not in svg


def test_no_prompt_repeats_the_instruction_every_format_gives(course):
    """The HTML hint, the Anki label and Moodle's own words say how to answer: once is enough."""
    said = re.compile(r"(choose|select|tick|mark) (all|every|one)\b.*\b(apply|answer)", re.I)
    assert [q.id for q in course.questions if said.search(q.prompt)] == []
