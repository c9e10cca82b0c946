"""The GIFT file, parsed back by a real GIFT parser (npm gift-pegjs) and compared with the bank."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from coursegen import markup
from coursegen.build import build_course
from coursegen.cli import main
from coursegen.ids import lms_ident
from coursegen.model import Course, Question

from .moodle_helpers import ARABIC_CATEGORIES, module_category, split_category_path

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
COURSES = ["full", "arabic", "specials", "shipped"]
GIFT_TYPES = {
    "single_choice": "MC",
    "multiple_response": "MC",
    "true_false": "TF",
    "short_answer": "Short",
    "cloze": "Short",  # a missing-word question: a short answer inside its text
    "matching": "Matching",
    "numeric": "Numerical",
}
PARSE = """
const fs = require("fs");
const gift = require("gift-pegjs");
process.stdout.write(JSON.stringify(gift.parse(fs.readFileSync(process.argv[1], "utf8"))));
"""
# gift-pegjs leaves its placeholders for escaped characters in a match's right-hand side;
# Moodle's importer replaces them (qformat_gift::escapedchar_post), and so does this.
PLACEHOLDERS = {"&&092;": "\\", "&&058;": ":", "&&035;": "#", "&&061;": "=", "&&123;": "{"}
PLACEHOLDERS |= {"&&125;": "}", "&&126;": "~", "&&010": "\n"}


def parse_gift(path: Path) -> list[dict]:
    """What gift-pegjs makes of a GIFT file."""
    if not shutil.which("node") or not (ROOT / "node_modules" / "gift-pegjs").is_dir():
        message = "node or gift-pegjs missing: install nodejs and npm, then run npm ci"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI must not go green by skipping
        pytest.skip(message)
    env = {**os.environ, "NODE_PATH": str(ROOT / "node_modules")}
    run = subprocess.run(
        ["node", "-e", PARSE, str(path)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    """Each course's GIFT file, its parse and the build's warnings, built once."""
    result = {}
    for name in COURSES:
        source = ROOT if name == "shipped" else FIXTURES / name
        build = build_course(source, tmp_path_factory.mktemp(name) / "output", ["gift"])
        path = build.written["gift"][0]
        result[name] = (build.course, path, parse_gift(path), build.format_warnings)
    return result


def left_out(course: Course) -> set[str]:
    """The questions GIFT cannot carry: ordering, several gaps, case-sensitive answers, images."""
    return {
        q.id
        for q in course.questions
        if q.kind == "ordering"
        or len(getattr(q, "gaps", ())) > 1
        or getattr(q, "case_sensitive", False)
        or q.images
    }


def html_text(text: str | None, inline: bool = False) -> dict | None:
    if not text:
        return None
    return {"format": "html", "text": markup.to_html(text, inline=inline).strip()}


def expected(course: Course, q: Question) -> dict:
    """The bank's question in the shape gift-pegjs returns."""
    wanted = {
        "type": GIFT_TYPES[q.kind],
        "id": lms_ident(course.id, q.id),
        "tags": [*q.tags, f"difficulty-{q.difficulty}"] + ([f"bloom-{q.bloom}"] * bool(q.bloom)),
        "stem": html_text(q.prompt),
        "hasEmbeddedAnswers": q.kind == "cloze",
        "globalFeedback": html_text(q.explanation),
    }
    if q.kind == "single_choice":
        wanted["choices"] = [choice(o, o.correct, None) for o in q.options]
    elif q.kind == "multiple_response":
        shares = {
            True: sum(o.correct for o in q.options),
            False: sum(not o.correct for o in q.options),
        }
        wanted["choices"] = [
            choice(
                o, False, pytest.approx((100 if o.correct else -100) / shares[o.correct], abs=1e-4)
            )
            for o in q.options
        ]
    elif q.kind == "true_false":
        wanted |= {"isTrue": q.answer, "trueFeedback": None, "falseFeedback": None}
    elif q.kind in ("short_answer", "cloze"):
        answers = q.answers if q.kind == "short_answer" else q.gaps[0].answers
        wanted["choices"] = [(True, None, a, None) for a in answers]
    elif q.kind == "matching":
        wanted["matchPairs"] = [
            (html_text(p.left, inline=True), " ".join(markup.to_plain_text(p.right).split()))
            for p in q.pairs
        ]
    elif q.kind == "numeric":  # a wrong figure weighs 0%
        wanted["choices"] = [
            (True, None if a.correct else 0, float(a.value), float(a.tolerance))
            + (html_text(a.feedback, True),)
            for a in q.answers
        ]
    if q.kind == "cloze":
        before, after = (
            markup.to_html(q.marked(markup.GAP_MARK)).strip().split(markup.GAP_MARK.format(1))
        )
        wanted["stem"] = {"format": "html", "text": f"{before.strip()} _____ {after.strip()}"}
    return wanted


def weight(q: Question, option):
    """Right options share 100%, wrong ones -100%."""
    share = sum(o.correct == option.correct for o in q.options)
    return pytest.approx((100 if option.correct else -100) / share, abs=0.0001)


def choice(option, correct: bool, grade) -> tuple:
    return (correct, grade, html_text(option.text, inline=True), html_text(option.feedback, True))


def found(parsed: dict) -> dict:
    """A parsed question in the same shape, its short answers read as Moodle compares them."""
    keys = ("type", "id", "tags", "stem", "hasEmbeddedAnswers", "globalFeedback")
    result = {key: parsed[key] for key in keys}
    if parsed["type"] == "MC":
        result["choices"] = [
            (c["isCorrect"], c["weight"], c["text"], c["feedback"]) for c in parsed["choices"]
        ]
    elif parsed["type"] == "Short":  # in Moodle, '\*' in a short answer is a literal '*'
        result["choices"] = [
            (c["isCorrect"], c["weight"], c["text"]["text"].replace("\\*", "*"), c["feedback"])
            for c in parsed["choices"]
        ]
    elif parsed["type"] == "Numerical":
        result["choices"] = [
            (c["isCorrect"], c["weight"], c["text"]["number"], c["text"]["range"], c["feedback"])
            for c in parsed["choices"]
        ]
    elif parsed["type"] == "TF":
        result |= {k: parsed[k] for k in ("isTrue", "trueFeedback", "falseFeedback")}
    elif parsed["type"] == "Matching":
        result["matchPairs"] = [
            (p["subquestion"], _placeholders_decoded(p["subanswer"])) for p in parsed["matchPairs"]
        ]
    return result


def _placeholders_decoded(text: str) -> str:
    for placeholder, character in PLACEHOLDERS.items():
        text = text.replace(placeholder, character)
    return text


def differences(course: Course, parsed: list[dict]) -> list[str]:
    """Every way the parsed GIFT differs from the bank, question by question."""
    questions = {p["id"]: p for p in parsed if p["type"] != "Category"}
    problems = []
    for q in course.questions:
        if q.id in left_out(course):
            continue
        got = questions.pop(lms_ident(course.id, q.id), None)
        if got is None:
            problems.append(f"{q.id}: missing")
            continue
        title = " ".join(
            markup.to_plain_text(q.marked("___") if q.kind == "cloze" else q.prompt).split()
        )
        if not (got["title"] and title.startswith(got["title"].removesuffix("…"))):
            problems.append(f"{q.id}: title {got['title']!r}")
        have, wanted = found(got), expected(course, q)
        problems += [
            f"{q.id}: {key}: {have.get(key)!r} != {wanted.get(key)!r}"
            for key in sorted(set(have) | set(wanted))
            if have.get(key) != wanted.get(key)
        ]
    return problems + [f"{ident}: not in the bank" for ident in questions]


@pytest.mark.parametrize("name", COURSES)
def test_every_question_parses_back_as_the_bank(built, name):
    course, path, parsed, _ = built[name]
    assert path.name == f"{course.id}.gift"
    assert differences(course, parsed) == []


@pytest.mark.parametrize("name", COURSES)
def test_categories_and_warnings(built, name):
    course, _, parsed, diagnostics = built[name]
    categories = [split_category_path(p["title"]) for p in parsed if p["type"] == "Category"]
    assert categories == [module_category(course, m) for m in course.modules]
    warned = {d.message.split("'")[1] for d in diagnostics if d.code == "gift-left-out"}
    assert warned == left_out(course)


def test_an_arabic_course_has_arabic_categories_and_header(built):
    _, path, parsed, _ = built["arabic"]
    categories = [split_category_path(p["title"]) for p in parsed if p["type"] == "Category"]
    assert categories == ARABIC_CATEGORIES
    assert (
        path.read_text().split("\n")[0] == "// دورة تجريبية (arabic-sample 1)، من إنشاء coursegen"
    )


def test_author_text_full_of_specials_round_trips(built):
    course, _, parsed, _ = built["specials"]
    by_id = {p.get("id"): p for p in parsed}
    choice = by_id["specials.sp-choice"]
    assert choice["choices"][0]["text"]["text"] == "[html] ~tilde=equals#hash"
    assert choice["choices"][1]["text"]["text"] == "{1:MULTICHOICE:=x~y} :colon: \\n"
    code = "<pre><code>// not a comment {1:SHORTANSWER:=no}\n\n  // after a blank line\n"
    assert code in choice["stem"]["text"]
    answers = [c["text"]["text"] for c in by_id["specials.sp-short"]["choices"]]
    assert answers == ["C:\\dir{1}", "a\\*b~c=d#e", "[plain] x"]
    assert by_id["specials.sp-gap"]["choices"][1]["text"]["text"] == 'x&amp;y\\*\\/"q'
    assert len(parsed) == 1 + 8 - 2  # a category, and all but the two-gap cloze and ordering


@pytest.mark.parametrize("name", COURSES)
def test_moodle_sees_no_comment_or_blank_line_inside_a_question(built, name):
    # Moodle's importer splits questions at blank lines and drops every line that starts
    # with // (qformat_gift::readquestion); gift-pegjs is laxer about the second.
    _, path, _, _ = built[name]
    for question in path.read_text("utf-8").split("\n\n")[1:]:
        lines = question.strip("\n").split("\n")
        comments = [line for line in lines if line.strip().startswith("//")]
        assert comments in ([], [lines[0]]), question
        assert not comments or lines[0].startswith("// [id:"), question


def test_the_comparison_finds_a_changed_answer(built, tmp_path):
    course, path, _, _ = built["full"]
    broken = tmp_path / path.name
    text = path.read_text("utf-8")
    broken.write_text(text.replace("=[html]Barometer", "~[html]Barometer"), "utf-8")
    assert differences(course, parse_gift(broken)) == [
        "we-pressure: choices: [(False, None, {'format': 'html', 'text': 'Barometer'}, None), "
        "(False, None, {'format': 'html', 'text': 'Thermometer'}, None)] != "
        "[(True, None, {'format': 'html', 'text': 'Barometer'}, None), "
        "(False, None, {'format': 'html', 'text': 'Thermometer'}, None)]"
    ]


def test_build_warns_by_question_and_strict_keeps_the_old_output(runner, course_copy):
    course = course_copy("full")
    first = runner.invoke(main, ["build", str(course), "-f", "gift", "--verbose"])
    assert first.exit_code == 0, first.output
    for line in (
        "question_banks/water.yaml:49:5: warning: gift leaves out question 'wc-cloze' (cloze): "
        "it has 2 gaps, and GIFT's missing-word question has one [gift-left-out]",
        "question_banks/water.yaml:73:5: warning: gift leaves out question 'wc-order' "
        "(ordering): GIFT has no ordering question [gift-left-out]",
        "    hint: import the Moodle XML (coursegen build -f moodle) for every question",
        "question_banks/weather.yaml:14:5: warning: gift changes question 'we-sea-level' "
        "(numeric): GIFT has no units: Moodle grades the figure alone, and neither shows nor "
        "accepts 'hPa' [gift-changed]",
        "    hint: name the unit in the prompt, or import the Moodle XML, which carries it",
    ):
        assert line in first.output
    output = course / "output"
    before = {p: p.read_bytes() for p in output.rglob("*")}
    (course / "question_banks" / "weather.yaml").write_text(
        (course / "question_banks" / "weather.yaml").read_text().replace("Barometer", "Baro")
    )
    strict = runner.invoke(main, ["build", str(course), "-f", "gift", "--strict"])
    assert strict.exit_code == 1
    assert "[gift-left-out]" in strict.output
    assert strict.output.endswith(
        "Error: 4 questions cannot be carried by gift; strict mode makes that an error\n"
    )
    assert {p: p.read_bytes() for p in output.rglob("*")} == before


def test_a_question_with_more_options_than_letters_is_left_out(course_copy):
    """Moodle letters a GIFT question's options a to z, and shows '{', '|'... past z."""
    result = build_course(course_copy("long-lists"), formats=["gift"])
    assert [d.message for d in result.format_warnings if "many-choices" in d.message] == [
        "gift leaves out question 'many-choices' (single_choice): it has 30 "
        "options, and Moodle letters a GIFT question's options a to z only"
    ]
    assert "long-lists.many-choices" not in result.written["gift"][0].read_text("utf-8")
