"""GIFT: Moodle's plain-text question format, for the question types it can express.

One UTF-8 file; a ``$CATEGORY:`` line before each module's questions, the same categories,
titles and tags as the Moodle XML. Each question is preceded by a comment line
``// [id:<stable id>] [tag:...]``, which Moodle's GIFT importer (3.9 and later) reads as the
question's ID number and tags; the title stays a readable name. Text is written as
``[html]``, the sanitised HTML of the author's Markdown, with GIFT's special characters
escaped. A question GIFT cannot express is left out with a warning that names it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .. import markup
from ..i18n import strings_for
from ..ids import lms_ident
from ..model import (
    Cloze,
    Course,
    Matching,
    MultipleResponse,
    Ordering,
    Question,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)
from . import BuildContext, Shortfall
from .moodle import (
    LETTERED_OPTIONS,
    category_path,
    question_tags,
    question_title,
    response_percents,
    wildcard_escaped,
)

# GIFT's special characters take a backslash; a newline is written \n, so that a question
# never contains the blank line that ends it, nor a line that starts like a // comment.
_ESCAPES = str.maketrans({**{c: "\\" + c for c in "\\~=#{}:"}, "\n": "\\n", "\r": ""})


def export(course: Course, out_dir: Path, context: BuildContext) -> list[Path]:
    """Write ``<course-id>.gift`` into ``out_dir``."""
    t = strings_for(course.language)
    header = t("gift_header", title=course.title, id=course.id, version=course.version)
    lines = [f"// {header}", ""]
    for module in course.modules:
        questions = course.questions_of(module.id)
        if questions:
            lines += [f"$CATEGORY: {category_path(course, module)}", ""]
        for q in questions:
            lines += [_question(course, q), ""]
    path = out_dir / f"{course.id}.gift"
    path.write_text("\n".join(lines), "utf-8")
    return [path]


def shortfalls(course: Course) -> Iterator[Shortfall]:
    """Each question GIFT cannot carry faithfully: the file leaves it out."""
    for q in course.questions:
        reason = unsupported(q)
        if reason:
            yield Shortfall.of_question(
                q,
                reason,
                "import the Moodle XML (coursegen build -f moodle) for every question",
                left_out=True,
            )


def escape(text: str) -> str:
    """Text with GIFT's special characters escaped, on one line."""
    return text.translate(_ESCAPES)


def unsupported(q: Question) -> str:
    """Why GIFT cannot carry a question faithfully, or an empty string if it can."""
    if isinstance(q, Ordering):
        return "GIFT has no ordering question"
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


def _question(course: Course, q: Question) -> str:
    ident = f"// [id:{lms_ident(course.id, q.id)}]"
    head = ident + "".join(f" [tag:{tag}]" for tag in question_tags(q))
    title = f"::{escape(question_title(q))}::"
    feedback = f"####{_html(q.explanation, inline=False)}" if q.explanation else ""
    if isinstance(q, Cloze):  # a missing-word question: the answers stand in the text
        html = markup.to_html(q.marked(markup.GAP_MARK)).strip()
        before, after = html.split(markup.GAP_MARK.format(1))
        answers = " ".join(f"={_plain(a)}" for a in q.gaps[0].answers)
        return f"{head}\n{title}[html]{escape(before)}{{{answers}{feedback}}}{escape(after)}"
    body = "".join(f"\t{line}\n" for line in [*_answers(q), feedback] if line)
    return f"{head}\n{title}{_html(q.prompt, inline=False)}{{\n{body}}}"


def _answers(q: Question) -> list[str]:
    if isinstance(q, TrueFalse):
        return ["TRUE" if q.answer else "FALSE"]
    if isinstance(q, ShortAnswer):
        return [f"={_plain(answer)}" for answer in q.answers]
    if isinstance(q, Matching):
        # The right-hand side is plain text in Moodle's matching question.
        return [f"={_html(p.left)} -> {escape(_one_line(p.right))}" for p in q.pairs]
    if isinstance(q, SingleChoice):
        marks = ["=" if o.correct else "~" for o in q.options]
    elif isinstance(q, MultipleResponse):
        marks = [f"~%{percent}%" for percent in response_percents(q.options) or []]
    else:
        return []
    return [
        mark + _html(o.text) + (f"#{_html(o.feedback)}" if o.feedback else "")
        for mark, o in zip(marks, q.options, strict=True)
    ]


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
