"""QTI 1.2 for Canvas: the package validates against the QTI DTD and reads back as the bank.

The DTD is the one pyslet's source distribution ships (fetched by .ci/run); validation uses
lxml and never fetches anything.
"""

from __future__ import annotations

import html
import io
import os
import re
import shutil
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from coursegen import markup
from coursegen.assessment import final_pool
from coursegen.build import build_course, check_course
from coursegen.cli import main
from coursegen.exporters.xmltext import to_document
from coursegen.ids import lms_ident
from coursegen.media import image_bytes
from coursegen.model import Cloze, Course, Matching, Numeric, Question, ShortAnswer, TrueFalse
from coursegen.questions.numeric import figure

from .conftest import FIXTURES

ROOT = Path(__file__).parent.parent
DTD_PATH = ROOT / ".test-tools" / "ims_qtiasiv1p2p1.dtd"
CANVAS_TYPES = {
    "single_choice": "multiple_choice_question",
    "multiple_response": "multiple_answers_question",
    "true_false": "true_false_question",
    "short_answer": "short_answer_question",
    "cloze": "fill_in_multiple_blanks_question",
    "matching": "matching_question",
    "numeric": "numerical_question",
}


@pytest.fixture(scope="session")
def dtd() -> etree.DTD:
    if not DTD_PATH.exists():
        message = f"{DTD_PATH} missing: run bash .ci/run, which fetches it from pyslet's sdist"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI must not go green by skipping
        pytest.skip(message)
    return etree.DTD(str(DTD_PATH))


@pytest.fixture(scope="session")
def packages(tmp_path_factory) -> dict[str, tuple[Course, zipfile.ZipFile]]:
    """The QTI package of each fixture course and of the shipped one, built once."""
    built = {}
    for name in ("full", "arabic", "specials", "blueprint"):
        source = FIXTURES / name
        course_dir = tmp_path_factory.mktemp(name) / "course"
        shutil.copytree(source, course_dir)
        built[name] = _build(course_dir)
    shipped = tmp_path_factory.mktemp("shipped")
    out = build_course(ROOT, shipped / "output", formats=["qti"]).out_dir
    course, _ = check_course(ROOT)
    built["shipped"] = (course, _open(out / f"{course.id}-qti.zip"))
    return built


def _build(course_dir: Path) -> tuple[Course, zipfile.ZipFile]:
    result = build_course(course_dir, formats=["qti"])
    return result.course, _open(result.out_dir / f"{result.course.id}-qti.zip")


def _open(path: Path) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(path.read_bytes()))


def _assessments(package: zipfile.ZipFile) -> dict[str, etree._Element]:
    """Every assessment document of a package by its ident, as the manifest lists them."""
    manifest = etree.fromstring(package.read("imsmanifest.xml"))
    docs = {}
    for resource in manifest.iterfind(".//{*}resource[@type='imsqti_xmlv1p2']"):
        href = resource.find("{*}file").get("href")
        docs[resource.get("identifier")] = etree.fromstring(package.read(href))
    return docs


# --- the DTD -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["full", "arabic", "blueprint", "shipped"])
def test_every_assessment_validates_against_the_qti_dtd(packages, dtd, name):
    course, package = packages[name]
    docs = _assessments(package)
    assert len(docs) == len(course.modules) + 1
    for ident, doc in docs.items():
        assert dtd.validate(doc), f"{ident}: {dtd.error_log.filter_from_errors()}"


def test_the_dtd_check_fails_on_an_element_out_of_order(packages, dtd):
    _, package = packages["full"]
    doc = next(iter(_assessments(package).values()))
    item = doc.find(".//item")
    item.append(item.find("itemmetadata"))  # metadata must come before the presentation
    assert not dtd.validate(doc)
    assert "Element item content does not follow the DTD" in str(dtd.error_log)


# --- the manifest ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["full", "arabic", "shipped"])
def test_manifest_lists_exactly_the_files_of_the_package(packages, name):
    _, package = packages[name]
    manifest = etree.fromstring(package.read("imsmanifest.xml"))
    identifiers = [r.get("identifier") for r in manifest.iterfind(".//{*}resource")]
    assert len(identifiers) == len(set(identifiers))
    hrefs = {f.get("href") for f in manifest.iterfind(".//{*}file")}
    hrefs |= {r.get("href") for r in manifest.iterfind(".//{*}resource") if r.get("href")}
    assert hrefs == set(package.namelist()) - {"imsmanifest.xml"}
    for dependency in manifest.iterfind(".//{*}dependency"):
        assert dependency.get("identifierref") in identifiers


def test_images_are_packaged_where_canvas_resolves_them(packages):
    _, package = packages["full"]
    doc = _assessments(package)["full-course_module_water"]
    prompt = _item(doc, "full-course.wc-match").findtext("presentation/material/mattext")
    name = next(n for n in package.namelist() if n.startswith("images/"))
    assert name.endswith("-cycle.svg")
    assert f'<img src="$IMS-CC-FILEBASE$/{name}" alt="Diagram of the water cycle">' in prompt
    assert package.read(name) == image_bytes(FIXTURES / "full/modules/images/cycle.svg")


# --- items read back against the bank ----------------------------------------------------


@pytest.mark.parametrize("name", ["full", "arabic", "shipped"])
def test_module_assessments_read_back_as_the_bank(packages, name):
    course, package = packages[name]
    docs = _assessments(package)
    for module in course.modules:
        doc = docs[f"{course.id}_module_{module.id}"]
        title = doc.find("assessment").get("title")
        assert title.endswith(f" {module.number}: {module.title}")
        questions = [q for q in course.questions_of(module.id) if q.kind in CANVAS_TYPES]
        items = doc.findall(".//item")
        assert [i.get("ident") for i in items] == [lms_ident(course.id, q.id) for q in questions]
        for question, item in zip(questions, items, strict=True):
            assert _read(item) == _expected(question), question.id


def test_the_final_draws_from_the_html_pool_as_a_question_group(packages):
    course, package = packages["specials"]  # no blueprint
    assert course.final_assessment.shuffle
    doc = _assessments(package)[f"{course.id}_final"]
    group = doc.find("assessment/section/section")
    assert group.findtext("selection_ordering/selection/selection_number") == str(
        course.final_assessment.questions
    )
    pool = [q for q in final_pool(course) if q.kind in CANVAS_TYPES]
    assert [i.get("ident") for i in group.findall("item")] == [
        lms_ident(course.id, q.id) for q in pool
    ]


def test_a_final_without_shuffling_holds_the_first_questions_of_the_pool(packages):
    course, package = packages["full"]
    assert not course.final_assessment.shuffle
    doc = _assessments(package)[f"{course.id}_final"]
    assert doc.find(".//selection_ordering") is None
    pool = [q for q in final_pool(course) if q.kind in CANVAS_TYPES]
    first = pool[: course.final_assessment.questions]
    assert [i.get("ident") for i in doc.findall(".//item")] == [
        lms_ident(course.id, q.id) for q in first
    ]
    for question, item in zip(first, doc.findall(".//item"), strict=True):
        assert _read(item) == _expected(question)


def test_a_blueprint_is_a_section_per_set_that_selects_its_count(packages):
    course, package = packages["blueprint"]
    doc = _assessments(package)["road-safety_final"]
    sections = doc.findall("assessment/section/section")
    seen = [
        (
            s.get("title"),
            s.findtext("selection_ordering/selection/selection_number"),
            [i.get("ident").removeprefix("road-safety.") for i in s.findall("item")],
        )
        for s in sections
    ]
    per = "One on each objective – Module"
    assert seen == [
        (f"{per} 1: Road Signs – read-signs", "1", ["sg-stop-meaning", "sg-give-way"]),
        (f"{per} 1: Road Signs – sign-shapes", "1", ["sg-triangle", "sg-circle"]),
        (f"{per} 2: Speed and Stopping – speed-limits", "1", ["sp-town-limit", "sp-limit-sign"]),
        (
            f"{per} 2: Speed and Stopping – stopping-distance",
            "1",
            ["sp-distance-parts", "sp-wet-road"],
        ),
        # The ordering question sg-stop-steps is left out: classic Canvas quizzes have none.
        ("Applying the rules", "2", ["sg-school", "sp-rain-gap", "sp-twice-speed"]),
    ]
    meta = etree.fromstring(package.read("road-safety_final/assessment_meta.xml"))
    assert meta.findtext("{*}points_possible") == "6.0"
    assert meta.findtext("{*}description") == (
        "<p>6 questions, drawn for each attempt by the course&#x27;s test plan. "
        "You need 60% to pass.</p>"
    )


def test_a_final_whose_count_is_left_out_says_how_many_it_draws(course_copy):
    course_dir = course_copy("minimal")  # one question, and the default count is 20
    manifest = course_dir / "modules" / "course.yaml"
    manifest.write_text(manifest.read_text().split("final_assessment:")[0])
    course, package = _build(course_dir)
    assert course.final_assessment.questions == 1
    doc = _assessments(package)["minimal_final"]
    assert doc.findtext(".//selection_number") == "1"
    meta = etree.fromstring(package.read("minimal_final/assessment_meta.xml"))
    assert meta.findtext("{*}description").startswith("<p>1 ")


def _item(doc: etree._Element, ident: str) -> etree._Element:
    return doc.find(f".//item[@ident='{ident}']")


def _read(item: etree._Element) -> dict:
    """What a learner and a grader get from an item, read from the QTI alone."""
    fields = {
        f.findtext("fieldlabel"): f.findtext("fieldentry")
        for f in item.iterfind("itemmetadata/qtimetadata/qtimetadatafield")
    }
    feedback = {
        fb.get("ident"): fb.findtext("flow_mat/material/mattext")
        for fb in item.iterfind("itemfeedback")
    }
    labels = {
        label.get("ident"): label.findtext("material/mattext")
        for label in item.iterfind(".//response_label")
    }
    scored = [
        c for c in item.iterfind("resprocessing/respcondition") if c.find("setvar") is not None
    ]
    if fields["question_type"] == "numerical_question":
        return _read_numerical(item, fields, feedback, scored)
    answers = []
    for condition in scored:
        for test in condition.iterfind("conditionvar//varequal"):
            negated = test.getparent().tag == "not"
            if test.get("respident") == "response1" and item.find(".//response_str") is not None:
                answers.append(("typed", test.text, test.get("case", "No")))
            elif not negated:
                answers.append((_response_text(item, test.get("respident")), labels[test.text]))
    option_feedback = {
        labels[fb_ident.removesuffix("_fb")]: text
        for fb_ident, text in feedback.items()
        if fb_ident != "general_fb"
    }
    return {
        "title": item.get("title"),
        "type": fields["question_type"],
        "points": fields["points_possible"],
        "prompt": _normal(item.findtext("presentation/material/mattext")),
        "answers": sorted(answers),
        "general_feedback": feedback.get("general_fb"),
        "option_feedback": option_feedback,
    }


def _read_numerical(item, fields: dict, feedback: dict, scored: list) -> dict:
    """Each scored figure as (exact, at least, at most), and the feedback it links to."""
    answers, figure_feedback = [], {}
    assert item.find(".//render_fib").get("fibtype") == "Decimal"
    for condition in scored:
        exact = condition.findtext("conditionvar/or/varequal")
        bounds = condition.find("conditionvar/or/and")
        answers.append((exact, bounds.findtext("vargte"), bounds.findtext("varlte")))
        for shown in condition.iterfind("displayfeedback"):
            figure_feedback[exact] = feedback[shown.get("linkrefid")]
    return {
        "title": item.get("title"),
        "type": fields["question_type"],
        "points": fields["points_possible"],
        "prompt": _normal(item.findtext("presentation/material/mattext")),
        "answers": answers,
        "general_feedback": feedback.get("general_fb"),
        "option_feedback": figure_feedback,
    }


def _response_text(item: etree._Element, respident: str) -> str:
    """What a response stands for: its own text (a blank's name, a left item) or 'choice'."""
    response = item.find(f".//response_lid[@ident='{respident}']")
    return response.findtext("material/mattext") or "choice"


def _expected(q: Question) -> dict:
    """The same, from the bank."""

    def render(text: str, inline: bool = False) -> str:
        return markup.to_html(text, inline=inline).strip()

    prompt = render(q.prompt)
    option_feedback = {}
    if isinstance(q, TrueFalse):
        answers = [("choice", "True" if q.answer else "False")]
    elif isinstance(q, ShortAnswer):
        case = "Yes" if q.case_sensitive else "No"
        answers = [("typed", a, case) for a in q.answers]
    elif isinstance(q, Cloze):
        prompt = render(q.marked("[blank{}]"))
        answers = [(f"blank{n}", a) for n, g in enumerate(q.gaps, start=1) for a in g.answers]
    elif isinstance(q, Matching):
        answers = [(render(p.left, inline=True), markup.to_plain_text(p.right)) for p in q.pairs]
    elif isinstance(q, Numeric):  # Canvas's numerical answers are the right figures only
        right = [a for a in q.answers if a.correct]
        answers = [(figure(a.value), figure(a.low), figure(a.high)) for a in right]
        option_feedback = {figure(a.value): render(a.feedback, True) for a in right if a.feedback}
    else:
        answers = [("choice", render(o.text, inline=True)) for o in q.options if o.correct]
        option_feedback = {
            render(o.text, inline=True): render(o.feedback) for o in q.options if o.feedback
        }
    return {
        "title": q.id,
        "type": CANVAS_TYPES[q.kind],
        "points": "1",
        "prompt": _normal(prompt),
        "answers": answers if isinstance(q, Numeric) else sorted(answers),
        "general_feedback": render(q.explanation) if q.explanation else None,
        "option_feedback": option_feedback,
    }


def _normal(text: str) -> str:
    """HTML compared by its text: "'" and "&#x27;" are the same to a reader. Where an image
    lives differs by design (test_images_are_packaged_... checks the package's path)."""
    return html.unescape(re.sub(r' src="[^"]*"', ' src=""', text))


# --- warnings and the command line -------------------------------------------------------

ORDERING_WARNING = (
    "question_banks/water.yaml:73:5: warning: qti leaves out question 'wc-order' (ordering): "
    "classic Canvas quizzes have no ordering type [qti-left-out]\n"
    "    hint: rewrite it as another type for Canvas, or add it there by hand\n"
)


def test_build_warns_about_an_ordering_question(runner, course_copy):
    course_dir = course_copy("full")
    result = runner.invoke(main, ["build", str(course_dir), "-f", "qti", "--verbose"])
    assert result.exit_code == 0, result.output
    assert f"{course_dir}/{ORDERING_WARNING}" in result.output
    package = _open(course_dir / "output" / "full-course-qti.zip")
    assert (
        "wc-order"
        not in package.read("full-course_module_water/full-course_module_water.xml").decode()
    )


def test_strict_turns_the_warning_into_a_failure_that_keeps_the_old_output(runner, course_copy):
    course_dir = course_copy("full")
    assert runner.invoke(main, ["build", str(course_dir), "-f", "qti"]).exit_code == 0
    package = course_dir / "output" / "full-course-qti.zip"
    before = package.read_bytes()
    bank = course_dir / "question_banks" / "water.yaml"
    bank.write_text(bank.read_text().replace("Put the stages in order.", "Order them."))
    result = runner.invoke(main, ["build", str(course_dir), "-f", "qti", "--strict"])
    assert result.exit_code == 1
    assert f"{course_dir}/{ORDERING_WARNING}" in result.output
    assert package.read_bytes() == before


def test_case_sensitive_answers_are_marked_and_warned_about(course_copy):
    course_dir = course_copy("full")
    bank = course_dir / "question_banks" / "water.yaml"
    bank.write_text(
        bank.read_text().replace(
            "answers: [evaporation, evaporating]",
            "answers: [evaporation, evaporating]\n    case_sensitive: true",
        )
    )
    result = build_course(course_dir, formats=["qti"])
    codes = [(d.code, d.message.split("'")[1]) for d in result.format_warnings]
    assert ("qti-changed", "wc-vapour-name") in codes
    package = _open(result.out_dir / "full-course-qti.zip")
    doc = _assessments(package)["full-course_module_water"]
    tests = _item(doc, "full-course.wc-vapour-name").findall(".//varequal")
    assert [(t.text, t.get("case")) for t in tests] == [
        ("evaporation", "Yes"),
        ("evaporating", "Yes"),
    ]


def test_two_builds_give_the_same_bytes(course_copy):
    course_dir = course_copy("full")
    path = course_dir / "output" / "full-course-qti.zip"
    build_course(course_dir, formats=["qti"])
    first = path.read_bytes()
    build_course(course_dir, formats=["qti"])
    assert path.read_bytes() == first


@pytest.mark.parametrize("name", ["full", "arabic", "shipped"])
def test_every_assessment_is_written_as_elementtree_indents_and_escapes_it(packages, name):
    """The items are written from templates (qti_items.py): each assessment must still be
    the text ElementTree writes for the tree it holds, to the byte."""
    _, package = packages[name]
    # The manifest and quiz settings are ElementTree's own, with a default namespace.
    assessments = [n for n in package.namelist() if re.fullmatch(r"(.+)/\1\.xml", n)]
    assert len(assessments) > 2
    for member in assessments:
        data = package.read(member)
        assert data == to_document(ET.fromstring(data)), member


def test_an_arabic_package_titles_and_describes_its_quizzes_in_arabic(packages):
    _, package = packages["arabic"]
    titles = {i: d.find("assessment").get("title") for i, d in _assessments(package).items()}
    assert titles == {
        "arabic-sample_module_intro": "الوحدة 1: مقدمة",
        "arabic-sample_module_duties": "الوحدة 2: واجبات الشرطة",
        "arabic-sample_final": "التقييم النهائي",
    }
    meta = etree.fromstring(package.read("arabic-sample_final/assessment_meta.xml"))
    assert meta.findtext("{*}description") == "<p>سؤالان من جميع الوحدات. تحتاج إلى 50% للنجاح.</p>"
