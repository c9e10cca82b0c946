"""The SCORM 1.2 package in real Chromium against a real SCORM 1.2 API (npm's scorm-again).

A harness page plays the LMS: it sets `window.API = new Scorm12API(...)`, loads what an LMS
would have kept for the learner (suspend_data, lesson_location, the manifest's mastery
score), and opens the package's launch file in a frame. As in Moodle, the API's mastery
override is on: on LMSFinish it turns a reported score into passed or failed.
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
import zipfile
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect

from coursegen.build import build_course

from ..scorm_helpers import SCORM_AGAIN, npm_tool
from .conftest import FIXTURES, choose_match

HARNESS = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>A SCORM 1.2 LMS</title>
<link rel="icon" href="data:,">
<script src="scorm12.js"></script>
<script src="harness.js"></script>
</head>
<body><iframe id="sco" title="Course" width="1000" height="700"></iframe></body>
</html>
"""

HARNESS_JS = """
var params = new URLSearchParams(window.location.search);
window.API = new Scorm12API({ mastery_override: true, logLevel: 5 });
window.API.loadFromJSON({
  core: { student_id: "learner-1", credit: "credit", lesson_mode: "normal",
          lesson_status: params.get("status") || "not attempted",
          lesson_location: params.get("location") || "" },
  suspend_data: params.get("suspend") || "",
  student_data: { mastery_score: params.get("mastery") },
});
window.calls = [];
["LMSInitialize", "LMSCommit", "LMSFinish"].forEach(function (name) {
  window.API.on(name, function () { window.calls.push(name); });
});
window.addEventListener("DOMContentLoaded", function () {
  document.getElementById("sco").src = "package/scorm.html";
});
"""


@pytest.fixture(scope="module")
def lms(tmp_path_factory):
    """The full fixture's package unzipped beside the harness, served from 127.0.0.1."""
    npm_tool(SCORM_AGAIN)
    course = tmp_path_factory.mktemp("scorm-course") / "course"
    shutil.copytree(FIXTURES / "full", course)
    (archive,) = build_course(course, formats=["scorm"]).written["scorm"]
    root = tmp_path_factory.mktemp("lms")
    with zipfile.ZipFile(archive) as package:
        package.extractall(root / "package")
    shutil.copyfile(SCORM_AGAIN, root / "scorm12.js")
    (root / "harness.html").write_text(HARNESS, "utf-8")
    (root / "harness.js").write_text(HARNESS_JS, "utf-8")
    (root / "favicon.ico").write_bytes(b"")  # Chromium asks the server for one: no 404 noise
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield {"url": f"http://127.0.0.1:{server.server_address[1]}", "root": root}
    server.shutdown()


def launch(page: Page, lms, **saved):
    """Open the package the way an LMS does; return the course's frame."""
    page.goto(f"{lms['url']}/harness.html?{urlencode({'mastery': '60', **saved})}")
    return page.frame_locator("#sco").frame_locator("#cg-course")


def leave(page: Page) -> dict:
    """Leave the course (the LMS closes its frame); return the API's data model."""
    page.evaluate("document.getElementById('sco').src = 'about:blank'")
    page.wait_for_function("window.calls.indexOf('LMSFinish') >= 0")
    return cmi(page)


def cmi(page: Page) -> dict:
    # Interaction fields are write-only through LMSGetValue: read scorm-again's model.
    return json.loads(page.evaluate("JSON.stringify(window.API.cmi)"))


def answer(course, qid: str, actions, verdict: str) -> None:
    section = course.locator(f'.q[data-qid="{qid}"]')
    for action in actions:
        action(section)
    section.get_by_role("button", name="Check").click()
    expect(section.get_by_role("status")).to_have_text(verdict)


WATER_QUIZ = [  # (question, how to answer it, the verdict)
    ("wc-stage-first", [lambda q: q.get_by_label("Evaporation").check()], "Correct"),
    ("wc-clouds", [lambda q: q.get_by_label("Combustion").check()], "Incorrect"),
    ("wc-sun", [lambda q: q.get_by_label("False").check()], "Incorrect"),
    (
        "wc-vapour-name",
        [lambda q: q.get_by_label("Your answer").fill(" Evaporation ")],
        "Correct",
    ),
    (
        "wc-cloze",
        [
            lambda q: q.get_by_label("Blank 1 of 2").fill("condenses"),
            lambda q: q.get_by_label("Blank 2 of 2").fill("rain"),
        ],
        "Partly correct: 1 of 2",
    ),
    (
        "wc-match",
        [
            lambda q: choose_match(q, "Evaporation", "Liquid becomes vapour"),
            lambda q: choose_match(q, "Condensation", "Vapour forms clouds"),
        ],
        "Correct",
    ),
]

# Options and matches are named by the letter the learner sees them with: wc-clouds shows
# Combustion first, wc-match shows "Liquid becomes vapour" second.
EXPECTED_INTERACTIONS = [  # id, type, student_response, result, correct pattern
    ("full-course.wc-stage-first", "choice", "a", "correct", "a"),
    ("full-course.wc-clouds", "choice", "a", "wrong", "b,c"),
    ("full-course.wc-sun", "true-false", "f", "wrong", "t"),
    ("full-course.wc-vapour-name", "fill-in", "Evaporation", "correct", "evaporation"),
    ("full-course.wc-cloze", "fill-in", "condenses,rain", "wrong", "condenses,clouds"),
    ("full-course.wc-match", "matching", "a.b,b.a", "correct", "a.b,b.a"),
]


def interactions(model: dict) -> list[tuple]:
    return [
        (i["id"], i["type"], i["student_response"], i["result"])
        + (i["correct_responses"]["0"]["pattern"],)
        for _, i in sorted(model["interactions"].items(), key=lambda kv: int(kv[0]))
    ]


def take_water_quiz(course) -> None:
    course.get_by_role("link", name="The Water Cycle").first.click()
    for qid, actions, verdict in WATER_QUIZ:
        answer(course, qid, actions, verdict)


def test_a_module_quiz_reports_to_the_lms_and_resumes_from_suspend_data(page, lms, errors):
    course = launch(page, lms)
    take_water_quiz(course)
    # The ordering question shows its items shuffled, never in the right order.
    answer(course, "wc-order", [], "Partly correct: 1 of 3")
    expect(course.locator(".quiz-progress")).to_have_text("7 of 7 answered · 3 correct")
    model = leave(page)
    assert page.evaluate("window.calls[0]") == "LMSInitialize"
    assert page.evaluate("window.calls.filter(c => c === 'LMSInitialize').length") == 1
    core = model["core"]
    assert core["lesson_status"] == "incomplete"  # the final assessment is not taken yet
    assert (core["score"]["raw"], core["score"]["min"], core["score"]["max"]) == ("", "0", "100")
    assert core["lesson_location"] == "01-water.html"
    assert core["exit"] == "suspend"
    found = interactions(model)
    assert found[:6] == EXPECTED_INTERACTIONS
    assert found[6][:2] == ("full-course.wc-order", "sequencing")
    assert found[6][3:] == ("wrong", "a,b,c")
    assert sorted(found[6][2].split(",")) == ["a", "b", "c"]
    suspend = model["suspend_data"]
    assert len(suspend) <= 4096
    assert errors == []

    # A new session (another day, another browser) starts where the learner left off.
    page.goto("about:blank")
    course = launch(
        page, lms, suspend=suspend, location=core["lesson_location"], status="incomplete"
    )
    expect(course.locator("h1")).to_contain_text("The Water Cycle")
    expect(course.locator(".quiz-progress")).to_have_text("7 of 7 answered · 3 correct")
    stage = course.locator('.q[data-qid="wc-stage-first"]')
    expect(stage.get_by_role("status")).to_have_text("Correct")
    expect(stage.get_by_label("Evaporation")).to_be_checked()
    expect(course.locator('.q[data-qid="wc-sun"]').get_by_role("status")).to_have_text("Incorrect")
    course.locator(".site-nav").get_by_role("link", name="Modules").click()
    expect(course.locator('[data-progress-for="water"]')).to_contain_text(
        "7 of 7 answered · 3 correct"
    )
    assert errors == []


def take_final(course, right: int) -> None:
    """Answer the final's first ``right`` questions correctly and leave the rest blank."""
    course.get_by_role("link", name="Final assessment").first.click()
    course.get_by_role("button", name="Start the assessment").click()
    answers = [
        ("wc-stage-first", lambda q: q.get_by_label("Evaporation").check()),
        ("wc-sun", lambda q: q.get_by_label("True").check()),
        ("wc-vapour-name", lambda q: q.get_by_label("Your answer").fill("evaporation")),
    ]
    for qid, action in answers[:right]:
        action(course.locator(f'.q[data-qid="{qid}"]'))
    course.get_by_role("button", name="Submit my answers").click()


FINAL_CASES = [  # right answers given, score, status, cmi.core.exit, each question's result
    (3, "60", "passed", "", ["correct", "wrong", "correct", "correct", "wrong"]),
    (1, "20", "failed", "suspend", ["correct", "wrong", "wrong", "wrong", "wrong"]),
]


@pytest.mark.parametrize(("right", "score", "status", "exit", "results"), FINAL_CASES)
def test_the_final_assessment_sets_score_and_status(
    page, lms, errors, right, score, status, exit, results
):
    page.on("dialog", lambda dialog: dialog.accept())  # some questions are left unanswered
    course = launch(page, lms)
    take_final(course, right)
    expect(course.locator(".final-result")).to_contain_text(f"You scored {score}%")
    assert page.evaluate("API.cmi.core.lesson_status") == status
    assert page.evaluate("API.cmi.core.score.raw") == score
    model = leave(page)
    core = model["core"]
    # scorm-again's mastery override (as Moodle's) compared score and mastery: it agrees.
    assert (core["lesson_status"], core["score"]["raw"], core["exit"]) == (status, score, exit)
    found = interactions(model)
    assert [i[0] for i in found] == [
        "full-course.wc-stage-first",
        "full-course.wc-clouds",
        "full-course.wc-sun",
        "full-course.wc-vapour-name",
        "full-course.wc-cloze",
    ]
    assert [i[3] for i in found] == results
    assert json.loads(model["suspend_data"])["f"][:2] == [int(score), int(status == "passed")]
    assert errors == []


def test_each_attempt_at_the_final_is_submitted_once_and_counted(page, lms, errors):
    page.on("dialog", lambda dialog: dialog.accept())  # some questions are left unanswered
    course = launch(page, lms)
    take_final(course, 1)
    expect(course.locator(".final-result")).to_contain_text("You scored 20%")
    course.locator(".final-form").evaluate("form => form.requestSubmit()")  # no second grading
    course.get_by_role("button", name="Start a new attempt").click()
    for qid, label in (("wc-stage-first", "Evaporation"), ("wc-sun", "True")):
        course.locator(f'.q[data-qid="{qid}"]').get_by_label(label).check()
    course.locator('.q[data-qid="wc-vapour-name"]').get_by_label("Your answer").fill("evaporation")
    course.get_by_role("button", name="Submit my answers").click()
    expect(course.locator(".final-result")).to_contain_text("Attempts: 2 · Best score: 60%")
    model = leave(page)
    assert (model["core"]["lesson_status"], model["core"]["score"]["raw"]) == ("passed", "60")
    assert json.loads(model["suspend_data"])["f"] == [60, 1, 60, 2]
    # One interaction per question of the final: the second attempt rewrote the first's.
    assert [i[3] for i in interactions(model)] == [
        "correct",
        "wrong",
        "correct",
        "correct",
        "wrong",
    ]
    assert errors == []


def test_without_an_lms_the_launch_page_opens_the_course(page, lms, errors):
    launch_file = lms["root"] / "package" / "scorm.html"
    for address in (launch_file.as_uri(), f"{lms['url']}/package/scorm.html"):
        page.goto(address)
        expect(page).to_have_url(address.replace("scorm.html", "index.html"))
        page.get_by_role("link", name="The Water Cycle").first.click()
        answer(page, "wc-sun", [lambda q: q.get_by_label("True").check()], "Correct")
        expect(page.locator(".quiz-progress")).to_have_text("1 of 7 answered · 1 correct")
    assert errors == []


def test_progress_too_long_for_suspend_data_leaves_out_responses_first(page, lms, errors):
    launch(page, lms).locator("h1").wait_for()
    long_text = "x" * 1500  # three of these cannot fit in SCORM 1.2's 4096 characters
    state = {
        "answers": {
            "wc-vapour-name": {"module": "water", "correct": False, "response": long_text},
            "wc-cloze": {"module": "water", "correct": False, "response": [long_text, "a"]},
            "we-pressure": {"module": "weather", "correct": True, "response": [long_text + "y"]},
            "wc-sun": {"module": "water", "correct": True, "response": ["true"]},
        },
        "best": {"water": 29, "weather": 100},
        "final": {"best": 80, "passed": True, "last": 40, "attempts": 2},
    }
    host = page.frame_locator("#sco").locator("body")
    host.evaluate("(_, s) => window.coursegenHost.setItem('key', JSON.stringify(s))", state)
    suspend = page.evaluate("API.cmi.suspend_data")
    assert len(suspend) <= 4096
    assert json.loads(suspend) == {
        "v": 1,
        "a": {  # only the longest response is left out, and never a result
            "wc-sun": [1, ["true"]],
            "wc-vapour-name": [0, long_text],
            "wc-cloze": [0],
            "we-pressure": [1, [long_text + "y"]],
        },
        "b": {"water": 29, "weather": 100},
        "f": [80, 1, 40, 2],
    }
    assert errors == []


@pytest.mark.parametrize(
    ("typed", "verdict", "reported", "result"),
    [("1,013 hPa", "Correct", "1013", "correct"), ("101.3", "Incorrect", "101.3", "wrong")],
)
def test_a_numeric_answer_is_reported_as_the_figure_read(
    page, lms, errors, typed, verdict, reported, result
):
    course = launch(page, lms)
    course.get_by_role("link", name="Weather").first.click()
    fill = [lambda q: q.get_by_label("Your answer, in hPa").fill(typed)]
    answer(course, "we-sea-level", fill, verdict)
    model = leave(page)
    # SCORM 1.2's numeric: the response and the pattern are CMIDecimals, which scorm-again
    # checks as they are set.
    assert interactions(model) == [
        ("full-course.we-sea-level", "numeric", reported, result, "1013")
    ]
    assert errors == []
