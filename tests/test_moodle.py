"""The Moodle XML, read back with lxml and compared with the bank question by question."""

from __future__ import annotations

import base64
import hashlib
import html
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest
from lxml import etree

from coursegen import markup
from coursegen.assessment import final_pools
from coursegen.build import build_course
from coursegen.cli import main
from coursegen.exporters.moodle import set_category_path
from coursegen.ids import lms_ident
from coursegen.media import image_bytes
from coursegen.model import Course, Question

from .moodle_helpers import ARABIC_CATEGORIES, module_category, split_category_path

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
COURSES = ["full", "arabic", "specials", "blueprint", "shipped"]
MOODLE_TYPES = {
    "single_choice": "multichoice",
    "multiple_response": "multichoice",
    "true_false": "truefalse",
    "short_answer": "shortanswer",
    "cloze": "cloze",
    "matching": "matching",
    "ordering": "ordering",
    "numeric": "numerical",
}
# question_bank::fraction_options_full() in Moodle: the only grades an import accepts.
MOODLE_GRADES = [1.0, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333]
MOODLE_GRADES += [0.3, 0.25, 0.2, 0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05, 0.0]

# Moodle's multianswer syntax (question/type/multianswer/questiontype.php, ANSWER_REGEX),
# for the types coursegen writes. Python needs one look-behind per alternative.
_FRACTION = r"=|%-?[0-9]+(?:[.,][0-9]*)?%"
_ANSWER = r".+?(?<!\\)(?<!&)(?<!&amp;)(?=[~#}]|$)"
_FEEDBACK = r".*?(?<!\\)(?=[~}]|$)"
_ALTERNATIVE = re.compile(rf"~?({_FRACTION})?({_ANSWER})(?:#({_FEEDBACK}))?", re.S)
_PLAIN_ALTERNATIVE = rf"(?:{_FRACTION})?(?:{_ANSWER})(?:#(?:{_FEEDBACK}))?"
_EMBEDDED = re.compile(
    rf"\{{([0-9]*):(SHORTANSWER_C|SHORTANSWER):({_PLAIN_ALTERNATIVE}(?:~{_PLAIN_ALTERNATIVE})*)\}}",
    re.S,
)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, tuple[Course, Path]]:
    """Each course's Moodle XML, built once for this module."""
    result = {}
    for name in COURSES:
        source = ROOT if name == "shipped" else FIXTURES / name
        out = tmp_path_factory.mktemp(name) / "output"
        build = build_course(source, out, ["moodle"])
        result[name] = (build.course, build.written["moodle"][0])
    return result


def read_embedded(text: str) -> tuple[str, list[tuple[str, list[str]]]]:
    """Split a cloze text as Moodle does: the text with [gap n] marks, and each gap's type and
    answers as Moodle stores them (entities decoded, \\} and \\# unescaped, then \\* read as
    the literal * that Moodle's short-answer matching takes it for)."""
    gaps = []

    def take(match: re.Match) -> str:
        answers = []
        for alternative in _ALTERNATIVE.finditer(match.group(3)):
            assert alternative.group(1) == "=", match.group(0)  # every answer is fully right
            answer = html.unescape(alternative.group(2))
            answers.append(answer.replace("\\}", "}").replace("\\#", "#").replace("\\*", "*"))
        gaps.append((match.group(2), answers))
        return f"[gap {len(gaps)}]"

    return _EMBEDDED.sub(take, text), gaps


def field(element) -> str:
    """A text field's HTML, each embedded file referenced as media/<sha256 of its bytes>."""
    if element is None:
        return ""
    files = {f.get("name"): base64.b64decode(f.text) for f in element.findall("file")}
    assert all(f.get("path") == "/" and f.get("encoding") == "base64" for f in element.iter("file"))
    used = set()

    def resolve(match: re.Match) -> str:
        name = unquote(match.group(1))
        used.add(name)
        return "media/" + hashlib.sha256(files[name]).hexdigest()

    text = re.sub(r"@@PLUGINFILE@@/([^\"'\s>]+)", resolve, element.findtext("text") or "")
    assert used == set(files), "every file is shown, and every image shown is a file"
    return text


def read_question(element) -> dict:
    """A <question> as the importer sees it, in a shape to compare with the bank."""
    kind = element.get("type")
    found = {
        "type": kind,
        "idnumber": element.findtext("idnumber"),
        "text": field(element.find("questiontext")),
        "feedback": field(element.find("generalfeedback")),
        "tags": [t.findtext("text") for t in element.findall("tags/tag")],
    }
    answers = element.findall("answer")
    if kind == "multichoice":
        found["single"] = element.findtext("single")
        found["shuffle"] = element.findtext("shuffleanswers")
        found["answers"] = [
            (field(a), float(a.get("fraction")), field(a.find("feedback"))) for a in answers
        ]
    elif kind in ("truefalse", "shortanswer"):
        found["answers"] = [(a.findtext("text"), float(a.get("fraction"))) for a in answers]
        found["usecase"] = element.findtext("usecase")
    elif kind == "matching":
        subquestions = element.findall("subquestion")
        found["pairs"] = [(field(s), s.findtext("answer/text")) for s in subquestions]
    elif kind == "ordering":
        found["items"] = [(field(a), int(a.get("fraction"))) for a in answers]
    elif kind == "cloze":
        found["text"], found["gaps"] = read_embedded(found["text"])
    elif kind == "numerical":  # as qtype_numerical's importer: a float per figure and tolerance
        found["answers"] = [
            (
                float(a.findtext("text")),
                float(a.findtext("tolerance")),
                float(a.get("fraction")),
                field(a.find("feedback")),
            )
            for a in answers
        ]
        found["units"] = [
            (u.findtext("unit_name"), float(u.findtext("multiplier")))
            for u in element.iterfind("units/unit")
        ]
        found["unit_options"] = [element.findtext(k) for k in ("unitgradingtype", "showunits")]
    return found


def expected_question(course: Course, q: Question) -> dict:
    """What the bank says the question is, rendered with coursegen.markup."""
    media = {i.src: "media/" + hashlib.sha256(image_bytes(i.path)).hexdigest() for i in q.images}

    def md(text: str | None, inline: bool = False) -> str:
        if not text:
            return ""
        return markup.to_html(text, inline=inline, image_src=media.__getitem__).strip()

    tags = [*q.tags, f"difficulty-{q.difficulty}"] + ([f"bloom-{q.bloom}"] if q.bloom else [])
    wanted = {
        "type": MOODLE_TYPES[q.kind],
        "idnumber": lms_ident(course.id, q.id),
        "text": md(q.prompt),
        "feedback": md(q.explanation),
        "tags": tags,
    }
    if q.kind in ("single_choice", "multiple_response"):
        wanted["single"] = "true" if q.kind == "single_choice" else "false"
        wanted["shuffle"] = "true" if q.shuffle else "false"
        wanted["answers"] = [
            (md(o.text, inline=True), percent(q, o), md(o.feedback, inline=True)) for o in q.options
        ]
    elif q.kind == "true_false":
        wanted["answers"] = [("true", 100 * q.answer), ("false", 100 * (not q.answer))]
        wanted["usecase"] = None
    elif q.kind == "short_answer":
        wanted["answers"] = [(a.replace("*", "\\*"), 100) for a in q.answers]
        wanted["usecase"] = "1" if q.case_sensitive else "0"
    elif q.kind == "matching":
        wanted["pairs"] = [
            (md(p.left, inline=True), " ".join(markup.to_plain_text(p.right).split()))
            for p in q.pairs
        ]
    elif q.kind == "ordering":
        wanted["items"] = [(md(item, inline=True), n) for n, item in enumerate(q.items, 1)]
    elif q.kind == "numeric":
        wanted["answers"] = [
            (float(a.value), float(a.tolerance), 100 * a.correct, md(a.feedback, inline=True))
            for a in q.answers
        ]
        wanted["units"] = [(q.unit, 1.0)] if q.unit else []
        # The unit optional, typed in a text field; without one, no unit field at all.
        wanted["unit_options"] = ["0", "0" if q.unit else "3"]
    elif q.kind == "cloze":
        text = md(q.marked(markup.GAP_MARK))
        for n in range(1, len(q.gaps) + 1):
            text = text.replace(markup.GAP_MARK.format(n), f"[gap {n}]")
        wanted["text"] = text
        kind = "SHORTANSWER_C" if q.case_sensitive else "SHORTANSWER"
        wanted["gaps"] = [(kind, list(g.answers)) for g in q.gaps]
    return wanted


def percent(q: Question, option) -> float:
    """An option's grade: all or nothing for single choice; for multiple response the right
    options share 100% and the wrong ones share -100%."""
    if q.kind == "single_choice":
        return 100 if option.correct else 0
    share = sum(o.correct == option.correct for o in q.options)
    return pytest.approx((100 if option.correct else -100) / share, abs=0.0001)


def comparable(question: dict) -> dict:
    # A cloze text is compared as the reader sees it: &#123; and { show the same brace.
    if question["type"] == "cloze":
        return {**question, "text": html.unescape(question["text"])}
    return question


def differences(course: Course, xml: Path) -> list[str]:
    """Every way the Moodle XML differs from the bank, question by question."""
    quiz = etree.parse(str(xml)).getroot()
    assert quiz.tag == "quiz"
    elements = quiz.findall("question")
    by_id = {e.findtext("idnumber"): e for e in elements if e.get("type") != "category"}
    problems = []
    for q in course.questions:
        element = by_id.pop(lms_ident(course.id, q.id), None)
        if element is None:
            problems.append(f"{q.id}: missing")
            continue
        found, wanted = comparable(read_question(element)), comparable(expected_question(course, q))
        for key in sorted(set(found) | set(wanted)):
            if found.get(key) != wanted.get(key):
                problems.append(f"{q.id}: {key}: {found.get(key)!r} != {wanted.get(key)!r}")
    return problems + [f"{ident}: not in the bank" for ident in by_id]


@pytest.mark.parametrize("name", COURSES)
def test_every_question_reads_back_as_the_bank(built, name):
    course, xml = built[name]
    assert xml.name == f"{course.id}-moodle.xml"
    assert differences(course, xml) == []


@pytest.mark.parametrize("name", COURSES)
def test_a_category_per_module_comes_before_its_questions(built, name):
    course, xml = built[name]
    seen = []
    for element in etree.parse(str(xml)).getroot().findall("question"):
        if element.get("type") == "category":
            seen.append(split_category_path(element.findtext("category/text")))
        else:
            seen.append(element.findtext("idnumber"))
            title = element.findtext("name/text")
            assert title and len(title) <= 61 and "\n" not in title
    wanted = []
    for m in course.modules:
        wanted.append(module_category(course, m))
        wanted += [lms_ident(course.id, q.id) for q in course.questions_of(m.id)]
    for pool in final_pools(course) if course.final_assessment.blueprint else ():
        wanted.append(split_category_path(set_category_path(course, pool)))
        wanted += [lms_ident(course.id, q.id) for q in pool.questions]
    assert seen == wanted


_ONE = "<p>The final assessment draws one question at random from this category.</p>"
_TWO = "<p>The final assessment draws 2 questions at random from this category.</p>"


def test_a_blueprint_files_a_copy_of_each_set_in_a_category_of_its_own(built):
    course, xml = built["blueprint"]
    elements = etree.parse(str(xml)).getroot().findall("question")
    final = [e for e in elements if "Final assessment" in (e.findtext("category/text") or "")]
    assert [(e.findtext("category/text"), e.findtext("info/text")) for e in final] == [
        (f"$course$/top/Road Safety/Final assessment/One on each objective – Module {name}", _ONE)
        for name in (
            "1: Road Signs – read-signs",
            "1: Road Signs – sign-shapes",
            "2: Speed and Stopping – speed-limits",
            "2: Speed and Stopping – stopping-distance",
        )
    ] + [("$course$/top/Road Safety/Final assessment/Applying the rules", _TWO)]
    copies = elements[elements.index(final[-1]) + 1 :]
    assert [e.findtext("idnumber") for e in copies] == [
        f"road-safety.{q}" for q in ("sg-school", "sg-stop-steps", "sp-rain-gap", "sp-twice-speed")
    ]


def test_an_arabic_course_has_arabic_categories(built):
    _, xml = built["arabic"]
    categories = etree.parse(str(xml)).getroot().iterfind("question[@type='category']")
    found = [split_category_path(c.findtext("category/text")) for c in categories]
    assert found == ARABIC_CATEGORIES


def test_grades_are_ones_moodle_accepts(built):
    for name in COURSES:
        _, xml = built[name]
        quiz = etree.parse(str(xml)).getroot()
        for answer in quiz.iterfind("question[@type='multichoice']/answer"):
            fraction = abs(float(answer.get("fraction"))) / 100
            # Moodle's importer accepts a grade within 0.00001 of one of its own.
            assert any(abs(fraction - grade) < 0.00001 for grade in MOODLE_GRADES), fraction


def test_the_image_a_question_shows_is_embedded(built):
    course, xml = built["full"]
    quiz = etree.parse(str(xml)).getroot()
    (match,) = quiz.iterfind("question[idnumber='full-course.wc-match']")
    (file,) = match.iterfind("questiontext/file")
    image = FIXTURES / "full" / "modules" / "images" / "cycle.svg"
    assert base64.b64decode(file.text) == image_bytes(image)  # as every format publishes it
    assert f'src="@@PLUGINFILE@@/{file.get("name")}"' in match.findtext("questiontext/text")


def test_braces_in_cloze_prose_are_not_gaps(built):
    course, xml = built["specials"]
    quiz = etree.parse(str(xml)).getroot()
    (cloze,) = quiz.iterfind("question[idnumber='specials.sp-gap']")
    text, gaps = read_embedded(cloze.findtext("questiontext/text"))
    assert gaps == [("SHORTANSWER", ["x=y~z#w}", 'x&amp;y*\\/"q'])]
    assert "{1:SHORTANSWER:=no}" in html.unescape(text)


def test_the_comparison_finds_a_changed_answer(built, tmp_path):
    course, xml = built["full"]
    broken = tmp_path / xml.name
    text = xml.read_text("utf-8")
    broken.write_text(text.replace("=condensates}", "=condensed}", 1), "utf-8")
    assert broken.read_text("utf-8") != text
    assert differences(course, broken) == [
        "wc-cloze: gaps: [('SHORTANSWER', ['condenses', 'condensed']), ('SHORTANSWER', "
        "['clouds'])] != [('SHORTANSWER', ['condenses', 'condensates']), ('SHORTANSWER', "
        "['clouds'])]"
    ]


def test_the_output_is_the_same_on_every_build(tmp_path, course_copy):
    course = course_copy("full")
    first = build_course(course, tmp_path / "one", ["moodle"]).written["moodle"][0]
    second = build_course(course, tmp_path / "two", ["moodle"]).written["moodle"][0]
    assert first.read_bytes() == second.read_bytes()
    shutil.rmtree(tmp_path / "one")


def test_a_failed_build_leaves_the_previous_xml_as_it_was(course_copy, runner):
    course = course_copy("full")
    assert runner.invoke(main, ["build", str(course), "-f", "moodle"]).exit_code == 0
    xml = course / "output" / "full-course-moodle.xml"
    before = xml.read_bytes()
    bank = course / "question_banks" / "weather.yaml"
    bank.write_text(bank.read_text("utf-8").replace("Barometer", "Baro"), "utf-8")
    # GIFT warns about the fixture's ordering question, which --strict makes fatal.
    failed = runner.invoke(main, ["build", str(course), "-f", "moodle", "-f", "gift", "--strict"])
    assert failed.exit_code == 1
    assert xml.read_bytes() == before


def test_a_share_moodle_has_no_grade_for_is_warned_about(course_copy):
    course = course_copy("minimal")
    bank = course / "question_banks" / "basics.yaml"
    options = "".join(f"      - text: City {n}\n        correct: true\n" for n in range(11))
    bank.write_text(
        bank.read_text("utf-8")
        + "  - id: many\n    type: multiple_response\n    prompt: Which are cities?\n"
        + "    options:\n"
        + options
        + "      - text: A river\n"
        + "    explanation: Eleven.\n    objectives: [name-capital]\n    difficulty: easy\n"
        + "    source: Paris is the capital of France\n",
        "utf-8",
    )
    result = build_course(course, formats=["moodle", "gift"])
    assert [(d.code, d.message.split("'")[1]) for d in result.format_warnings] == [
        ("moodle-left-out", "many"),
        ("gift-left-out", "many"),
    ]
    xml = result.written["moodle"][0].read_text("utf-8")
    assert "minimal.capital" in xml and "minimal.many" not in xml


def test_options_past_z_are_numbered_not_lettered(course_copy, built):
    """Moodle letters options with chr(ord('a') + n): past z, it would show '{', '|'..."""
    xml = build_course(course_copy("long-lists"), formats=["moodle"]).written["moodle"][0]
    choices = etree.parse(str(xml)).getroot().iterfind("question[@type='multichoice']")
    assert {e.findtext("idnumber"): e.findtext("answernumbering") for e in choices} == {
        "long-lists.many-choices": "123"
    }
    _, full = built["full"]
    lettered = etree.parse(str(full)).getroot().iterfind("question/answernumbering")
    assert {e.text for e in lettered} == {"abc"}
