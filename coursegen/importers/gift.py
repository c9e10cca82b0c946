"""GIFT, Moodle's plain-text question format, read with the place of every question and answer.

The grammar is the one Moodle documents (docs.moodle.org/en/GIFT_format) and its importer
(question/format/gift/format.php) accepts: questions are separated by blank lines, lines that
start with ``//`` are comments (``// [id:x] [tag:y]`` gives the ID number and tags, as in
Moodle 3.9 and later), ``$CATEGORY:`` sets the category of the questions after it, and a
question is ``::title::`` (optional), its text, and its answers between braces.

The parser is hand-written so that a broken file gets ``file:line:col`` errors that say how to
fix it: each character of a question keeps its offset in the file (``_Block``), and every
problem found becomes a Diagnostic there. ``parse`` never raises for bad input.

``bank_questions`` maps what was parsed to the dicts a question bank holds, with a warning for
each thing coursegen cannot carry.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from .. import markup
from ..errors import CourseError, Diagnostic, Severity, SourcePos
from ..questions.numeric import NumericAnswer, bank_data
from .parsed import (
    NO_EXPLANATION,
    Category,
    Ids,
    Parsed,
    category_name,
    distinct,
    located,
    shared_prefix,
)

FORMATS = ("html", "markdown", "plain", "moodle")
# GIFT's escapes; any other backslash stays as written, as in Moodle and gift-pegjs.
_ESCAPED = {"\\": "\\", ":": ":", "#": "#", "=": "=", "{": "{", "}": "}", "~": "~", "n": "\n"}
_CONTROL = set("=~#{}")
_TRUTH = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_NUMERIC = re.compile(rf"\s*({_NUMBER})\s*(?:(:|\.\.)\s*({_NUMBER})\s*)?")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_COMMENT_ID = re.compile(r"\[id:([^\x00-\x1F\x7F]+?)]")
_COMMENT_TAG = re.compile(r"\[tag:([^\x00-\x1F\x7F]+?)]")


@dataclass(frozen=True)
class Text:
    """A text of a question as written: its format (html, markdown, plain, moodle) and text."""

    format: str
    text: str


@dataclass(frozen=True)
class Answer:
    """One answer between the braces: ``=`` or ``~``, its weight, text and feedback.

    For a matching pair, ``text`` is the left side and ``match`` the right; for a numerical
    answer, ``text`` is the number as written (``3.14:0.01``, ``1..5``)."""

    pos: SourcePos
    correct: bool
    text: Text
    weight: float | None = None
    feedback: Text | None = None
    match: str | None = None


@dataclass(frozen=True)
class Question:
    """A parsed GIFT question.

    ``kind`` is one of multiple_choice, true_false, short_answer, matching, numerical, essay,
    description. For a missing-word question ``after`` holds the text after the braces, and
    ``missing_word`` is true; ``prompt`` is then the text before them."""

    pos: SourcePos
    kind: str
    title: str | None
    category: str | None
    prompt: Text
    answers: tuple[Answer, ...] = ()
    general_feedback: Text | None = None
    after: Text | None = None
    truth: bool | None = None
    ident: str | None = None
    tags: tuple[str, ...] = ()
    # Whether space stood before and after a missing word's braces: 'equals {=4}.' has none
    # after, and the bank's gap should not gain one.
    spaced: tuple[bool, bool] = (True, True)

    @property
    def missing_word(self) -> bool:
        return self.after is not None

    def marked(self, mark: str) -> str:
        """The prompt with ``mark`` where a missing-word question's answers stand."""
        if self.after is None:
            return self.prompt.text
        return " ".join(t for t in (self.prompt.text, mark, self.after.text) if t)


@dataclass
class GiftFile:
    questions: list[Question] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


class GiftError(Exception):
    """A problem in one question; the parser reports it and goes on with the next question."""

    def __init__(self, where: int | SourcePos, message: str, hint: str, code: str = "gift-syntax"):
        super().__init__(message)
        # An offset in the file, or the place of an answer already parsed.
        self.where, self.message, self.hint, self.code = where, message, hint, code


class _Block:
    """The text of one question, each character with its offset in the file."""

    def __init__(self, chars: str, offsets: list[int], end: int):
        self.chars, self.offsets, self.end = chars, offsets, end

    def at(self, i: int) -> int:
        return self.offsets[i] if i < len(self.offsets) else self.end

    def find(self, what: str, start: int = 0, stop: int | None = None) -> int:
        """The index of the first unescaped ``what`` in [start, stop), or -1."""
        stop = len(self.chars) if stop is None else stop
        return next((i for i in self._unescaped(start, stop) if self._is(what, i, stop)), -1)

    def find_each(self, characters: str, start: int, stop: int) -> list[int]:
        """The index of every unescaped character of ``characters`` in [start, stop)."""
        return [i for i in self._unescaped(start, stop) if self.chars[i] in characters]

    def _is(self, what: str, i: int, stop: int) -> bool:
        return self.chars.startswith(what, i) and i + len(what) <= stop

    def _unescaped(self, start: int, stop: int) -> Iterator[int]:
        # A backslash takes the character after it, so '\\=' is a backslash and a mark.
        i = start
        while i < stop:
            if self.chars[i] == "\\":
                i += 2
                continue
            yield i
            i += 1


def parse(source: str, path: str = "<gift>") -> GiftFile:
    """Every question of a GIFT file, and a Diagnostic for each one that is broken."""
    result = GiftFile()
    lines = _line_starts(source)
    category = None
    for block, ident, tags in _blocks(source):
        try:
            if block.chars.lstrip().startswith("$CATEGORY:"):
                category = _category(block)
                continue
            question = _question(block, lambda o: _pos(path, lines, o))
        except GiftError as error:
            where = error.where
            where = where if isinstance(where, SourcePos) else _pos(path, lines, where)
            result.diagnostics.append(
                Diagnostic(where, Severity.ERROR, error.message, error.code, error.hint)
            )
            continue
        result.questions.append(_with(question, category=category, ident=ident, tags=tuple(tags)))
    return result


def _category(block: _Block) -> str:
    text = block.chars.strip()
    if "\n" in text:  # Moodle would take the question after it as part of the category's name
        raise GiftError(
            block.at(block.chars.index("\n", block.chars.index("$CATEGORY:")) + 1),
            "a question right after '$CATEGORY:' is read as part of the category's name",
            "leave a blank line after the $CATEGORY: line",
        )
    return text[len("$CATEGORY:") :].strip()


def _with(q: Question, **changes) -> Question:
    return Question(**{**q.__dict__, **changes})


def _line_starts(source: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer(r"\r\n|\n|\r", source)]


def _pos(path: str, starts: list[int], offset: int) -> SourcePos:
    line = bisect.bisect_right(starts, offset) - 1
    return SourcePos(path, line + 1, offset - starts[line] + 1)


def _blocks(source: str):
    """Each question's text as a _Block, with the id and tags of its comments.

    A blank line ends a question, and a line starting with ``//`` is dropped, as Moodle's
    importer does: so a brace left open ends at the blank line, not at the end of the file."""
    chars: list[str] = []
    offsets: list[int] = []
    ident, tags = None, []
    offset = 0
    # Lines end as _line_starts counts them (str.splitlines would also break at \f, \u2028...).
    for line in _LINE.findall(source) + [""]:
        body = line.rstrip("\r\n")
        if body.strip() == "":
            if "".join(chars).strip():
                yield _Block("".join(chars).rstrip("\r\n"), offsets, offsets[-1] + 1), ident, tags
            chars, offsets, ident, tags = [], [], None, []
        elif body.lstrip().startswith("//"):
            found = _COMMENT_ID.search(body)
            ident = found.group(1).strip().replace("\\]", "]") if found else ident
            tags += _COMMENT_TAG.findall(body)
        else:
            chars += list(body + "\n")
            offsets += range(offset, offset + len(body) + 1)
        offset += len(line)


def _question(block: _Block, pos: Callable[[int], SourcePos]) -> Question:
    start = len(block.chars) - len(block.chars.lstrip())
    title, i = _title(block, start)
    opening = block.find("{", i)
    closing = block.find("}", i)
    if opening < 0:
        if closing >= 0:
            raise _stray_brace(block, closing)
        return Question(pos(block.at(start)), "description", title, None, _text(block, i, None))
    if 0 <= closing < opening:
        raise _stray_brace(block, closing)
    if closing < 0:
        raise GiftError(
            block.at(opening),
            "'{' is never closed: the answers of a question end with '}'",
            "close the answers with '}' before the blank line that ends the question, "
            "or write '\\{' for a brace in the text",
        )
    nested = block.find("{", opening + 1, closing)
    if nested >= 0:
        raise GiftError(
            block.at(nested),
            "'{' inside the answers of a question",
            "close the answers before, or write '\\{' for a brace in an answer",
        )
    prompt = _text(block, i, None, stop=opening)
    fmt = prompt.format
    rest = block.chars[closing + 1 :]
    after = None
    if rest.strip():
        _no_second_block(block, closing + 1)
        after = _text(block, closing + 1, fmt)
    q = _answers(block, opening + 1, closing, fmt, pos)
    spaced = (block.chars[opening - 1 : opening].isspace(), rest[:1].isspace())
    return _with(
        q, pos=pos(block.at(start)), title=title, prompt=prompt, after=after, spaced=spaced
    )


def _stray_brace(block: _Block, at: int) -> GiftError:
    return GiftError(
        block.at(at),
        "'}' with no '{' before it",
        "write '\\}' for a brace in the text, or open the answers with '{'",
    )


def _no_second_block(block: _Block, start: int) -> None:
    for brace in "{}":
        extra = block.find(brace, start)
        if extra >= 0:
            raise GiftError(
                block.at(extra),
                f"'{brace}' after the answers: a question has one set of answers",
                "separate questions with a blank line, or escape the brace as '\\" + brace + "'",
            )


def _title(block: _Block, start: int) -> tuple[str | None, int]:
    if not block.chars.startswith("::", start):
        return None, start
    end = block.find("::", start + 2)
    if end < 0:
        raise GiftError(
            block.at(start),
            "the title is not closed: a title is written ::title::",
            "end the title with '::', or write '\\:' for a colon",
        )
    title = _decode(block.chars[start + 2 : end]).strip()
    return title, end + 2


def _text(block: _Block, start: int, default: str | None, stop: int | None = None) -> Text:
    """The text in [start, stop), its ``[format]`` read (else ``default``, else moodle)."""
    raw = block.chars[start:stop].strip()
    found = re.match(r"\[(html|markdown|plain|moodle)\]", raw)
    fmt = found.group(1) if found else (default or "moodle")
    raw = raw[found.end() :].strip() if found else raw
    if fmt not in ("html", "markdown"):  # Moodle and plain text: spaces and newlines are one
        raw = " ".join(raw.split())
    return Text(fmt, _decode(raw))


def _decode(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPED.get(m.group(1), m.group(0)), text)


def _answers(block: _Block, start: int, stop: int, fmt: str, pos) -> Question:
    """The question made of the answers in [start, stop): its kind and answers."""
    general = block.find("####", start, stop)
    feedback = _text(block, general + 4, fmt, stop) if general >= 0 else None
    end = general if general >= 0 else stop
    body = block.chars[start:end].strip()
    lead = start + len(block.chars[start:end]) - len(block.chars[start:end].lstrip())
    base = Question(pos(block.at(start)), "essay", None, None, Text(fmt, ""))
    base = _with(base, general_feedback=feedback)
    if not body:
        return base
    if body.startswith("#"):
        return _with(base, kind="numerical", answers=_numerical(block, lead + 1, end, fmt, pos))
    truth = _truth(block, lead, end, fmt, pos)
    if truth is not None:
        return _with(base, kind="true_false", truth=truth[0], answers=truth[1])
    answers = _marked_answers(block, lead, end, fmt, pos)
    return _with(base, kind=_kind(block, answers), answers=tuple(answers))


def _truth(block, lead, end, fmt, pos):
    """``{T}``, ``{FALSE#wrong#right}``: the truth and the two feedbacks, or None."""
    word = re.match(r"[A-Z]+", block.chars[lead:end])
    if not word or word.group(0) not in _TRUTH:
        return None
    after = lead + word.end()
    if block.chars[after:end].strip() and block.chars[after:end].strip()[0] != "#":
        return None
    parts = _split(block, "#", after, end)
    if len(parts) > 3:
        raise GiftError(
            block.at(parts[3][0] - 1),
            "a true/false question has at most two feedbacks: {T#if wrong#if right}",
            "write '\\#' for a '#' in a feedback",
        )
    truth = _TRUTH[word.group(0)]
    texts = [_text(block, a, fmt, b) for a, b in parts[1:]]
    wrong, right = [*texts, None, None][:2]
    answers = (
        Answer(pos(block.at(lead)), True, Text(fmt, str(truth).lower()), feedback=right),
        Answer(pos(block.at(lead)), False, Text(fmt, str(not truth).lower()), feedback=wrong),
    )
    return truth, answers


def _split(block: _Block, mark: str, start: int, stop: int) -> list[tuple[int, int]]:
    """The spans of [start, stop) between unescaped ``mark``s."""
    spans, i = [], start
    while True:
        j = block.find(mark, i, stop)
        if j < 0:
            return spans + [(i, stop)]
        spans.append((i, j))
        i = j + len(mark)


def _marked_answers(block, lead, end, fmt, pos) -> list[Answer]:
    """Answers that each start with '=' or '~'."""
    marks = block.find_each("=~", lead, end)
    if not marks or marks[0] != lead:
        raise GiftError(
            block.at(lead),
            "an answer must start with '=' (right) or '~' (wrong)",
            "write '=' before a right answer and '~' before a wrong one, or T or F for a "
            "true/false question",
        )
    return [_answer(block, a, b, fmt, pos) for a, b in zip(marks, [*marks[1:], end], strict=True)]


def _answer(block: _Block, start: int, stop: int, fmt: str, pos) -> Answer:
    weight, i = _weight(block, start + 1, stop)
    hash_at = block.find("#", i, stop)
    text_end = hash_at if hash_at >= 0 else stop
    feedback = _text(block, hash_at + 1, fmt, stop) if hash_at >= 0 else None
    arrow = block.find("->", i, text_end)
    text = _text(block, i, fmt, arrow if arrow >= 0 else text_end)
    match = None
    if arrow >= 0:
        match = " ".join(_decode(block.chars[arrow + 2 : text_end]).split())
    correct = block.chars[start] == "="
    return Answer(pos(block.at(start)), correct, text, weight, feedback, match)


def _weight(block: _Block, start: int, stop: int) -> tuple[float | None, int]:
    i = start + len(block.chars[start:stop]) - len(block.chars[start:stop].lstrip())
    if block.chars[i : i + 1] != "%":
        return None, start
    close = block.chars.find("%", i + 1, stop)
    if close < 0:
        raise GiftError(
            block.at(i), "the weight is not closed: write it as %50%", "end the weight with '%'"
        )
    value = block.chars[i + 1 : close].strip()
    if not re.fullmatch(_NUMBER, value) or not -100 <= float(value) <= 100:
        raise GiftError(
            block.at(i + 1),
            f"the weight '{value}' is not a number from -100 to 100",
            "write a percentage such as %50% or %-33.33333%",
        )
    return float(value), close + 1


def _kind(block: _Block, answers: list[Answer]) -> str:
    pairs = [a for a in answers if a.match is not None]
    if pairs and len(pairs) < len(answers):
        odd = next(a for a in answers if a.match is None)
        raise _at(odd, "a matching question's answers are all pairs: =left -> right")
    if pairs:
        wrong = [a for a in answers if not a.correct]
        if wrong:
            raise _at(wrong[0], "a matching pair starts with '=', not '~'")
        return "matching"
    return "short_answer" if all(a.correct for a in answers) else "multiple_choice"


def _at(answer: Answer, message: str) -> GiftError:
    return GiftError(answer.pos, message, "write each pair as '=left -> right'")


def _numerical(block, start, end, fmt, pos) -> tuple[Answer, ...]:
    """``{#3.14:0.01}``, ``{#1..5}``, ``{#=3:0.1 =%50%3:1 #feedback}``."""
    body = block.chars[start:end]
    if body.strip()[:1] not in ("=", "~"):
        feedback = block.find("#", start, end)
        stop = feedback if feedback >= 0 else end
        _check_number(block, start, stop)
        fb = _text(block, feedback + 1, fmt, end) if feedback >= 0 else None
        text = Text(fmt, " ".join(block.chars[start:stop].split()))
        return (Answer(pos(block.at(start)), True, text, None, fb),)
    answers = _marked_answers(block, start + len(body) - len(body.lstrip()), end, fmt, pos)
    for a in answers:
        # A choice with no number ('~#feedback') stands for any other answer, as in
        # Moodle's importer tests; gift-pegjs reads it so too.
        if a.text.text and not _NUMERIC.fullmatch(a.text.text):
            raise _not_a_number(a.pos, a.text.text)
    return tuple(
        Answer(a.pos, a.correct, Text(a.text.format, a.text.text or "*"), a.weight, a.feedback)
        for a in answers
    )


def _check_number(block: _Block, start: int, stop: int) -> None:
    text = block.chars[start:stop]
    if not _NUMERIC.fullmatch(text):
        raise _not_a_number(block.at(start + len(text) - len(text.lstrip())), text.strip())


def _not_a_number(where: int | SourcePos, text: str) -> GiftError:
    return GiftError(
        where,
        f"'{text}' is not a numerical answer",
        "write a number, a number and its tolerance (3.14:0.01), or a range (1..5)",
    )


# What coursegen cannot carry of a GIFT question type, in the warning that names it.
_NOT_CARRIED = {
    "essay": "coursegen has no essay question",
    "description": "coursegen has no description item (text without answers)",
}
_LEVEL_TAGS = (("difficulty-", "difficulty"), ("bloom-", "bloom"))


def read(data: bytes, shown: str, course_id: str) -> Parsed:
    """A GIFT file as the import's categories; its broken questions are errors."""
    try:
        source = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CourseError(
            f"{shown}: error: not UTF-8 text (byte {exc.start} is {data[exc.start]:#04x}); "
            "save the file as UTF-8 and import it again"
        ) from None
    parsed = parse(source, shown)
    ids = _ids(parsed.questions, course_id)
    categories: dict[str, Category] = {}
    warnings: list[Diagnostic] = []
    for q in parsed.questions:
        found, lost = bank_question(q, _markdown)
        warnings += lost
        if found is not None:
            found = {"id": _ident(q, ids), **found}
            found.setdefault("explanation", NO_EXPLANATION)
            name = category_name(q.category or "")
            category = categories.setdefault(name, Category(name, "", q.pos.line))
            category.questions.append(located(q.pos, found))
    return Parsed("GIFT", list(categories.values()), {}, warnings, parsed.diagnostics)


def _markdown(text: Text) -> str:
    """A GIFT text as the bank's Markdown; Moodle's own format is HTML when it has a tag."""
    if text.format == "html" or (text.format == "moodle" and "<" in text.text):
        return markup.html_to_markdown(text.text)
    return text.text.strip()


def bank_questions(
    questions: list[Question],
    course_id: str | None = None,
    text: Callable[[Text], str] = lambda t: t.text,
) -> tuple[list[dict], list[Diagnostic]]:
    """The question-bank dicts for ``questions``, and a warning for what they cannot carry.

    ``text`` turns a GIFT text into the bank's Markdown. The ID number written by
    ``coursegen build -f gift`` (``<course>.<id>``) gives the id back; the ``difficulty-*``
    and ``bloom-*`` tags give back those fields."""
    ids = _ids(questions, course_id)
    banks, warnings = [], []
    for q in questions:
        found, lost = bank_question(q, text)
        warnings += lost
        if found is not None:
            banks.append({"id": _ident(q, ids), **found})
    return banks, warnings


def bank_question(q: Question, text: Callable[[Text], str]) -> tuple[dict | None, list]:
    """One question's bank data (without its id), or None; and warnings of what it loses."""
    reason = _NOT_CARRIED.get(q.kind)
    if reason:
        return None, [_warning(q, f"{reason}; the question is left out")]
    data, lost = _MAPPERS[q.kind](q, text)
    return {**_levels(q), **data}, [_warning(q, why) for why in lost]


def _warning(q: Question, why: str) -> Diagnostic:
    name = q.title or q.ident or q.prompt.text[:40]
    return Diagnostic(
        q.pos, Severity.WARNING, f"GIFT question '{name}' ({q.kind}): {why}", "gift-not-carried"
    )


def _ids(questions: list[Question], course_id: str | None) -> Ids:
    return Ids(shared_prefix(q.ident for q in questions if q.ident) or course_id or "")


def _ident(q: Question, ids: Ids) -> str:
    # The same file gives the same ids on every import.
    return ids.new(q.ident or "", q.title or q.marked("___"))


def _levels(q: Question) -> dict:
    fields: dict = {"tags": []}
    for tag in q.tags:
        level = next((f for p, f in _LEVEL_TAGS if tag.startswith(p)), None)
        if level:
            fields[level] = tag.split("-", 1)[1]
        else:
            fields["tags"].append(tag)
    if not fields["tags"]:
        del fields["tags"]
    return fields


def _common(q: Question, text, kind: str, prompt: str | None = None) -> dict:
    data = {"type": kind, "prompt": prompt if prompt is not None else text(q.prompt)}
    if q.general_feedback and q.general_feedback.text:
        data["explanation"] = text(q.general_feedback)
    return data


def _choice(q: Question, text) -> tuple[dict, list[str]]:
    lost = []
    weights = [
        a.weight if a.weight is not None else (100.0 if a.correct else 0.0) for a in q.answers
    ]
    right = [w > 0 for w in weights]
    kind = (
        "single_choice"
        if right.count(True) == 1 and weights.count(100.0) == 1
        else "multiple_response"
    )
    if not any(right):
        lost.append("no answer is right, and a coursegen question needs one")
    elif kind == "multiple_response" and _partial(weights):
        lost.append(
            "its weights are not equal shares, and coursegen scores every right option alike"
        )
    prompt = _around(q, text, "_____") if q.missing_word else None
    options = [_option(a, ok, text) for a, ok in zip(q.answers, right, strict=True)]
    return {**_common(q, text, kind, prompt), "options": options}, lost


def _around(q: Question, text, gap: str) -> str:
    """A missing word's prompt with ``gap`` where the braces stood, spaced as they were."""
    before, after = text(q.prompt), text(q.after)
    return (
        (before + " " * q.spaced[0] if before else "")
        + gap
        + (" " * q.spaced[1] + after if after else "")
    )


def _partial(weights: list[float]) -> bool:
    positive = [w for w in weights if w > 0]
    return len(set(positive)) > 1 or abs(sum(positive) - 100) > 0.01


def _option(a: Answer, correct: bool, text) -> dict:
    option = {"text": text(a.text), "correct": correct}
    if a.feedback and a.feedback.text:
        option["feedback"] = text(a.feedback)
    return option


def _true_false(q: Question, text) -> tuple[dict, list[str]]:
    lost = (
        ["its answer feedback is left out: coursegen's true/false has none"]
        if any(a.feedback and a.feedback.text for a in q.answers)
        else []
    )
    return {**_common(q, text, "true_false"), "answer": q.truth}, lost


def _short(q: Question, text) -> tuple[dict, list[str]]:
    lost = []
    accepted = [a for a in q.answers if a.weight is None or a.weight > 0]
    if len(accepted) < len(q.answers):
        lost.append("answers worth no mark are left out: coursegen accepts only right answers")
    if any(a.weight not in (None, 100.0) for a in accepted):
        lost.append("answers worth part of the mark are taken as right")
    if any(a.feedback and a.feedback.text for a in q.answers):
        lost.append("its answer feedback is left out: coursegen's short answers have none")
    if any(re.search(r"(?<!\\)\*", a.text.text) for a in accepted):
        lost.append("'*' is Moodle's wildcard in an answer, and coursegen compares it as text")
    # Typed answers are plain text; in Moodle '\*' is a literal '*', not a wildcard.
    # Moodle compares GIFT's short answers without case, as coursegen does by default.
    answers = distinct([a.text.text.replace("\\*", "*") for a in accepted], False)
    if q.missing_word:
        prompt = _around(q, text, "{{" + "|".join(answers) + "}}")
        return {**_common(q, text, "cloze", prompt)}, lost
    return {**_common(q, text, "short_answer"), "answers": answers}, lost


def _matching(q: Question, text) -> tuple[dict, list[str]]:
    lost = []
    if any(a.feedback for a in q.answers):
        lost.append("its pair feedback is left out: coursegen's matching pairs have none")
    pairs = [{"left": text(a.text), "right": a.match} for a in q.answers]
    return {**_common(q, text, "matching"), "pairs": pairs}, lost


def _numeric(q: Question, text) -> tuple[dict, list[str]]:
    """'=3.14:0.01' (a figure and its tolerance), '=1..5' (a range); a weight of 0 or less is
    a known wrong figure."""
    lost, answers = [], []
    for a in q.answers:
        found = _NUMERIC.fullmatch(a.text.text)
        if found is None:  # '*': any other answer, which coursegen has no place for
            lost.append("its answer for any other figure is left out")
            continue
        first, mark, second = found.group(1), found.group(2), found.group(3)
        value, tolerance = Decimal(first), Decimal(second or 0)
        if mark == "..":  # a range: the figure in its middle, half its width either side
            value, tolerance = (value + tolerance) / 2, abs(tolerance - value) / 2
        weight = a.weight if a.weight is not None else 100.0
        if 0 < weight < 100:  # as for short answers: coursegen grades right or wrong
            lost.append(f"the answer {a.text.text.strip()}, worth part of the grade, is left out")
            continue
        feedback = text(a.feedback) if a.feedback and a.feedback.text else None
        answers.append(NumericAnswer(value, abs(tolerance), weight > 0, feedback))
    return {**_common(q, text, "numeric"), **bank_data(answers)}, lost


_MAPPERS = {
    "multiple_choice": _choice,
    "true_false": _true_false,
    "short_answer": _short,
    "matching": _matching,
    "numerical": _numeric,
}
