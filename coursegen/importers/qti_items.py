"""QTI 1.2 items -> question data, each value at the line of its <item>.

An item's kind is Canvas's ``question_type`` when its metadata says it (Canvas, text2qti and
coursegen write it), else the one its responses show: a ``response_lid`` of ``Single``,
``Multiple`` or ``Ordered`` cardinality, several of them (matching), a ``render_fib`` with
``varequal`` answers (short answer) or without (essay), a numeric one. What is right is what
response processing scores: a ``respcondition`` that sets SCORE to its maximum (or adds a
share of it, for matching), with ``varequal`` tests of the labels or texts. Feedback is the
``itemfeedback`` a condition's ``displayfeedback`` links to.
"""

from __future__ import annotations

import re

from .. import markup
from ..errors import Diagnostic, Severity, SourcePos
from ..questions.numeric import NumericAnswer, bank_data, parse_figure
from .parsed import NO_EXPLANATION, distinct, located
from .qti_material import Material, materials

# Canvas's question types -> coursegen's.
TYPES = {
    "multiple_choice_question": "single_choice",
    "true_false_question": "true_false",
    "multiple_answers_question": "multiple_response",
    "short_answer_question": "short_answer",
    "fill_in_multiple_blanks_question": "cloze",
    "matching_question": "matching",
    "ordering_question": "ordering",
    "numerical_question": "numeric",
}
# Canvas's types that coursegen has no type for; each such item is warned about.
NOT_CARRIED = {
    "essay_question": "an essay is marked by a person",
    "file_upload_question": "a file upload is marked by a person",
    "text_only_question": "it is text with no answer",
    "calculated_question": "coursegen has no calculated type",
    "multiple_dropdowns_question": "coursegen's cloze gaps are typed answers, not drop-down lists",
}
# Common Cartridge's profiles (in a Canvas course export's cartridge) -> Canvas's types.
CC_PROFILES = {
    "cc.multiple_choice.v0p1": "multiple_choice_question",
    "cc.multiple_response.v0p1": "multiple_answers_question",
    "cc.true_false.v0p1": "true_false_question",
    "cc.fib.v0p1": "short_answer_question",
    "cc.essay.v0p1": "essay_question",
}
_GENERIC_TITLES = {"", "question"}  # what Canvas and text2qti call an item with no title


class ItemReader(Material):
    """Reads the items of one document; warnings and images go to the package's reader."""

    def pos(self, element) -> SourcePos:
        return SourcePos(self.document.shown, element.sourceline or 1, 1)

    def warn(self, element, message: str, code: str, hint: str) -> None:
        diagnostic = Diagnostic(self.pos(element), Severity.WARNING, message, code, hint)
        self.package.warnings.append(diagnostic)

    def read(self, item):
        """The item's question data, or None when coursegen has no type for it (warned)."""
        metadata = _metadata(item)
        declared = metadata.get("question_type") or CC_PROFILES.get(metadata.get("cc_profile"))
        kind = declared or _inferred(item)
        name = self.name(item)
        if kind not in TYPES:
            why = NOT_CARRIED.get(kind, "coursegen has no such question type")
            self.warn(
                item,
                f"question '{name}' ({kind}) is not imported: {why}",
                "not-imported",
                "add it by hand as another type, or leave it in the LMS",
            )
            return None
        found = _Item(self, item, name)
        values = getattr(found, TYPES[kind])()
        if values is None:
            return None
        return located(self.pos(item), found.common(values))

    def name(self, item) -> str:
        """How messages name an item: its title, else the start of its text."""
        title = (item.get("title") or "").strip()
        if title.casefold() not in _GENERIC_TITLES:
            return title
        # As typed, not as Markdown: an item left out must not bring its images in.
        presentation = item.find("presentation")
        words = " ".join(self.plain(presentation).split()) if presentation is not None else ""
        return words[:60] or item.get("ident", "")


class _Item:
    """One item being read: its responses, scoring and feedback."""

    def __init__(self, reader: ItemReader, item, name: str):
        self.reader, self.item, self.name = reader, item, name
        self.conditions = item.findall("resprocessing/respcondition")
        decvar = item.find("resprocessing/outcomes/decvar")
        self.full = _number(decvar.get("maxvalue") if decvar is not None else None, 100.0)
        self.feedback = {f.get("ident", ""): f for f in item.iterchildren("itemfeedback")}
        self.used: set[str] = set()

    def lost(self, message: str, hint: str) -> None:
        self.reader.warn(self.item, f"question '{self.name}': {message}", "lossy-import", hint)

    def prompt(self) -> str:
        return self.reader.text(self.item.find("presentation"))

    def scored(self, how: str):
        """(condition, tests) of the conditions that give ``how``: full, partial or share."""
        for condition in self.conditions:
            if _gain(condition, self.full) == how:
                yield condition, _tests(condition)

    def right(self, respident: str | None = None) -> list[str]:
        """The values that full-score conditions test for (not negated), in their order."""
        return [
            value
            for _, tests in self.scored("full")
            for ident, value, negated, _ in tests
            if not negated and respident in (None, ident)
        ]

    def linked(self, value: str) -> str:
        """The feedback shown when the response is ``value``, as Markdown."""
        for condition in self.conditions:
            tests = _tests(condition)
            links = [d.get("linkrefid", "") for d in condition.iter("displayfeedback")]
            if len(tests) == 1 and tests[0][1] == value and not tests[0][2]:
                for link in links:
                    if link in self.feedback and link != "correct_fb":
                        self.used.add(link)
                        return self.reader.text(self.feedback[link], inline=True)
        return ""

    def labels(self, lid) -> list[tuple[str, object]]:
        return [(label.get("ident", ""), label) for label in lid.iter("response_label")]

    def partial(self, shown: dict[str, str]) -> None:
        values = [v for _, tests in self.scored("partial") for _, v, neg, _ in tests if not neg]
        if values:
            worth = ", ".join(shown.get(v, v) for v in dict.fromkeys(values))
            self.lost(
                f"answers worth part of the grade are left out: {worth}",
                "coursegen counts an answer right or wrong; make those right if they are",
            )

    # One method per coursegen type: the question's answer data, or None (warned).

    def single_choice(self, multiple: bool = False) -> dict | None:
        lid = self.item.find(".//response_lid")
        labels = self.labels(lid) if lid is not None else []
        right = set(self.right())
        options = []
        for ident, label in labels:
            option = {"text": self.reader.text(label, inline=True)}
            if ident in right:
                option["correct"] = True
            feedback = self.linked(ident)
            if feedback:
                option["feedback"] = feedback
            options.append(option)
        self.partial({i: self.reader.plain(label) for i, label in labels})
        kind = "multiple_response" if multiple else "single_choice"
        values = {"type": kind, "prompt": self.prompt(), "options": options}
        render = lid.find("render_choice") if lid is not None else None
        if render is not None and render.get("shuffle", "").lower() == "no":
            values["shuffle"] = False
        return values

    def multiple_response(self) -> dict | None:
        return self.single_choice(multiple=True)

    def true_false(self) -> dict | None:
        lid = self.item.find(".//response_lid")
        labels = self.labels(lid) if lid is not None else []
        right = set(self.right())
        values = {"type": "true_false", "prompt": self.prompt()}
        for n, (ident, label) in enumerate(labels):
            if ident in right:  # 'True' and 'False' as Canvas writes them, else first is true
                text = self.reader.plain(label).casefold()
                values["answer"] = text == "true" if text in ("true", "false") else n == 0
        return values

    def short_answer(self) -> dict | None:
        response = self.item.find(".//response_str")
        respident = response.get("ident") if response is not None else None
        answers = self.right(respident)
        self.partial({})
        sensitive = self.case_sensitive()
        values = {"type": "short_answer", "prompt": self.prompt()}
        values["answers"] = distinct(answers, sensitive)
        return values | ({"case_sensitive": True} if sensitive else {})

    def case_sensitive(self) -> bool:
        tests = [t for _, tests in self.scored("full") for t in tests]
        tests += [t for _, tests in self.scored("share") for t in tests]
        return bool(tests) and all(case for *_, case in tests)

    def cloze(self) -> dict | None:
        """Canvas's fill in multiple blanks: '[name]' in the text, each blank a response_lid
        whose labels are the answers it accepts."""
        presentation = self.item.find("presentation")
        raw = "".join(self.reader.html(e) for e in materials(presentation))
        gaps = []
        for lid in presentation.iter("response_lid"):
            blank = self.reader.plain(lid) or lid.get("ident", "").removeprefix("response_")
            marker = f"[{blank}]"
            if marker not in raw:
                self.lost(
                    f"the blank '{blank}' is not in the text, so it is left out",
                    f"put {marker} in the question's text where the blank goes",
                )
                continue
            raw = raw.replace(marker, markup.GAP_MARK.format(len(gaps) + 1), 1)
            gaps.append([self.reader.plain(label) for _, label in self.labels(lid)])
        prompt = markup.html_to_markdown(raw)
        for n, answers in enumerate(gaps, start=1):
            gap = "{{" + "|".join(a for a in answers if a) + "}}"
            prompt = prompt.replace(markup.GAP_MARK.format(n), gap)
        values = {"type": "cloze", "prompt": prompt}
        return values | ({"case_sensitive": True} if self.case_sensitive() else {})

    def matching(self) -> dict | None:
        pairs, matched = [], set()
        texts: dict[str, str] = {}
        for lid in self.item.find("presentation").iter("response_lid"):
            texts |= {i: self.reader.plain(label) for i, label in self.labels(lid)}
            scored = [
                value
                for how in ("full", "share")
                for _, tests in self.scored(how)
                for ident, value, negated, _ in tests
                if ident == lid.get("ident") and not negated
            ]
            left = self.reader.text(lid, inline=True)
            if not scored:
                self.lost(
                    f"the item '{left}' has no answer scored right, so it is left out",
                    "pair it with its answer in the bank",
                )
                continue
            matched.add(scored[0])
            pairs.append({"left": left, "right": texts.get(scored[0])})
        extra = [text for ident, text in texts.items() if ident not in matched]
        if extra:
            self.lost(
                f"answers that match no item are left out: {', '.join(extra)}",
                "coursegen's matching pairs every answer with an item",
            )
        return {"type": "matching", "prompt": self.prompt(), "pairs": pairs}

    def ordering(self) -> dict | None:
        lid = self.item.find(".//response_lid")
        labels = dict(self.labels(lid)) if lid is not None else {}
        order = [v for v in self.right() if v in labels]
        if sorted(order) != sorted(labels):
            order = list(labels)  # no complete order scored: the order the file lists
        items = [self.reader.text(labels[ident], inline=True) for ident in order]
        return {"type": "ordering", "prompt": self.prompt(), "items": items}

    def numeric(self) -> dict | None:
        """Canvas's numerical answers: each full-score condition a figure, exact (varequal),
        within a range (vargte and varlte, or vargt and varlt), or exact with a margin (both,
        as Canvas and text2qti write it); its linked feedback the figure's own."""
        answers = []
        for condition, _ in self.scored("full"):
            answer = self.figure(condition)
            if answer is not None:
                answers.append(answer)
        self.partial({})
        if not answers:
            self.reader.warn(
                self.item,
                f"question '{self.name}' (numerical_question) is not imported: no figure is "
                "scored right",
                "not-imported",
                "add it by hand with its figure, or fix its response processing",
            )
            return None
        return {"type": "numeric", "prompt": self.prompt(), **bank_data(answers)}

    def figure(self, condition) -> NumericAnswer | None:
        tests = condition.find("conditionvar")
        exact = _figure(tests, "varequal")
        low, high = _figure(tests, "vargte", "vargt"), _figure(tests, "varlte", "varlt")
        if low is None or high is None:
            return NumericAnswer(exact, feedback=self.feedback_of(condition)) if exact else None
        value = exact if exact is not None and low <= exact <= high else (low + high) / 2
        tolerance = max(value - low, high - value)
        return NumericAnswer(value, tolerance, True, self.feedback_of(condition))

    def feedback_of(self, condition) -> str | None:
        for shown in condition.iter("displayfeedback"):
            link = shown.get("linkrefid", "")
            if link in self.feedback and link not in ("correct_fb", "general_fb"):
                self.used.add(link)
                return self.reader.text(self.feedback[link], inline=True)
        return None

    def common(self, values: dict) -> dict:
        """The question's id and explanation around its answer data; what is left warned."""
        explanation = ""
        for ident in ("general_fb", "correct_fb"):
            if not explanation and ident in self.feedback:
                self.used.add(ident)
                explanation = self.reader.text(self.feedback[ident])
        ignored = [i for i in self.feedback if i not in self.used]
        if ignored:
            self.lost(
                f"its feedback {', '.join(ignored)} is left out: coursegen shows an answer's "
                "own feedback and the explanation, after any answer",
                "add what it says to the explanation if it matters",
            )
        points = _metadata(self.item).get("points_possible", "1")
        if _number(points, 1.0) != 1.0:
            self.lost(
                f"it is worth {points} points, and every coursegen question is worth one",
                "weigh the questions in the LMS once the course is built",
            )
        found = {"id": self.new_id(values["prompt"]), **values}
        return found | {"explanation": explanation or NO_EXPLANATION}

    def new_id(self, prompt: str) -> str:
        title = (self.item.get("title") or "").strip()
        if re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", title):
            return self.reader.package.ids.new(title, "")  # coursegen's own export: the id
        if title.casefold() in _GENERIC_TITLES:  # a cloze's id from its text without the gaps
            title = markup.to_plain_text(re.sub(r"\{\{.*?\}\}", " ", prompt))
        return self.reader.package.ids.new("", title)


def _metadata(item) -> dict[str, str]:
    """The item's qtimetadata fields: label -> entry."""
    return {
        (f.findtext("fieldlabel") or "").strip(): (f.findtext("fieldentry") or "").strip()
        for f in item.iterfind("itemmetadata/qtimetadata/qtimetadatafield")
    }


def _inferred(item) -> str:
    """Canvas's name for the kind of question an item's responses show."""
    presentation = item.find("presentation")
    if presentation is None:
        return "text_only_question"
    lids = list(presentation.iter("response_lid"))
    typed = [r for r in presentation.iter("response_str", "response_num")]
    if len(lids) > 1:
        return "matching_question"
    if lids:
        cardinality = lids[0].get("rcardinality", "Single").lower()
        if cardinality == "multiple":
            return "multiple_answers_question"
        if cardinality == "ordered":
            return "ordering_question"
        texts = {(t.text or "").strip().casefold() for t in lids[0].iter("mattext")}
        return "true_false_question" if texts == {"true", "false"} else "multiple_choice_question"
    if not typed:
        return "text_only_question"
    fib = typed[0].find(".//render_fib")
    numeric = typed[0].tag == "response_num" or (
        fib is not None and fib.get("fibtype", "").lower() in ("decimal", "integer")
    )
    if numeric:
        return "numerical_question"
    tested = item.find("resprocessing/respcondition/conditionvar//varequal")
    return "short_answer_question" if tested is not None else "essay_question"


def _figure(tests, *tags: str):
    """The figure the first of ``tags`` in ``tests`` compares with, if any is a number."""
    for tag in tags:
        found = tests.find(f".//{tag}") if tests is not None else None
        if found is not None:
            return parse_figure(found.text or "")
    return None


def _tests(condition) -> list[tuple[str, str, bool, bool]]:
    """(respident, value, negated, case-sensitive) of each varequal in a condition."""
    found = []
    for test in condition.iterfind("conditionvar//varequal"):
        negated = any(a.tag == "not" for a in test.iterancestors("not"))
        case = (test.get("case") or "").lower() == "yes"
        found.append((test.get("respident", ""), (test.text or "").strip(), negated, case))
    return found


def _gain(condition, full: float) -> str | None:
    """What a condition does to SCORE: 'full' marks, a 'partial' grade, a 'share' added."""
    for setvar in condition.iter("setvar"):
        name = setvar.get("varname") or setvar.get("variablename") or "SCORE"
        if name.upper() != "SCORE":
            continue
        written = (setvar.text or "").strip()
        value = full if written.upper() == "SCORE.MAX" else _number(written, 0.0)
        if (setvar.get("action") or "Set").lower() == "add":
            return "share" if value > 0 else None
        return "full" if value >= full else "partial" if value > 0 else None
    return None


def _number(text: str | None, default: float) -> float:
    try:
        return float(text) if text is not None else default
    except ValueError:
        return default
