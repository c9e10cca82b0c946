"""GIFT: Moodle's plain-text question format, for the question types it can express.

One UTF-8 file; a ``$CATEGORY:`` line before each module's questions, the same categories,
titles and tags as the Moodle XML. Each question is preceded by a comment line
``// [id:<stable id>] [tag:...]``, which Moodle's GIFT importer (3.9 and later) reads as the
question's ID number and tags; the title stays a readable name. Text is written as
``[html]``, the sanitised HTML of the author's Markdown, with GIFT's special characters
escaped. A question GIFT cannot express is left out with a warning that names it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .. import ahead, markup
from ..i18n import strings_for
from ..ids import lms_ident
from ..model import (
    Cloze,
    Course,
    Matching,
    MultipleResponse,
    Numeric,
    Question,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)
from ..questions.numeric import figure
from ..reuse import Memo
from . import BuildContext, Shortfall
from .moodle import (
    LETTERED_OPTIONS,
    category_path,
    question_tags,
    question_title,
    response_percents,
    wildcard_escaped,
)

PROMPTS = {ahead.BLOCK}  # a prompt is shown whole, as one block of HTML

# Why GIFT has no writer for a type it knows of (see _WRITERS).
_NO_WRITER = {"ordering": "GIFT has no ordering question"}
# GIFT's special characters take a backslash; a newline is written \n, so that a question
# never contains the blank line that ends it, nor a line that starts like a // comment.
_ESCAPES = str.maketrans({**{c: "\\" + c for c in "\\~=#{}:"}, "\n": "\\n", "\r": ""})


def export(course: Course, out_dir: Path, context: BuildContext) -> list[Path]:
    """Write ``<course-id>.gift`` into ``out_dir``."""
    t = strings_for(course.language)
    header = t("gift_header", title=course.title, id=course.id, version=course.version)
    pieces = [f"// {header}\n\n".encode()]  # each line of each piece ends with a newline
    for module in course.modules:
        questions = course.questions_of(module.id)
        if questions:
            pieces.append(f"$CATEGORY: {category_path(course, module)}\n\n".encode())
        pieces.append(_questions(course, questions))
    path = out_dir / f"{course.id}.gift"
    path.write_bytes(b"".join(pieces).removesuffix(b"\n"))  # no blank line after the last
    return [path]


def shortfalls(course: Course) -> Iterator[Shortfall]:
    """Each question GIFT cannot carry faithfully: the file leaves it out, or (a numeric
    question's unit) carries it changed."""
    for q in course.questions:
        reason = unsupported(q)
        if reason:
            yield Shortfall.of_question(
                q,
                reason,
                "import the Moodle XML (coursegen build -f moodle) for every question",
                left_out=True,
            )
        elif isinstance(q, Numeric) and q.unit:
            yield Shortfall.of_question(
                q,
                f"GIFT has no units: Moodle grades the figure alone, and neither shows nor "
                f"accepts '{q.unit}'",
                "name the unit in the prompt, or import the Moodle XML, which carries it",
            )


def escape(text: str) -> str:
    """Text with GIFT's special characters escaped, on one line."""
    return text.translate(_ESCAPES)


def unsupported(q: Question) -> str:
    """Why GIFT cannot carry a question faithfully, or an empty string if it can."""
    if q.kind not in _WRITERS:
        return _NO_WRITER.get(q.kind, f"the GIFT export does not write {q.kind} questions")
    if isinstance(q, Cloze) and len(q.gaps) > 1:
        return f"it has {len(q.gaps)} gaps, and GIFT's missing-word question has one"
    if getattr(q, "case_sensitive", False):
        return "its answers are case-sensitive, and GIFT's short answers never are"
    if q.images:
        return "it shows an image, and a GIFT file cannot carry one"
    if isinstance(q, MultipleResponse) and response_percents(q.options) is None:
        return "it has more than 10 correct or wrong options, and Moodle has no grade for that"
    if len(getattr(q, "options", ())) > LETTERED_OPTIONS:  # GIFT cannot ask for numbers
        return (
            f"it has {len(q.options)} options, and Moodle letters a GIFT question's options "
            "a to z only"
        )
    typed = q.answers if isinstance(q, ShortAnswer) else ()
    if isinstance(q, Cloze):
        typed = q.gaps[0].answers
    if any("->" in answer for answer in typed):
        return "an answer contains '->', which GIFT reads as a matching pair"
    return ""


def _questions(course: Course, questions) -> bytes:
    """A module's questions, each followed by a blank line, UTF-8 (as stored and written),
    reused while they are unchanged: they are made of the questions and the course's id."""
    return _QUESTIONS.through(
        (course.id, tuple(questions)),
        lambda: "".join(f"{_question(course, q)}\n\n" for q in questions).encode(),
    )


# Each module's questions from earlier builds (serve, or a build with its store).
_QUESTIONS = Memo("gift-questions", 1_000)


def _question(course: Course, q: Question) -> str:
    ident = f"// [id:{lms_ident(course.id, q.id)}]"
    head = ident + "".join(f" [tag:{tag}]" for tag in question_tags(q))
    title = f"::{escape(question_title(q))}::"
    feedback = f"####{_html(q.explanation, inline=False)}" if q.explanation else ""
    return f"{head}\n{title}{_WRITERS[q.kind](q, feedback)}"


def _missing_word(q: Cloze, feedback: str) -> str:
    # GIFT's missing-word question: the answers stand in the text.
    html = markup.to_html(q.marked(markup.GAP_MARK)).strip()
    before, after = html.split(markup.GAP_MARK.format(1))
    answers = " ".join(f"={_plain(a)}" for a in q.gaps[0].answers)
    return f"[html]{escape(before)}{{{answers}{feedback}}}{escape(after)}"


def _answered(answers: Callable[[Any], list[str]], opening: str = "") -> Callable[[Any, str], str]:
    """A writer of the prompt followed by the answer lines that ``answers`` gives, after the
    ``opening`` that names the answers' kind."""

    def write(q: Question, feedback: str) -> str:
        body = "".join(f"\t{line}\n" for line in [*answers(q), feedback] if line)
        return f"{_html(q.prompt, inline=False)}{{{opening}\n{body}}}"

    return write


def _true_false(q: TrueFalse) -> list[str]:
    return ["TRUE" if q.answer else "FALSE"]


def _short_answer(q: ShortAnswer) -> list[str]:
    return [f"={_plain(answer)}" for answer in q.answers]


def _numeric(q: Numeric) -> list[str]:
    # Each figure is '=value:tolerance' after the '{#' that opens a numerical question, a
    # wrong one weighed 0%.
    return [
        ("=" if a.correct else "=%0%")
        + f"{figure(a.value)}:{figure(a.tolerance)}"
        + (f"#{_html(a.feedback)}" if a.feedback else "")
        for a in q.answers
    ]


def _matching(q: Matching) -> list[str]:
    # The right-hand side is plain text in Moodle's matching question.
    return [f"={_html(p.left)} -> {escape(_one_line(p.right))}" for p in q.pairs]


def _single_choice(q: SingleChoice) -> list[str]:
    return _options(q, ["=" if o.correct else "~" for o in q.options])


def _multiple_response(q: MultipleResponse) -> list[str]:
    return _options(q, [f"~%{percent}%" for percent in response_percents(q.options) or []])


def _options(q: SingleChoice | MultipleResponse, marks: list[str]) -> list[str]:
    return [
        mark + _html(o.text) + (f"#{_html(o.feedback)}" if o.feedback else "")
        for mark, o in zip(marks, q.options, strict=True)
    ]


# How GIFT writes each question type, after its title; a type without a writer here is left
# out of the file with a warning (see unsupported).
_WRITERS: dict[str, Callable[[Any, str], str]] = {
    "single_choice": _answered(_single_choice),
    "multiple_response": _answered(_multiple_response),
    "true_false": _answered(_true_false),
    "short_answer": _answered(_short_answer),
    "cloze": _missing_word,
    "matching": _answered(_matching),
    "numeric": _answered(_numeric, "#"),
}


def _html(text: str, inline: bool = True) -> str:
    # Every text names its format: text that starts with '[' cannot then be misread as one.
    return "[html]" + escape(markup.to_html(text, inline=inline).strip())


def _one_line(text: str) -> str:
    return " ".join(markup.to_plain_text(text).split())


def _plain(answer: str) -> str:
    # A leading '[' would read as a text format and a leading '%' as a weight: naming the
    # format first keeps both as text.
    prefix = "[moodle]" if answer[:1] in ("[", "%") else ""
    return prefix + escape(wildcard_escaped(answer))
