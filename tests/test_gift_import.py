"""The GIFT importer: every construct Moodle documents, broken files, gift-pegjs, round trips."""

from __future__ import annotations

from pathlib import Path

import pytest

from coursegen import markup
from coursegen.build import build_course
from coursegen.exporters.gift import unsupported
from coursegen.importers import gift
from coursegen.model import Course

from .test_gift import PLACEHOLDERS, parse_gift

ROOT = Path(__file__).parent.parent
CORPUS = Path(__file__).parent / "fixtures" / "import" / "gift"
VALID = sorted(CORPUS.glob("*.gift"))
PEGJS_TYPES = {
    "multiple_choice": "MC",
    "true_false": "TF",
    "short_answer": "Short",
    "matching": "Matching",
    "numerical": "Numerical",
    "essay": "Essay",
    "description": "Description",
}


def test_every_construct_of_moodles_documentation_parses():
    parsed = gift.parse((CORPUS / "moodle-docs.gift").read_text("utf-8"), "docs.gift")
    assert parsed.diagnostics == []
    summary = [
        (str(q.pos), q.kind, q.title, q.marked("_____"), q.category) for q in parsed.questions
    ]
    top = "$course$/top/Examples"
    assert summary[:3] == [
        ("docs.gift:5:1", "multiple_choice", "Grant's tomb", "Who's buried in Grant's tomb?", top),
        (
            "docs.gift:7:1",
            "multiple_choice",
            "Weighted",
            "What two people are entombed in Grant's tomb?",
            top,
        ),
        (
            "docs.gift:15:1",
            "true_false",
            "TrueStatement about Grant",
            "Grant was buried in a tomb in New York City.",
            top,
        ),
    ]
    kinds = [q.kind for q in parsed.questions]
    assert kinds == [
        "multiple_choice",
        "multiple_choice",
        "true_false",
        "true_false",
        "short_answer",
        "short_answer",
        "matching",
        "multiple_choice",
        "numerical",
        "numerical",
        "numerical",
        "essay",
        "description",
        "multiple_choice",
        "multiple_choice",
        "multiple_choice",
    ]


def test_answers_keep_their_marks_weights_feedback_and_places():
    by_title = {q.title: q for q in gift.parse((CORPUS / "moodle-docs.gift").read_text()).questions}
    weighted = by_title["Weighted"]
    assert [(str(a.pos), a.weight, a.text.text, a.feedback) for a in weighted.answers] == [
        ("<gift>:8:4", -100.0, "No one", None),
        ("<gift>:9:4", 50.0, "Grant", gift.Text("moodle", "Yes, Grant.")),
        ("<gift>:10:4", 50.0, "Grant's wife", None),
        ("<gift>:11:4", -100.0, "Grant's father", None),
    ]
    assert weighted.general_feedback == gift.Text("moodle", "Both Grant and his wife.")
    false = by_title["FalseStatement"]
    assert (false.truth, [(a.text.text, a.feedback.text) for a in false.answers]) == (
        False,
        [("false", "Right, it does not."), ("true", "No, it rises in the east.")],
    )
    assert [(a.text.text, a.match) for a in by_title["Matching"].answers][:2] == [
        ("Canada", "Ottawa"),
        ("Italy", "Rome"),
    ]
    escapes = by_title["Escapes"]
    assert escapes.prompt.text == "Which is a colon : or a brace {?"
    assert [a.text.text for a in escapes.answers] == [
        "the colon :",
        "the brace }",
        "an equals = sign",
        "a hash #",
        "a tilde ~",
    ]
    assert by_title["Formats"].answers[0].feedback == gift.Text("html", "<i>Yes</i>")
    assert by_title["Formats"].answers[1].text == gift.Text("plain", "not this")
    grant = by_title["Grant's tomb"]
    assert (grant.ident, grant.tags) == ("mc-grant", ("history",))


def test_places_count_lines_in_a_file_with_crlf_line_ends():
    source = (CORPUS / "edge-cases.gift").read_bytes().decode("utf-8")
    assert "\r\n" in source
    first, short = gift.parse(source, "e.gift").questions[:2]
    assert (str(first.pos), first.title, first.ident, first.tags) == (
        "e.gift:5:1",
        None,
        "no-title",
        ("a", "b"),
    )
    assert [str(a.pos) for a in first.answers] == ["e.gift:7:3", "e.gift:8:3"]
    assert [str(a.pos) for a in short.answers] == ["e.gift:12:31", "e.gift:12:43"]


BROKEN = {
    "category-without-blank-line": (
        "2:1: error: a question right after '$CATEGORY:' is read as part of the category's "
        "name [gift-syntax]\n    hint: leave a blank line after the $CATEGORY: line"
    ),
    "answer-without-mark": (
        "2:3: error: an answer must start with '=' (right) or '~' (wrong) [gift-syntax]\n"
        "    hint: write '=' before a right answer and '~' before a wrong one, or T or F for a "
        "true/false question"
    ),
    "matching-without-pair": (
        "3:3: error: a matching question's answers are all pairs: =left -> right [gift-syntax]\n"
        "    hint: write each pair as '=left -> right'"
    ),
    "numerical-not-a-number": (
        "1:9: error: 'about 1822' is not a numerical answer [gift-syntax]\n"
        "    hint: write a number, a number and its tolerance (3.14:0.01), or a range (1..5)"
    ),
    "second-answers": (
        "1:14: error: '{' after the answers: a question has one set of answers [gift-syntax]\n"
        "    hint: separate questions with a blank line, or escape the brace as '\\{'"
    ),
    "stray-brace": (
        "2:25: error: '}' with no '{' before it [gift-syntax]\n"
        "    hint: write '\\}' for a brace in the text, or open the answers with '{'"
    ),
    "true-false-three-feedbacks": (
        "1:12: error: a true/false question has at most two feedbacks: {T#if wrong#if right} "
        "[gift-syntax]\n    hint: write '\\#' for a '#' in a feedback"
    ),
    "unclosed-brace": (
        "1:25: error: '{' is never closed: the answers of a question end with '}' "
        "[gift-syntax]\n    hint: close the answers with '}' before the blank line that ends "
        "the question, or write '\\{' for a brace in the text"
    ),
    "unclosed-title": (
        "1:1: error: the title is not closed: a title is written ::title:: [gift-syntax]\n"
        "    hint: end the title with '::', or write '\\:' for a colon"
    ),
    "weight-not-a-number": (
        "2:5: error: the weight 'half' is not a number from -100 to 100 [gift-syntax]\n"
        "    hint: write a percentage such as %50% or %-33.33333%"
    ),
    "weight-out-of-range": (
        "1:9: error: the weight '150' is not a number from -100 to 100 [gift-syntax]\n"
        "    hint: write a percentage such as %50% or %-33.33333%"
    ),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_file_gets_an_error_at_its_line_and_column(name):
    path = f"broken/{name}.gift"
    parsed = gift.parse((CORPUS / path).read_text("utf-8"), path)
    assert [d.format() for d in parsed.diagnostics] == [f"{path}:{BROKEN[name]}"]


def test_the_questions_around_a_broken_one_are_still_read():
    for name, title in (("unclosed-brace", "Next"), ("stray-brace", "Fine")):
        parsed = gift.parse((CORPUS / "broken" / f"{name}.gift").read_text("utf-8"))
        assert [q.title for q in parsed.questions] == [title]


def test_every_broken_file_is_in_the_table():
    assert sorted(p.stem for p in (CORPUS / "broken").glob("*.gift")) == sorted(BROKEN)


def as_pegjs(q: gift.Question) -> dict:
    """A parsed question in the fields gift-pegjs gives too."""
    prompt = q.marked("_____")
    result = {
        "type": PEGJS_TYPES[q.kind],
        "title": q.title,
        "stem": {"format": q.prompt.format, "text": prompt},
        "id": q.ident,
        "tags": list(q.tags) or None,
        "category": q.category,
    }
    if q.kind != "description":
        result["globalFeedback"] = _text(q.general_feedback)
    if q.kind in ("multiple_choice", "short_answer"):
        result["choices"] = [
            (a.correct, a.weight, _text(a.text), _text(a.feedback)) for a in q.answers
        ]
    elif q.kind == "true_false":
        # gift-pegjs names the feedbacks by their place ({T#first#second}); Moodle's importer
        # reads the first as the wrong answer's and the second as the right answer's.
        right, wrong = q.answers
        result |= {"isTrue": q.truth, "trueFeedback": _text(wrong.feedback)}
        result["falseFeedback"] = _text(right.feedback)
    elif q.kind == "matching":
        result["matchPairs"] = [(_text(a.text), a.match) for a in q.answers]
    elif q.kind == "numerical":
        result["choices"] = [(a.correct, a.weight, _numbers(a.text.text)) for a in q.answers]
    return result


def _text(text: gift.Text | None) -> dict | None:
    return {"format": text.format, "text": text.text} if text else None


def _numbers(text: str) -> tuple:
    for separator in ("..", ":"):
        if separator in text:
            low, high = text.split(separator)
            return (separator, float(low), float(high))
    return ("", float(text), None)


def pegjs_questions(path: Path) -> list[dict]:
    """What gift-pegjs makes of the file, in the same shape, each with its category."""
    result, category = [], None
    for p in parse_gift(path):
        if p["type"] == "Category":
            category = p["title"]
            continue
        result.append(_pegjs_question(p, category))
    return result


def _pegjs_question(p: dict, category: str | None) -> dict:
    keys = ("type", "title", "stem", "id", "tags")
    q = {key: p[key] for key in keys} | {"category": category}
    if p["type"] != "Description":
        q["globalFeedback"] = p["globalFeedback"]
    if p["type"] in ("MC", "Short"):
        q["choices"] = [
            (c["isCorrect"], c["weight"], c["text"], c["feedback"]) for c in p["choices"]
        ]
    elif p["type"] == "TF":
        q |= {k: p[k] for k in ("isTrue", "trueFeedback", "falseFeedback")}
    elif p["type"] == "Matching":
        q["matchPairs"] = [(m["subquestion"], _decoded(m["subanswer"])) for m in p["matchPairs"]]
    elif p["type"] == "Numerical":
        choices = (
            p["choices"]
            if isinstance(p["choices"], list)
            else [{"isCorrect": True, "weight": None, "text": p["choices"]}]
        )
        q["choices"] = [(c["isCorrect"], c["weight"], _pegjs_number(c["text"])) for c in choices]
    return q


def _pegjs_number(n: dict) -> tuple:
    if n["type"] == "range":
        return (":", n["number"], n["range"])
    if n["type"] == "high-low":
        return ("..", n["numberLow"], n["numberHigh"])
    return ("", n["number"], None)


def _decoded(text: str) -> str:
    for placeholder, character in PLACEHOLDERS.items():
        text = text.replace(placeholder, character)
    return text


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_the_parse_agrees_with_gift_pegjs(path):
    ours = gift.parse(path.read_bytes().decode("utf-8"), path.name)  # CRLF kept as written
    assert ours.diagnostics == []
    assert [as_pegjs(q) for q in ours.questions] == pegjs_questions(path)


# What a question of each type looks like after `build -f gift` and back: GIFT carries the
# id (the ID number comment), tags, difficulty and Bloom level (as tags), the texts as HTML,
# answers and feedback. It loses the objectives, the source quotation, shuffle, the images,
# and the question
# types and shapes that unsupported() names (ordering, several gaps, case-sensitive answers).
ROUND_TRIP_COURSES = ["full", "specials", "arabic", "shipped"]


def _html(text: str, inline: bool = True) -> str:
    return markup.to_html(text, inline=inline).strip()


def expected_bank(course: Course, q) -> dict:
    """The bank dict that the GIFT of ``q`` should give back, its texts as the GIFT's HTML."""
    data = {"id": q.id, "difficulty": q.difficulty} | ({"bloom": q.bloom} if q.bloom else {})
    data |= {"tags": list(q.tags)} if q.tags else {}
    data |= {"type": q.kind, "prompt": _html(q.prompt, inline=False)}
    data |= {"explanation": _html(q.explanation, inline=False)} if q.explanation else {}
    if q.kind in ("single_choice", "multiple_response"):
        data["options"] = [
            {"text": _html(o.text), "correct": o.correct}
            | ({"feedback": _html(o.feedback)} if o.feedback else {})
            for o in q.options
        ]
    elif q.kind == "true_false":
        data["answer"] = q.answer
    elif q.kind == "short_answer":
        data["answers"] = list(q.answers)
    elif q.kind == "matching":
        data["pairs"] = [
            {"left": _html(p.left), "right": " ".join(markup.to_plain_text(p.right).split())}
            for p in q.pairs
        ]
    elif q.kind == "numeric":  # GIFT has no unit: it is lost
        data |= _numeric_bank(q)
    elif q.kind == "cloze":
        before, after = _html(q.marked(markup.GAP_MARK), inline=False).split(
            markup.GAP_MARK.format(1)
        )
        data["prompt"] = before + "{{" + "|".join(q.gaps[0].answers) + "}}" + after
    return data


def _numeric_bank(q) -> dict:
    def number(n):
        return int(n) if n == int(n) else float(n)

    [one] = q.answers if len(q.answers) == 1 else [None]
    if one is not None and one.correct and not one.feedback:
        return {"answer": number(one.value)} | (
            {"tolerance": number(one.tolerance)} if one.tolerance else {}
        )
    return {
        "answers": [
            {"value": number(a.value)}
            | ({"tolerance": number(a.tolerance)} if a.tolerance else {})
            | ({} if a.correct else {"correct": False})
            | ({"feedback": _html(a.feedback)} if a.feedback else {})
            for a in q.answers
        ]
    }


@pytest.mark.parametrize("name", ROUND_TRIP_COURSES)
def test_a_built_gift_file_comes_back_as_the_bank(name, tmp_path):
    source = ROOT if name == "shipped" else Path(__file__).parent / "fixtures" / name
    build = build_course(source, tmp_path / "output", ["gift"])
    course, path = build.course, build.written["gift"][0]
    parsed = gift.parse(path.read_text("utf-8"), path.name)
    assert parsed.diagnostics == []
    banks, warnings = gift.bank_questions(parsed.questions, course_id=course.id)
    carried = [q for q in course.questions if not unsupported(q)]
    assert warnings == []
    assert banks == [expected_bank(course, q) for q in _in_file_order(course, carried)]


def _in_file_order(course: Course, questions: list) -> list:
    ids = {q.id for q in questions}
    return [q for m in course.modules for q in course.questions_of(m.id) if q.id in ids]


def test_a_built_gift_file_keeps_each_modules_category(tmp_path):
    build = build_course(Path(__file__).parent / "fixtures" / "full", tmp_path / "o", ["gift"])
    path = build.written["gift"][0]
    parsed = gift.parse(path.read_text("utf-8"))
    categories = {q.category for q in parsed.questions}
    assert len(categories) == len(build.course.modules)


def test_the_documented_questions_map_to_bank_questions_with_warnings():
    parsed = gift.parse((CORPUS / "moodle-docs.gift").read_text("utf-8"), "docs.gift")
    banks, warnings = gift.bank_questions(parsed.questions)
    by_id = {b["id"]: b for b in banks}
    assert [w.format() for w in warnings] == [
        "docs.gift:17:1: warning: GIFT question 'FalseStatement' (true_false): its answer "
        "feedback is left out: coursegen's true/false has none [gift-not-carried]",
        "docs.gift:37:1: warning: GIFT question 'Several numbers' (numerical): the answer "
        "1822:2, worth part of the grade, is left out [gift-not-carried]",
        "docs.gift:42:1: warning: GIFT question 'Essay' (essay): coursegen has no essay "
        "question; the question is left out [gift-not-carried]",
        "docs.gift:44:1: warning: GIFT question 'Description' (description): coursegen has no "
        "description item (text without answers); the question is left out [gift-not-carried]",
    ]
    assert by_id["mc-grant"]["tags"] == ["history"]
    assert by_id["weighted"]["type"] == "multiple_response"
    assert [o["correct"] for o in by_id["weighted"]["options"]] == [False, True, True, False]
    assert by_id["number"] == {
        "id": "number",
        "type": "numeric",
        "prompt": "When was Ulysses S. Grant born?",
        "answer": 1822,
        "tolerance": 5,
    }
    assert by_id["range"] | {"prompt": ""} == {
        "id": "range",
        "type": "numeric",
        "prompt": "",
        "answer": 3.1415,
        "tolerance": 0.0005,
    }
    assert by_id["several-numbers"]["answer"] == 1822
    assert "tolerance" not in by_id["several-numbers"]
    assert by_id["two-plus-two"] == {
        "id": "two-plus-two",
        "type": "cloze",
        "prompt": "Two plus two equals {{four|4}}.",
    }
    assert by_id["missing-word"]["type"] == "single_choice"
    assert by_id["missing-word"]["prompt"] == "Moodle costs _____ to download from moodle.org."
    assert by_id["matching"]["pairs"][3] == {"left": "India", "right": "New Delhi"}
    assert by_id["matching"]["explanation"] == "It helps to know geography."


def test_partial_credit_that_coursegen_cannot_score_is_warned_about():
    parsed = gift.parse("::P::Pick {~%70%a ~%30%b ~%-100%c}\n", "p.gift")
    banks, warnings = gift.bank_questions(parsed.questions)
    assert [o["correct"] for o in banks[0]["options"]] == [True, True, False]
    assert [w.format() for w in warnings] == [
        "p.gift:1:1: warning: GIFT question 'P' (multiple_choice): its weights are not equal "
        "shares, and coursegen scores every right option alike [gift-not-carried]"
    ]


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_any_cut_of_a_file_gives_diagnostics_never_an_exception(path):
    source = path.read_bytes().decode("utf-8")
    for end in range(len(source)):  # every place a file can be cut, or an edit can stop
        for text in (source[:end], source[:end] + "}" + source[end:]):
            parsed = gift.parse(text, "cut.gift")
            gift.bank_questions(parsed.questions)
            assert all(d.pos.line >= 1 and d.pos.col >= 1 for d in parsed.diagnostics)


def test_a_choice_with_no_right_answer_is_warned_about():
    parsed = gift.parse("::N::Pick {~a ~b}\n", "n.gift")
    assert [w.message for w in gift.bank_questions(parsed.questions)[1]] == [
        "GIFT question 'N' (multiple_choice): no answer is right, and a coursegen question "
        "needs one"
    ]


def test_short_answers_worth_nothing_or_wildcards_are_warned_about():
    parsed = gift.parse("::S::Name {=%100%alp*a =%0%beta =gam\\*ma}\n", "s.gift")
    banks, warnings = gift.bank_questions(parsed.questions)
    assert banks[0]["answers"] == ["alp*a", "gam*ma"]
    assert [w.message for w in warnings] == [
        "GIFT question 'S' (short_answer): answers worth no mark are left out: coursegen "
        "accepts only right answers",
        "GIFT question 'S' (short_answer): '*' is Moodle's wildcard in an answer, and "
        "coursegen compares it as text",
    ]


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_gift_pegjs_rejects_each_broken_file_too(name):
    with pytest.raises(AssertionError, match="SyntaxError"):
        parse_gift(CORPUS / "broken" / f"{name}.gift")


def test_an_equals_sign_in_the_question_text_is_text_as_moodle_documents(tmp_path):
    # Moodle's documentation opens with '::Q1:: 1+1=2 {T}'; gift-pegjs rejects it, Moodle
    # (and this parser) read only the braces as answers.
    parsed = gift.parse("::Q1:: 1+1=2 {T}\n", "q.gift")
    assert parsed.diagnostics == []
    assert [(q.kind, q.prompt.text, q.truth) for q in parsed.questions] == [
        ("true_false", "1+1=2", True)
    ]
    (tmp_path / "q.gift").write_text("::Q1:: 1+1=2 {T}\n", "utf-8")
    with pytest.raises(AssertionError, match="SyntaxError"):
        parse_gift(tmp_path / "q.gift")
