"""Moodle XML: every question of the course in one file, for Moodle's question bank import.

A category question before each module's questions files them under
``$course$/top/<course title>/Module N: <title>``, named in the course's language; each
question carries its stable id as ``idnumber`` (so a re-import is recognisable), its tags,
and the images it shows as base64 ``<file>`` elements that its HTML references as
``@@PLUGINFILE@@/<name>``. The element names and values are those Moodle's own importer
reads (question/format/xml/format.php).
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from math import copysign
from pathlib import Path
from typing import Any

from .. import ahead, markup
from ..assessment import Pool, final_pools, pool_name
from ..blueprint import sets_cut_short
from ..i18n import strings_for
from ..ids import lms_ident
from ..media import MediaFile
from ..model import (
    Cloze,
    Course,
    Matching,
    Module,
    MultipleResponse,
    Numeric,
    Option,
    Ordering,
    Question,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)
from ..questions.numeric import figure
from ..reuse import Memo
from . import BuildContext, Shortfall
from .xmltext import (
    child_at,
    children_at,
    element,
    escape_attribute,
    escape_text,
    indent,
    leaf,
)

PROMPTS = {ahead.BLOCK}  # a prompt is shown whole, as one block of HTML

# Moodle stores only these grades (question_bank::fraction_options_full(), to 7 places) and
# refuses an import with any other, so every weight written must be one of them.
GRADES = (1.0, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25)
GRADES += (0.2, 0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05)
# Characters Moodle's multianswer parser gives a meaning inside an answer; it decodes HTML
# entities in answers, so these are written as entities and come back as themselves.
_GAP_SPECIALS = frozenset("&<>\"'\\/{}#~=%")
# Moodle letters options with chr(ord('a') + n) (qtype_multichoice's number_in_style), so
# past z it would show '{', '|'...: a question with more options is numbered instead.
LETTERED_OPTIONS = 26


def export(course: Course, out_dir: Path, context: BuildContext) -> list[Path]:
    """Write ``<course-id>-moodle.xml`` into ``out_dir``."""
    children = []  # of <quiz>, each UTF-8 as the file holds it (xmltext.child_at)
    for module in course.modules:
        of_module = course.questions_of(module.id)
        if of_module:
            children.append(child_at(_category(course, module), 1).encode())
        children.append(_questions(course, of_module, context.media))
    for pool in final_pools(course) if course.final_assessment.blueprint else ():
        # A copy of each question in its set's category, for a random question to draw from.
        children.append(child_at(_set_category(course, pool), 1).encode())
        children.append(_questions(course, pool.questions, context.media))
    path = out_dir / f"{course.id}-moodle.xml"
    with open(path, "wb") as file:  # piece by piece: at 50,000 questions the file is 85 MB
        file.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
        if any(children):
            file.writelines([b"<quiz>", *children, b"\n</quiz>\n"])
        else:
            file.write(b"<quiz />\n")
    return [path]


def shortfalls(course: Course) -> Iterator[Shortfall]:
    """Each question Moodle cannot grade as written: the file leaves it out."""
    for q in course.questions:
        if q.kind not in _KINDS:
            yield Shortfall.of_question(
                q,
                f"the Moodle XML export does not write {q.kind} questions",
                "rewrite it as another type for Moodle, or add it there by hand",
                left_out=True,
            )
        elif isinstance(q, MultipleResponse) and response_percents(q.options) is None:
            yield Shortfall.of_question(
                q,
                "it has more than 10 correct or 10 wrong options, and Moodle has no grade "
                "for that share",
                "split the options over two questions",
                left_out=True,
            )
    yield from sets_cut_short(course, _writable)


def _writable(q: Question) -> bool:
    """Whether the file carries ``q`` (see shortfalls)."""
    if isinstance(q, MultipleResponse):
        return response_percents(q.options) is not None
    return q.kind in _KINDS


def category_path(course: Course, module: Module) -> str:
    """The question category of a module, as Moodle's importers read a category path."""
    module_name = strings_for(course.language)("module_title", n=module.number, title=module.title)
    names = [course.title, module_name]
    return "$course$/top/" + "/".join(_category_name(name) for name in names)


def question_title(q: Question) -> str:
    """A short readable name for a question: the first words of its prompt."""
    text = q.marked("___") if isinstance(q, Cloze) else q.prompt
    words = " ".join(markup.to_plain_text(text).split())
    if len(words) > 60:
        words = words[:60].rsplit(" ", 1)[0] + "…"
    return words or q.id


def question_tags(q: Question) -> list[str]:
    """The author's tags, then the difficulty and Bloom level as tags."""
    tags = [*q.tags, *([f"difficulty-{q.difficulty}"] if q.difficulty else [])]
    return tags + ([f"bloom-{q.bloom}"] if q.bloom else [])


def response_percents(options: tuple[Option, ...]) -> list[str] | None:
    """Percentages for a multiple-response question's options: the correct ones share 100%,
    the wrong ones share -100% (so ticking every box scores nothing); None when Moodle has no
    grade for a share (more than 10 correct or 10 wrong options)."""
    right = sum(o.correct for o in options)
    wrong = len(options) - right
    shares = {True: _percent(1 / right), False: _percent(-1 / wrong) if wrong else "0"}
    if None in shares.values():
        return None
    return [shares[o.correct] for o in options]


def wildcard_escaped(answer: str) -> str:
    """A short answer as Moodle compares it: there '*' matches anything, and '\\*' is a '*'."""
    return answer.replace("*", "\\*")


def _percent(fraction: float) -> str | None:
    for grade in GRADES:
        if abs(abs(fraction) - grade) < 0.00001:  # Moodle's own tolerance (match_grade_options)
            return f"{copysign(grade, fraction) * 100:.5f}".rstrip("0").rstrip(".")
    return None


def _category_name(name: str) -> str:
    # As Moodle's assemble_category_path(): its importers split a path at '/', read '//' as
    # a slash within a name and trim each name, so a name must not start or end with '/'.
    escaped = " ".join(name.split()).replace("/", "//")
    return f" {escaped}" if escaped.startswith("/") else escaped + (" " * escaped.endswith("/"))


def _category(course: Course, module: Module) -> str:
    path = element("category", {}, leaf("text", category_path(course, module)))
    return element("question", {"type": "category"}, path)


def set_category_path(course: Course, pool: Pool) -> str:
    """The question category of a set of the final assessment's blueprint."""
    t = strings_for(course.language)
    names = [course.title, t["final"], pool_name(pool, t)]
    return "$course$/top/" + "/".join(_category_name(name) for name in names)


def _set_category(course: Course, pool: Pool) -> str:
    path = element("category", {}, leaf("text", set_category_path(course, pool)))
    info = strings_for(course.language).count("blueprint_category", pool.draw)
    about = element("info", {"format": "html"}, leaf("text", f"<p>{info}</p>"))
    return element("question", {"type": "category"}, path, about)


def _gap(q: Cloze, answers: tuple[str, ...]) -> str:
    kind = "SHORTANSWER_C" if q.case_sensitive else "SHORTANSWER"
    alternatives = "~".join("=" + _gap_answer(a) for a in answers)
    return f"{{1:{kind}:{alternatives}}}"


def _gap_answer(answer: str) -> str:
    return "".join(f"&#{ord(c)};" if c in _GAP_SPECIALS else c for c in wildcard_escaped(answer))


def _questions(course: Course, questions, files: dict[Path, MediaFile]) -> bytes:
    """The questions' XML as children of <quiz>, UTF-8 (as stored and written), reused while
    they are all unchanged; written afresh with an image among them (an image file's name
    comes from its content, which no question holds)."""
    key = None if any(q.images for q in questions) else (course.id, tuple(questions))
    return _QUESTIONS.through(key, lambda: _questions_xml(course, questions, files).encode())


def _questions_xml(course: Course, questions, files: dict[Path, MediaFile]) -> str:
    return "".join(child_at(_Writer(course, q, files).question(), 1) for q in questions)


# Each module's and set's questions from earlier builds (serve, or a build with its store).
_QUESTIONS = Memo("moodle-questions", 1_000)


class _Writer:
    """One question as the XML text of a Moodle XML <question> element."""

    def __init__(self, course: Course, q: Question, files: dict[Path, MediaFile]):
        self.course = course
        self.q = q
        self.files = files
        self.images = {image.src: image.path for image in q.images}

    def question(self) -> str:
        """The question (one that Moodle can grade: see shortfalls)."""
        q = self.q
        moodle_type, answers = _KINDS[q.kind]
        if isinstance(q, Cloze):
            text = self.field("questiontext", *self.cloze_text(q))
        else:
            text = self.text("questiontext", q.prompt)
        tags = (f"<tag>\n  {leaf('text', tag)}\n</tag>" for tag in question_tags(q))
        return _QUESTION.format(
            type=moodle_type,
            title=escape_text(question_title(q)),
            text=indent(text, 1),
            feedback=indent(self.text("generalfeedback", q.explanation), 1),
            # A cloze's grade is the sum of its gaps' grades.
            grade="" if isinstance(q, Cloze) else "\n  <defaultgrade>1</defaultgrade>",
            penalty="1" if isinstance(q, TrueFalse) else "0.3333333",
            idnumber=escape_text(lms_ident(self.course.id, q.id)),
            tags=indent(element("tags", {}, *tags), 1),
            answers=children_at(answers(self, q), 1),
        )

    def true_false(self, q: TrueFalse) -> list[str]:
        return [self.answer("100" if q.answer is v else "0", str(v).lower()) for v in (True, False)]

    def short_answer(self, q: ShortAnswer) -> list[str]:
        usecase = leaf("usecase", "1" if q.case_sensitive else "0")
        return [usecase, *(self.answer("100", wildcard_escaped(a)) for a in q.answers)]

    def numerical(self, q: Numeric) -> list[str]:
        """Each figure with its grade, tolerance and feedback; the unit optional, as in the
        HTML course (qtype_numerical's "units are optional": typed or not, it is accepted)."""
        written = [
            element(
                "answer",
                {"fraction": "100" if a.correct else "0", "format": "moodle_auto_format"},
                leaf("text", figure(a.value)),
                self.text("feedback", a.feedback or "", inline=True),
                leaf("tolerance", figure(a.tolerance)),
            )
            for a in q.answers
        ]
        if q.unit:
            unit = element("unit", {}, leaf("multiplier", "1"), leaf("unit_name", q.unit))
            written.append(element("units", {}, unit))
        options = {
            "unitgradingtype": "0",  # a unit is never required
            "unitpenalty": "0.1000000",
            "showunits": "0" if q.unit else "3",  # a text field for the unit, or none
            "unitsleft": "0",  # the unit follows the figure
        }
        return written + [leaf(name, value) for name, value in options.items()]

    def matching(self, q: Matching) -> list[str]:
        written = [leaf("shuffleanswers", "true")]
        for pair in q.pairs:
            right = " ".join(markup.to_plain_text(pair.right).split())
            answer = element("answer", {}, leaf("text", right))
            written.append(self.text("subquestion", pair.left, answer, inline=True))
        return written

    def gaps(self, q: Cloze) -> list[str]:
        """Nothing: a cloze's answers stand in its text (cloze_text)."""
        return []

    def choices(self, q: SingleChoice | MultipleResponse) -> list[str]:
        single = isinstance(q, SingleChoice)
        if single:
            percents = ["100" if o.correct else "0" for o in q.options]
        else:
            percents = response_percents(q.options) or []
        numbering = "abc" if len(q.options) <= LETTERED_OPTIONS else "123"
        written = [
            leaf("single", "true" if single else "false"),
            leaf("shuffleanswers", "true" if q.shuffle else "false"),
            leaf("answernumbering", numbering),
        ]
        for option, percent in zip(q.options, percents, strict=True):
            feedback = self.text("feedback", option.feedback or "", inline=True)
            written.append(
                self.text("answer", option.text, feedback, inline=True, fraction=percent)
            )
        return written

    def ordering(self, q: Ordering) -> list[str]:
        # qtype_ordering's settings: show every item, graded by how many are in place.
        settings = {
            "layouttype": "VERTICAL",
            "selecttype": "ALL",
            "selectcount": str(len(q.items)),
            "gradingtype": "ABSOLUTE_POSITION",
            "showgrading": "SHOW",
            "numberingstyle": "none",
        }
        written = [leaf(name, value) for name, value in settings.items()]
        for position, item in enumerate(q.items, start=1):  # the fraction is the position
            written.append(self.text("answer", item, inline=True, fraction=str(position)))
        return written

    def answer(self, percent: str, text: str) -> str:
        attributes = {"fraction": percent, "format": "moodle_auto_format"}
        return element("answer", attributes, leaf("text", text), self.field("feedback", "", {}))

    def cloze_text(self, q: Cloze) -> tuple[str, dict[str, bytes]]:
        html, files = self.render(q.marked(markup.GAP_MARK))
        # Braces in the prose could otherwise read as the start of an embedded answer.
        html = html.replace("{", "&#123;").replace("}", "&#125;")
        for n, gap in enumerate(q.gaps, start=1):
            html = html.replace(markup.GAP_MARK.format(n), _gap(q, gap.answers))
        return html, files

    def text(
        self, tag: str, text: str, *more: str, inline: bool = False, fraction: str | None = None
    ) -> str:
        """A field of author text, then ``more`` elements; a ``fraction`` is its grade."""
        return self.field(tag, *self.render(text, inline), *more, fraction=fraction)

    def render(self, text: str, inline: bool = False) -> tuple[str, dict[str, bytes]]:
        """Sanitised HTML of author text, and the image files it references by name."""
        if not text:
            return "", {}
        files: dict[str, bytes] = {}

        def src(written: str) -> str:
            file = self.files[self.images[written]]
            files[file.name] = file.data
            return f"@@PLUGINFILE@@/{file.name}"

        return markup.to_html(text, inline=inline, image_src=src).strip(), files

    @staticmethod
    def field(
        tag: str, html: str, files: dict[str, bytes], *more: str, fraction: str | None = None
    ) -> str:
        """An element of HTML and its image files (base64), then ``more`` elements."""
        attributes = {"format": "html"}
        if fraction is not None:
            attributes["fraction"] = fraction
        if not files and not more:  # most are: one line, written as element would, 10% faster
            grade = "" if fraction is None else f' fraction="{escape_attribute(fraction)}"'
            return f'<{tag} format="html"{grade}>\n  {leaf("text", html)}\n</{tag}>'
        embedded = (
            leaf("file", base64.b64encode(data).decode("ascii"), _file_attributes(name))
            for name, data in sorted(files.items())
        )
        return element(tag, attributes, leaf("text", html), *embedded, *more)


# A question as ElementTree indents it at depth 0 (see xmltext); its answers follow its tags.
_QUESTION = """\
<question type="{type}">
  <name>
    <text>{title}</text>
  </name>
  {text}
  {feedback}{grade}
  <penalty>{penalty}</penalty>
  <hidden>0</hidden>
  <idnumber>{idnumber}</idnumber>
  {tags}{answers}
</question>"""


def _file_attributes(name: str) -> str:
    return f' name="{escape_attribute(name)}" path="/" encoding="base64"'


# How Moodle XML writes each question type: Moodle's name for the type, and the _Writer
# method that writes its answers. A type not here is left out with a warning (shortfalls).
_KINDS: dict[str, tuple[str, Callable[[_Writer, Any], list[str]]]] = {
    "single_choice": ("multichoice", _Writer.choices),
    "multiple_response": ("multichoice", _Writer.choices),
    "true_false": ("truefalse", _Writer.true_false),
    "short_answer": ("shortanswer", _Writer.short_answer),
    "cloze": ("cloze", _Writer.gaps),  # Moodle XML's name for multianswer (embedded answers)
    "matching": ("matching", _Writer.matching),
    "ordering": ("ordering", _Writer.ordering),  # a standard question type since Moodle 4.4
    "numeric": ("numerical", _Writer.numerical),
}
