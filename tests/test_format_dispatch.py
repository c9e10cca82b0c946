"""Each format writes a question through its table of the types it carries: a type added to
QUESTION_TYPES without an entry there is left out of that format with its warning, never
written wrong, and the rest of the course is built as before."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Literal

import pytest

from coursegen import ahead, build, markup
from coursegen.exporters import EXPORTERS, get_format
from coursegen.model import QUESTION_KINDS
from coursegen.questions import QUESTION_TYPES
from coursegen.questions.common import Question, QuestionIn, QuestionType


@dataclass(frozen=True, kw_only=True)
class Essay(Question):
    """A throwaway question type that no format has a writer for."""

    kind: ClassVar[str] = "essay"
    label: ClassVar[str] = "Essay"


class EssayIn(QuestionIn):
    type: Literal["essay"]


REASONS = {
    "anki": "the Anki export does not write essay questions",
    "html": "the HTML course does not show essay questions",
    "scorm": "the HTML course does not show essay questions",
    "gift": "the GIFT export does not write essay questions",
    "moodle": "the Moodle XML export does not write essay questions",
    "qti": "the QTI export does not write essay questions",
}


@pytest.fixture
def with_essay(monkeypatch):
    """Register the essay type, and add an essay question to every course that is built."""
    monkeypatch.setitem(QUESTION_TYPES, "essay", QuestionType(EssayIn, Essay, lambda q: {}))
    monkeypatch.setitem(QUESTION_KINDS, "essay", Essay)
    checked = build.check_course

    def check_course(course_dir, **options):
        course, diagnostics = checked(course_dir, **options)
        first = course.questions[0]
        shared = {f.name: getattr(first, f.name) for f in dataclasses.fields(Question)}
        essay = Essay(**{**shared, "id": "essay-1"})
        return dataclasses.replace(course, questions=(*course.questions, essay)), diagnostics

    monkeypatch.setattr(build, "check_course", check_course)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("name", REASONS)
def test_a_format_leaves_out_a_type_it_has_no_writer_for(
    request, monkeypatch, course_copy, tmp_path, name
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    course = course_copy("full")
    build.build_course(course, tmp_path / "before", [name])
    request.getfixturevalue("with_essay")

    result = build.build_course(course, tmp_path / "after", [name])

    assert [d.message for d in result.format_warnings if "essay" in d.message] == [
        f"{name} leaves out question 'essay-1' (essay): {REASONS[name]}"
    ]
    assert snapshot(tmp_path / "after") == snapshot(tmp_path / "before")


@pytest.mark.parametrize("name", list(EXPORTERS))
def test_each_format_asks_for_a_prompt_in_the_forms_it_declares(
    name, course_copy, tmp_path, monkeypatch
):
    """A build renders ahead only the forms of a prompt that its formats declare (PROMPTS:
    ahead.py): a form a format asks for undeclared would be rendered again in each process,
    and one declared but never asked for, rendered for nothing."""
    course = course_copy("full")
    prompts = {q.prompt for q in build.check_course(course)[0].questions}
    asked = set()
    block, split = markup.to_html, markup.prompt_to_html

    def to_html(text, *, inline=False, image_src=None):
        if text in prompts and not inline:
            asked.add(ahead.BLOCK)
        return block(text, inline=inline, image_src=image_src)

    def prompt_to_html(text, *, image_src=None):
        if text in prompts:
            asked.add(ahead.SPLIT)
        return split(text, image_src=image_src)

    monkeypatch.setattr(markup, "to_html", to_html)
    monkeypatch.setattr(markup, "prompt_to_html", prompt_to_html)
    build.build_course(course, tmp_path / "out", [name])
    assert asked == set(get_format(name).PROMPTS)
