"""The instructor's material: an index, a printable exam that holds no answers, its key in
the exam's own letters, and a map of every objective to the questions that assess it."""

from __future__ import annotations

import shutil

import pytest
from lxml import html

from coursegen.build import build_course, check_course
from coursegen.exporters.html_instructor import KEYS, PAPER_INSTRUCTIONS
from coursegen.exporters.html_quiz import VIEWS
from coursegen.model import Cloze, Matching, Numeric, Ordering, ShortAnswer
from coursegen.questions.numeric import figure

from .conftest import FIXTURES

PAGES = ("index.html", "answer-key.html", "exam.html", "exam-key.html", "objectives.html")


@pytest.fixture(scope="module")
def full(tmp_path_factory):
    course = tmp_path_factory.mktemp("instructor") / "course"
    shutil.copytree(FIXTURES / "full", course)
    build_course(course, formats=["html"])
    model, _ = check_course(course)
    return course / "output" / "instructor", model


def page(folder, name: str):
    return html.fromstring((folder / name).read_bytes())


def text(element) -> str:
    return " ".join(element.text_content().split())


def having(name: str) -> str:
    """An XPath test for an element of class ``name``."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def test_the_index_links_to_each_piece_of_material(full):
    folder, _ = full
    assert sorted(p.name for p in folder.glob("*.html")) == sorted(PAGES)
    index = page(folder, "index.html")
    links = [(a.get("href"), text(a)) for a in index.xpath("//main//a")]
    assert links == [
        ("answer-key.html", "Answer key"),
        ("exam.html", "Printable exam"),
        ("exam-key.html", "Key to the printable exam"),
        ("objectives.html", "Objectives and their questions"),
    ]
    for name in PAGES:  # each page leads to the others, and to nothing outside instructor/
        hrefs = {a.get("href") for a in page(folder, name).xpath("//a[@href]")}
        assert hrefs <= {"#main", *PAGES}, name


def exam_questions(folder) -> list:
    return page(folder, "exam.html").xpath(f"//ol[{having('exam-list')}]/li")


def test_the_printable_exam_holds_no_answers(full):
    folder, course = full
    exam = (folder / "exam.html").read_text()
    items = exam_questions(folder)
    assert len(items) == len(course.questions) == 9
    for q, item in zip(course.questions, items, strict=True):
        assert q.explanation not in exam and q.source not in exam, q.id
        for option in getattr(q, "options", ()):
            assert not option.feedback or option.feedback not in exam, q.id
        written = text(item).casefold()
        if isinstance(q, ShortAnswer):
            assert not [a for a in q.answers if a.casefold() in written], q.id
        if isinstance(q, Cloze):
            assert not [a for g in q.gaps for a in g.answers if a in written], q.id
        if isinstance(q, Numeric):  # a line to write on, and the unit after it
            assert not [a for a in q.answers if figure(a.value) in written], q.id
            assert text(item.xpath(f".//*[{having('exam-numeric')}]")[0]) == "hPa"
    main = html.tostring(page(folder, "exam.html").xpath("//main")[0], encoding="unicode")
    for mark in ("key-correct", "q-answer", "✓", "Correct", "correct answer"):
        assert mark not in main


def test_the_key_gives_the_letters_printed_beside_the_right_answers(full):
    folder, course = full
    rows = page(folder, "exam-key.html").xpath("//table//tbody/tr")
    items = exam_questions(folder)
    for n, (q, item, row) in enumerate(zip(course.questions, items, rows, strict=True), 1):
        assert text(row.xpath("th")[0]) == str(n)
        keyed = [text(s) for s in row.xpath(f".//*[{having('exam-key-answer')}]//strong")]
        printed = {  # the letter beside each option, match or item on the paper
            text(li.xpath(f".//*[{having('exam-letter')}]")[0]): text(li).split(" ", 1)[1]
            for li in item.xpath(f".//*[{having('exam-options')}]/li")
        }
        if isinstance(q, Matching):
            lefts = [text(li) for li in item.xpath(f".//*[{having('exam-lefts')}]/li")]
            assert [(lefts[i], printed[k]) for i, k in enumerate(keyed)] == [
                (p.left, p.right) for p in q.pairs
            ]
        elif isinstance(q, Ordering):
            assert [printed[k] for k in keyed] == list(q.items)
        elif q.kind == "true_false":
            assert [printed[k] for k in keyed] == ["True" if q.answer else "False"]
        elif hasattr(q, "options"):
            # In the order printed, which is the learners' shuffled order, not the bank's.
            assert sorted(printed[k] for k in keyed) == sorted(
                o.text for o in q.options if o.correct
            )
    assert text(rows[3].xpath("td")[0]) == "evaporation; evaporating [wc-vapour-name]"
    assert text(rows[4].xpath("td")[0]) == "(1) condenses, condensates; (2) clouds [wc-cloze]"
    assert text(rows[8].xpath("td")[0]) == (
        "1013 hPa (accepted: 1002.87 hPa to 1023.13 hPa) [we-sea-level]"
    )


def test_the_map_lists_every_objective_with_the_questions_that_assess_it(full):
    folder, course = full
    objectives_map = page(folder, "objectives.html")
    for module in course.modules:
        for objective in module.objectives:
            heading = objectives_map.get_element_by_id(f"map-{module.id}-{objective.id}")
            assert text(heading) == f"{objective.text} [{objective.id}]"
            listed = heading.getnext().getnext()
            ids = [text(c) for c in listed.xpath(".//code")]
            assert ids == [
                q.id for q in course.questions_of(module.id) if objective.id in q.objectives
            ]
    first = objectives_map.xpath(f"//*[{having('map-questions')}]/li")[0]
    assert text(first) == (
        "wc-stage-first Which stage of the water cycle comes first in the lesson? "
        "[single choice · easy · remember]"
    )


def test_the_map_flags_an_objective_no_question_assesses(course_copy):
    course = course_copy("minimal", overlay=FIXTURES / "invalid" / "unassessed-objective")
    build_course(course, formats=["html"])
    objectives_map = page(course / "output" / "instructor", "objectives.html")
    assert text(objectives_map.xpath("//main/p")[1]) == (
        "2 learning objectives. ⚠ One of them is assessed by no question."
    )
    heading = objectives_map.get_element_by_id("map-basics-name-river")
    assert text(heading.getnext()) == "⚠ No question assesses this objective."


def test_the_paper_exam_knows_every_type_the_course_shows():
    assert set(KEYS) == set(PAPER_INSTRUCTIONS) == set(VIEWS)
