"""Moodle XML -> question data, each value at the line of the XML element it came from.

The elements read are those Moodle's own importer reads (question/format/xml/format.php):
``<question type="category">`` files the questions after it under a category path; each
question has ``name``, ``questiontext`` (with ``<file>`` elements its ``@@PLUGINFILE@@``
references name), ``generalfeedback``, ``idnumber``, ``tags`` and its type's answers.
"""

from __future__ import annotations

import base64
import binascii
import html
import re

from lxml import etree

from .. import markup
from ..errors import CourseError, Diagnostic, Severity, SourcePos
from ..questions.numeric import NumericAnswer, bank_data, parse_figure
from ..yamlio import YMap
from .parsed import (
    NO_EXPLANATION,
    Category,
    Ids,
    Images,
    Parsed,
    category_name,
    distinct,
    located,
    shared_prefix,
    slug,
)

# Moodle's types that coursegen has no type for; each such question is warned about.
_UNSUPPORTED = {
    "essay": "an essay is marked by a person",
    "description": "a description is text with no answer",
    "calculated": "coursegen has no calculated type",
    "calculatedsimple": "coursegen has no calculated type",
    "calculatedmulti": "coursegen has no calculated type",
    "randomsamatch": "its questions are drawn from other short-answer questions",
}
# An embedded answer of a Moodle cloze: {weight:TYPE:answers}.
_EMBEDDED = re.compile(r"\{(\d*):([A-Z_]+):((?:\\.|[^}])*)\}")
_SHORT = {"SHORTANSWER", "SA", "MW", "SHORTANSWER_C", "SAC", "MWC"}
_CHOICE = {"MULTICHOICE", "MC", "MCV", "MCH", "MULTICHOICE_S", "MCS", "MCVS", "MCHS"}
_PLUGINFILE = "@@PLUGINFILE@@/"


def parse(data: bytes, shown: str, course_id: str) -> Parsed:
    """Read a Moodle XML file; raise CourseError at the line where it is not well-formed."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line, col = exc.position
        message = re.sub(r", line \d+, column \d+$", "", exc.msg)  # said in front already
        raise CourseError(f"{shown}:{line}:{col}: error: not well-formed XML: {message}") from None
    questions = [q for q in root.iterchildren("question") if q.get("type") != "category"]
    prefix = shared_prefix(q.findtext("idnumber") or "" for q in questions) or course_id
    reader = _Reader(shown, prefix)
    for element in root.iterchildren("question"):
        reader.question(element)
    categories = [c for c in reader.categories if c.questions]
    return Parsed("Moodle", categories, reader.images.files, reader.warnings)


class _Reader:
    def __init__(self, shown: str, prefix: str):
        self.shown = shown
        self.categories = [Category("imported", "", 1)]
        self.images = Images()
        self.warnings: list[Diagnostic] = []
        self.ids = Ids(prefix)
        self.read: set[str] = set()  # ID numbers of the questions read

    def pos(self, element) -> SourcePos:
        return SourcePos(self.shown, element.sourceline or 1, 1)

    def warn(self, element, message: str, code: str, hint: str) -> None:
        self.warnings.append(Diagnostic(self.pos(element), Severity.WARNING, message, code, hint))

    def question(self, element) -> None:
        kind = element.get("type", "")
        if kind == "category":
            path = element.findtext("category/text") or ""
            info = self.text(element.find("info")) if element.find("info") is not None else ""
            self.categories.append(Category(category_name(path), info, element.sourceline or 1))
            return
        idnumber = element.findtext("idnumber") or ""
        if idnumber and idnumber in self.read:
            return  # a copy, as coursegen files a blueprint's sets: read once
        self.read.add(idnumber)
        name = element.findtext("name/text") or ""
        read = _TYPES.get(kind)
        if read is None:
            why = _UNSUPPORTED.get(kind, "coursegen has no such question type")
            self.warn(
                element,
                f"question '{name}' ({kind}) is not imported: {why}",
                "not-imported",
                "add it by hand as another type, or leave it in Moodle",
            )
            return
        values = read(self, element)
        if values is None:
            return
        self.categories[-1].questions.append(self.located(element, self.common(element, values)))

    def common(self, element, values: dict) -> dict:
        # Without general feedback there is no explanation: a mark says to write one.
        explanation = self.text(element.find("generalfeedback")) or NO_EXPLANATION
        tags = [slug(t) for t in element.xpath("tags/tag/text/text()")]
        found = {"id": self.new_id(element), **values, "explanation": explanation}
        for tag in tags:
            level = tag.split("-", 1)
            if level[0] in ("difficulty", "bloom") and len(level) == 2:
                found[level[0]] = level[1]
        tags = [t for t in tags if t and not re.match(r"(difficulty|bloom)-", t)]
        if tags:
            found["tags"] = list(dict.fromkeys(tags))
        return found

    def new_id(self, element) -> str:
        return self.ids.new(element.findtext("idnumber") or "", element.findtext("name/text") or "")

    def located(self, element, values: dict) -> YMap:
        return located(self.pos(element), values)

    def text(self, element, inline: bool = False) -> str:
        """A text element's content as Markdown, its images saved under images/."""
        if element is None:
            return ""
        raw = element.findtext("text") or ""
        files = {f.get("name", ""): f for f in element.iterchildren("file")}
        fmt = element.get("format", "html")
        if fmt in ("plain_text", "markdown") or (fmt == "moodle_auto_format" and "<" not in raw):
            return raw.strip()
        raw = re.sub(
            r'(src=")@@PLUGINFILE@@/([^"]+)"', lambda m: m[1] + self.image(m[2], files) + '"', raw
        )
        return markup.html_to_markdown(raw, inline=inline)

    def image(self, name: str, files: dict) -> str:
        """Where the image ``name`` is saved: under images/, by its own name."""
        from urllib.parse import unquote

        file = files.get(unquote(name))
        try:
            data = base64.b64decode(file.text or "", validate=False) if file is not None else None
        except (binascii.Error, ValueError):
            data = None
        if not data:
            return f"{_PLUGINFILE}{name}"  # left as is: validation names the missing image
        return f"images/{self.images.add(unquote(name), data)}"

    def fraction(self, answer) -> float:
        """An answer's grade in percent; Moodle writes a number, and anything else is an error."""
        written = (answer.get("fraction") or "0").strip()
        try:
            return float(written)
        except ValueError:
            raise CourseError(
                f"{self.shown}:{answer.sourceline}:1: error: the answer's fraction "
                f"'{written}' is not a number (Moodle writes a percentage, such as 100 or 50)"
            ) from None

    # One method per Moodle type: the answer data of coursegen's type, or None (warned).

    def multichoice(self, element) -> dict | None:
        single = (element.findtext("single") or "true").strip().lower() in ("true", "1")
        options = []
        for answer in element.iterchildren("answer"):
            option = {"text": self.text(answer, inline=True)}
            if self.fraction(answer) > 0:
                option["correct"] = True
            feedback = self.text(answer.find("feedback"), inline=True)
            if feedback:
                option["feedback"] = feedback
            options.append(option)
        values = {"type": "single_choice" if single else "multiple_response"}
        values["prompt"] = self.text(element.find("questiontext"))
        values["options"] = options
        if (element.findtext("shuffleanswers") or "true").strip().lower() in ("false", "0"):
            values["shuffle"] = False
        return values

    def truefalse(self, element) -> dict | None:
        answer = None
        for option in element.iterchildren("answer"):
            if self.fraction(option) > 0:
                answer = (option.findtext("text") or "").strip().lower() == "true"
        values = {"type": "true_false", "prompt": self.text(element.find("questiontext"))}
        return values | ({"answer": answer} if answer is not None else {})

    def shortanswer(self, element) -> dict | None:
        answers, partial = [], []
        for answer in element.iterchildren("answer"):
            weight = self.fraction(answer)
            (answers if weight >= 100 else partial if weight > 0 else []).append(
                _unwild(answer.findtext("text") or "")
            )
        if partial:
            self.warn(
                element,
                f"question '{element.findtext('name/text')}' (shortanswer): answers worth part "
                f"of the grade are left out: {', '.join(partial)}",
                "lossy-import",
                "coursegen accepts an answer or not; add those to 'answers' if they are right",
            )
        values = {"type": "short_answer", "prompt": self.text(element.find("questiontext"))}
        sensitive = (element.findtext("usecase") or "0").strip() == "1"
        values["answers"] = distinct(answers, sensitive)
        if sensitive:
            values["case_sensitive"] = True
        return values

    def numerical(self, element) -> dict | None:
        """Each answer's figure, tolerance and feedback; a grade above 0 is a right figure."""
        name = element.findtext("name/text")
        answers, lost = [], []
        for answer in element.iterchildren("answer"):
            figure = parse_figure(answer.findtext("text") or "")
            tolerance = parse_figure(answer.findtext("tolerance") or "0")
            if figure is None or tolerance is None:  # '*', any other answer, has no figure
                lost.append(f"the answer '{(answer.findtext('text') or '').strip()}'")
                continue
            weight = self.fraction(answer)
            if 0 < weight < 100:  # as for short answers: coursegen grades right or wrong
                lost.append(f"the answer {figure}, worth part of the grade,")
                continue
            feedback = self.text(answer.find("feedback"), inline=True) or None
            answers.append(NumericAnswer(figure, abs(tolerance), weight > 0, feedback))
        units = [u for u in element.iterfind("units/unit") if u.findtext("unit_name")]
        unit = next((u.findtext("unit_name").strip() for u in units if _is_one(u)), None)
        if len(units) > (unit is not None):
            lost.append("the units other than the one whose multiplier is 1")
        if lost:
            self.warn(
                element,
                f"question '{name}' (numerical): {'; '.join(lost)} left out",
                "lossy-import",
                "coursegen's numeric answers are figures, right or wrong, in one unit",
            )
        prompt = self.text(element.find("questiontext"))
        return {"type": "numeric", "prompt": prompt, **bank_data(answers, unit)}

    def matching(self, element) -> dict | None:
        pairs = [
            {"left": self.text(sub, inline=True), "right": (sub.findtext("answer/text") or "")}
            for sub in element.iterchildren("subquestion")
        ]
        # A subquestion with no text is a distractor answer, which coursegen has no place for.
        distractors = [p for p in pairs if not p["left"]]
        if distractors:
            self.warn(
                element,
                f"question '{element.findtext('name/text')}' (matching): "
                f"{len(distractors)} extra answer(s) with no question left out",
                "lossy-import",
                "coursegen's matching pairs every answer with an item",
            )
        values = {"type": "matching", "prompt": self.text(element.find("questiontext"))}
        return values | {"pairs": [p for p in pairs if p["left"]]}

    def ordering(self, element) -> dict | None:
        items = [self.text(a, inline=True) for a in element.iterchildren("answer")]
        return {
            "type": "ordering",
            "prompt": self.text(element.find("questiontext")),
            "items": items,
        }

    def cloze(self, element) -> dict | None:
        """Moodle's embedded answers as coursegen's gaps, when every one is a short answer."""
        field_ = element.find("questiontext")
        raw = field_.findtext("text") if field_ is not None else ""
        gaps, others = [], set()

        def gap(match: re.Match) -> str:
            kind = match[2]
            if kind not in _SHORT:
                others.add(kind)
                return match[0]
            gaps.append(([_unwild(a) for w, a in _embedded_answers(match[3]) if w >= 100], kind))
            return markup.GAP_MARK.format(len(gaps))

        marked = _EMBEDDED.sub(gap, raw or "")
        if others:
            self.warn(
                element,
                f"question '{element.findtext('name/text')}' (cloze) is not imported: its "
                f"{', '.join(sorted(others))} answers have no equivalent in coursegen's cloze, "
                "whose gaps are typed answers",
                "not-imported",
                "rewrite those gaps as short answers, or split the question",
            )
            return None
        copy = etree.fromstring(etree.tostring(field_)) if field_ is not None else None
        if copy is not None:
            copy.find("text").text = marked
        prompt = self.text(copy)
        for n, (answers, _) in enumerate(gaps, start=1):
            prompt = prompt.replace(markup.GAP_MARK.format(n), "{{" + "|".join(answers) + "}}")
        sensitive = gaps and all(kind.endswith("C") for _, kind in gaps)
        return {"type": "cloze", "prompt": prompt} | ({"case_sensitive": True} if sensitive else {})


_TYPES = {
    "multichoice": _Reader.multichoice,
    "truefalse": _Reader.truefalse,
    "shortanswer": _Reader.shortanswer,
    "matching": _Reader.matching,
    "ordering": _Reader.ordering,
    "cloze": _Reader.cloze,
    "multianswer": _Reader.cloze,
    "numerical": _Reader.numerical,
}


def _is_one(unit) -> bool:
    return parse_figure(unit.findtext("multiplier") or "1") == 1


def _embedded_answers(text: str) -> list[tuple[float, str]]:
    """An embedded answer's alternatives: ('=' or '%N%') answer ('#' feedback), '~' apart."""
    found = []
    for part in re.split(r"(?<!\\)~", text):
        weight = 100.0 if part.startswith("=") else 0.0
        part = part.removeprefix("=")
        percent = re.match(r"%(-?\d+(?:\.\d+)?)%", part)
        if percent:
            weight, part = float(percent[1]), part[percent.end() :]
        # Feedback follows a '#' that is not escaped, nor part of an entity such as '&#61;'.
        answer = re.split(r"(?<![\\&])#", part, maxsplit=1)[0]
        found.append((weight, html.unescape(re.sub(r"\\(.)", r"\1", answer)).strip()))
    return found


def _unwild(answer: str) -> str:
    """A Moodle short answer as typed: there '\\*' is a literal '*'."""
    return answer.replace("\\*", "*").strip()
