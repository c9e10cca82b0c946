"""`coursegen import` of QTI 1.2: packages and files, coursegen's own, text2qti's, and others'."""

import io
import shutil
import zipfile
from pathlib import Path

import pytest

from coursegen.cli import main

from .conftest import FIXTURES
from .test_import import ROOT, _emptied, _files, _import

QTI = FIXTURES / "import" / "qti"


def _built(runner, course: Path, out: Path) -> Path:
    result = runner.invoke(main, ["build", str(course), "-f", "qti", "-o", str(out)])
    assert result.exit_code == 0, result.output
    [built] = out.glob("*-qti.zip")
    return built


def _members(package: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(package) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _without_blueprint(target: Path) -> Path:
    """The shipped course without its blueprint, whose Bloom levels QTI does not keep: an
    import from QTI could not meet it."""
    for folder in ("modules", "question_banks"):
        shutil.copytree(ROOT / folder, target / folder)
    manifest = target / "modules" / "course.yaml"
    text = manifest.read_text("utf-8")
    manifest.write_text(text[: text.index("  blueprint:")] + "  questions: 20\n", "utf-8")
    return target


@pytest.mark.parametrize("name", ["full", "specials", "shipped"])
def test_a_qti_package_built_again_after_its_import_is_the_same(runner, tmp_path, name):
    source = _without_blueprint(tmp_path / "shipped") if name == "shipped" else FIXTURES / name
    first = _built(runner, source, tmp_path / "first")
    course = _emptied(source, tmp_path / "course")
    result = _import(runner, course, first)
    assert result.exit_code == 0, result.output
    second = _built(runner, course, tmp_path / "second")
    # Every member alike (the module assessments, the final, Canvas's settings, the images),
    # and so the zip itself, whose dates are fixed.
    assert _members(second) == _members(first)
    assert second.read_bytes() == first.read_bytes()


def test_the_final_assessment_does_not_import_its_questions_twice(runner, tmp_path):
    package = _built(runner, FIXTURES / "full", tmp_path / "out")
    course = _emptied(FIXTURES / "full", tmp_path / "course")
    result = _import(runner, course, package)
    assert result.exit_code == 0, result.output
    counts = [line for line in result.output.splitlines() if line.startswith("module ")]
    assert counts == ["module water: 6 questions imported", "module weather: 2 questions imported"]
    assert (course / "modules" / "course.yaml").read_text().count("modules: [water, weather]")
    water = (course / "question_banks" / "water.yaml").read_text()
    assert "![Diagram of the water cycle](images/cycle.svg)" in water
    assert (course / "question_banks" / "images" / "cycle.svg").is_file()


def test_qti_items_without_canvas_metadata_are_known_by_their_responses(runner, course_copy):
    course = course_copy("minimal")
    result = _import(runner, course, QTI / "bank.xml")
    assert result.exit_code == 0, result.output
    rivers = (course / "question_banks" / "rivers-and-lakes.yaml").read_text()
    assert rivers.startswith(
        "# Imported from bank.xml by coursegen import.\n"
        "module: rivers-and-lakes\n"
        "questions:\n"
        "  - id: longest-river\n"
        "    type: single_choice\n"
        "    prompt: Which river is the **longest** in Africa?\n"
        "    options:\n"
        "      - text: The Nile\n"
        "        correct: true\n"
        "        feedback: 'Yes: about 6,650 km.'\n"
        "      - text: The Congo\n"
        "        feedback: The Congo is the deepest, not the longest.\n"
        "    shuffle: false\n"
        "    explanation: The Nile is about 6,650 km long.\n"
        "    objectives: [rivers-and-lakes-objective]\n"
        "    source: The Nile is about 6,650 km long.\n"
        "  - id: nile-countries\n"
        "    type: multiple_response\n"
        "    prompt: Which countries does the Nile cross?\n"
        "    options:\n"
        "      - text: Egypt\n"
        "        correct: true\n"
        "      - text: Sudan\n"
        "        correct: true\n"
        "      - text: Chad\n"
    )
    assert "alert" not in rivers  # the <script> is gone, not turned into text
    assert "  - id: nile-north\n    type: true_false\n" in rivers
    assert "    answer: true\n" in rivers
    assert "    answers: [Cairo]\n    case_sensitive: true\n" in rivers
    mountains = (course / "question_banks" / "mountains.yaml").read_text()
    assert (
        "    pairs:\n      - left: Andes\n        right: South America\n"
        "      - left: Himalaya\n        right: Asia\n"
    ) in mountains
    assert "    type: ordering\n" in mountains
    assert "    items: [Everest, K2, Kangchenjunga]\n" in mountains


def test_what_coursegen_cannot_carry_from_qti_is_warned_at_its_line(runner, course_copy):
    course = course_copy("minimal")
    xml = QTI / "bank.xml"
    result = _import(runner, course, xml)
    warned = [
        line
        for line in result.output.splitlines()
        if "[not-imported]" in line or "[lossy-import]" in line
    ]
    assert warned == [
        f"{xml}:75:1: warning: question 'Capital on the Nile': answers worth part of the grade "
        "are left out: Giza [lossy-import]",
        f"{xml}:85:1: warning: question 'Dams essay' (essay_question) is not imported: an essay "
        "is marked by a person [not-imported]",
        f"{xml}:95:1: warning: question 'Ranges': answers that match no item are left out: "
        "Antarctica [lossy-import]",
        f"{xml}:118:1: warning: question 'Highest first': it is worth 2 points, and every "
        "coursegen question is worth one [lossy-import]",
        f"{xml}:139:1: warning: question 'Height' (numerical_question) is not imported: no "
        "figure is scored right [not-imported]",
        f"{xml}:145:1: warning: question 'About mountains' (text_only_question) is not "
        "imported: it is text with no answer [not-imported]",
    ]


def _text2qti_zip(tmp_path: Path, monkeypatch) -> Path:
    """The text2qti quiz of the fixtures, made into a Canvas package by text2qti itself."""
    from text2qti.config import Config
    from text2qti.qti import QTI as Text2qti
    from text2qti.quiz import Quiz

    for name in ("quiz.md", "nile.png"):
        (tmp_path / name).write_bytes((QTI / "text2qti" / name).read_bytes())
    monkeypatch.chdir(tmp_path)  # text2qti finds images from the working folder
    quiz = Quiz((tmp_path / "quiz.md").read_text("utf-8"), config=Config(), source_name="quiz.md")
    Text2qti(quiz).save(tmp_path / "quiz.zip")
    return tmp_path / "quiz.zip"


TEXT2QTI_BANK = """\
# Imported from quiz.zip by coursegen import.
module: rivers-of-africa
questions:
  - id: nile-length
    type: single_choice
    prompt: How long is the **Nile**?
    options:
      - text: About 1,200 km
        feedback: Far too short.
      - text: About 6,650 km
        correct: true
        feedback: 'Right: it is the longest river in Africa.'
      - text: About 20,000 km
    explanation: The Nile is about 6,650 km long.
    objectives: [rivers-of-africa-objective]
    source: The Nile is about 6,650 km long.
  - id: which-of-these-rivers-flow-into-the-mediterranean
    type: multiple_response
    prompt: Which of these rivers flow into the Mediterranean?
    options:
      - text: The Nile
        correct: true
      - text: The Congo
      - text: The Niger
    explanation: Only the Nile reaches the Mediterranean.
    objectives: [rivers-of-africa-objective]
    source: Only the Nile reaches the Mediterranean.
  - id: nile-north
    type: true_false
    prompt: The Nile flows north. ![A map of the Nile](images/nile.png)
    answer: true
    explanation: 'Yes: from Lake Victoria to the sea.'
    objectives: [rivers-of-africa-objective]
    source: 'Yes: from Lake Victoria to the sea.'
  - id: delta-city
    type: short_answer
    prompt: Which city stands where the Nile delta begins?
    answers: [Cairo, al-Qahira]
    explanation: Cairo, at the head of the delta.
    objectives: [rivers-of-africa-objective]
    source: Cairo, at the head of the delta.
  - id: height
    type: numeric
    prompt: How high is Kilimanjaro, in metres?
    answer: 5895
    tolerance: 10
    explanation: 'TO DO (coursegen import): write why the right answer is right.'
    objectives: [rivers-of-africa-objective]
    source: 'TO DO (coursegen import): write why the right answer is right.'
"""


def test_a_text2qti_package_imports_as_banks(runner, course_copy, tmp_path, monkeypatch):
    package = _text2qti_zip(tmp_path, monkeypatch)
    course = course_copy("minimal")
    result = _import(runner, course, package)
    assert result.exit_code == 0, result.output
    assert (course / "question_banks" / "rivers-of-africa.yaml").read_text() == TEXT2QTI_BANK
    image = (course / "question_banks" / "images" / "nile.png").read_bytes()
    assert image == (QTI / "text2qti" / "nile.png").read_bytes()
    stub = (course / "modules" / "02-rivers-of-africa.md").read_text()
    assert "\ntitle: Rivers of Africa\n" in stub
    assert "\nsummary: A short check on African rivers.\n" in stub  # Canvas's quiz description
    check = runner.invoke(main, ["validate", str(course)])
    assert check.exit_code == 0, check.output


def test_what_text2qti_writes_and_coursegen_cannot_carry_is_warned(
    runner, course_copy, tmp_path, monkeypatch
):
    package = _text2qti_zip(tmp_path, monkeypatch)
    [member] = [n for n in _members(package) if n.endswith(".xml") and "/" in n and "meta" not in n]
    course = course_copy("minimal")
    result = _import(runner, course, package)
    at = f"{package}:{member}"
    warned = [
        line[len(at) :]
        for line in result.output.splitlines()
        if line.startswith(at) and ("-import]" in line or "[not-imported]" in line)
    ]
    assert warned == [
        ":185:1: warning: question 'nile-north': its feedback general_incorrect_fb is left out: "
        "coursegen shows an answer's own feedback and the explanation, after any answer "
        "[lossy-import]",
        ":364:1: warning: question 'essay' (essay_question) is not imported: an essay is marked "
        "by a person [not-imported]",
        ":406:1: warning: question 'upload' (file_upload_question) is not imported: a file "
        "upload is marked by a person [not-imported]",
    ]


def _zip(tmp_path: Path, members: dict[str, bytes]) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    path = tmp_path / "package.zip"
    path.write_bytes(buffer.getvalue())
    return path


MANIFEST = b"""<?xml version="1.0"?>
<manifest identifier="m"><resources>
  <resource identifier="quiz" type="imsqti_xmlv1p2"><file href="%s"/></resource>
</resources></manifest>
"""


def test_broken_xml_inside_a_package_is_located_and_writes_nothing(runner, course_copy, tmp_path):
    package = _zip(
        tmp_path,
        {
            "imsmanifest.xml": MANIFEST % b"quiz/quiz.xml",
            "quiz/quiz.xml": b"<questestinterop>\n  <assessment ident='a'>\n</questestinterop>\n",
        },
    )
    course = course_copy("minimal")
    before = _files(course)
    result = _import(runner, course, package)
    assert result.exit_code == 1
    assert result.output == (
        f"{package}:quiz/quiz.xml:3:19: error: not well-formed XML: Opening and ending tag "
        "mismatch: assessment line 2 and questestinterop [qti-xml]\n"
        "Error: nothing imported from package.zip: 1 error\n"
    )
    assert _files(course) == before


@pytest.mark.parametrize(
    ("members", "message"),
    [
        (
            {"readme.txt": b"no quiz here"},
            "{zip}: no QTI 1.2 in this zip: its imsmanifest.xml lists no imsqti_xmlv1p2 "
            "resource (or, with no manifest, no XML file is a <questestinterop>); export the "
            "quiz or question bank as QTI 1.2",
        ),
        (
            {"imsmanifest.xml": MANIFEST % b"../../etc/passwd"},
            "{zip}:imsmanifest.xml:3:1: error: the resource's file '../../etc/passwd' is not "
            "in the package",
        ),
        (
            {"imsmanifest.xml": MANIFEST % b"/etc/passwd", "etc/passwd": b"<questestinterop/>"},
            "{zip}:imsmanifest.xml:3:1: error: the resource's file '/etc/passwd' is not in "
            "the package",
        ),
        (
            {"imsmanifest.xml": MANIFEST % b"quiz.xml", "quiz.xml": b" " * (50 * 2**20 + 1)},
            "{zip}:quiz.xml: unpacks to more than 50 MiB (or the package to more than 200 MiB): "
            "too large for a QTI package",
        ),
        (
            {"imsmanifest.xml": b"<manifest><resources>\n</manifest>"},
            "{zip}:imsmanifest.xml:2:12: error: imsmanifest.xml is not well-formed XML: Opening "
            "and ending tag mismatch: resources line 1 and manifest",
        ),
    ],
    ids=["no-qti", "climbs-out", "absolute", "too-large", "broken-manifest"],
)
def test_a_package_that_is_not_qti_or_unsafe_is_refused(
    runner, course_copy, tmp_path, members, message
):
    package = _zip(tmp_path, members)
    course = course_copy("minimal")
    before = _files(course)
    result = _import(runner, course, package)
    assert result.exit_code == 1
    assert result.output == f"Error: {message.format(zip=package)}\n"
    assert _files(course) == before


def test_an_image_outside_the_package_is_not_read(runner, course_copy, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG not to be read")
    item = (
        "<questestinterop><assessment ident='a' title='Maps'><section ident='s'>"
        "<item ident='i' title='map'><presentation><material><mattext texttype='text/html'>"
        f"&lt;p&gt;A map: &lt;img src='../{secret.name}' alt='x'&gt;&lt;/p&gt;</mattext>"
        "</material><response_lid ident='r' rcardinality='Single'><render_choice>"
        "<response_label ident='t'><material><mattext>True</mattext></material>"
        "</response_label><response_label ident='f'><material><mattext>False</mattext>"
        "</material></response_label></render_choice></response_lid></presentation>"
        "<resprocessing><respcondition><conditionvar><varequal respident='r'>t</varequal>"
        "</conditionvar><setvar>100</setvar></respcondition></resprocessing></item>"
        "</section></assessment></questestinterop>"
    )
    package = _zip(tmp_path, {"imsmanifest.xml": MANIFEST % b"a.xml", "a.xml": item.encode()})
    course = course_copy("minimal")
    result = _import(runner, course, package)
    assert result.exit_code == 1
    # Left as written, the reference names no file of the course: the import stops there.
    assert (
        f"{package}:a.xml:1:1: error: image '../secret.png' does not exist [image-missing]\n"
    ) in result.output
    assert not (course / "question_banks" / "images").exists()


def test_a_lone_questestinterop_with_no_item_imports_nothing(runner, course_copy, tmp_path):
    qti = tmp_path / "bank.xml"
    qti.write_text("<questestinterop></questestinterop>\n")
    result = _import(runner, course_copy("minimal"), qti)
    assert result.exit_code == 1
    assert result.output == f"Error: {qti}: no question that coursegen can import\n"


def test_xml_of_another_kind_is_refused_by_name(runner, course_copy, tmp_path):
    other = tmp_path / "page.xml"
    other.write_text("<html><body/></html>\n")
    result = _import(runner, course_copy("minimal"), other)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {other}: not a format coursegen can import (it reads Moodle XML, whose root "
        "element is <quiz>; GIFT text; QTI 1.2, a package (zip) or a <questestinterop> file; "
        "and CSV files)\n"
    )


def test_a_canvas_item_bank_imports_as_a_bank(runner, course_copy):
    course = course_copy("minimal")
    xml = QTI / "canvas-bank.xml"
    result = _import(runner, course, xml)
    assert result.exit_code == 0, result.output
    assert (course / "question_banks" / "weather-words.yaml").read_text() == (
        "# Imported from canvas-bank.xml by coursegen import.\n"
        "module: weather-words\n"
        "questions:\n"
        "  - id: warm-air-and-cold-air\n"
        "    type: cloze\n"
        "    prompt: Warm air {{rises|goes up}} and cold air {{sinks}}.\n"
        "    explanation: Warm air is lighter than cold air.\n"
        "    objectives: [weather-words-objective]\n"
        "    source: Warm air is lighter than cold air.\n"
        "  - id: clouds\n"
        "    type: matching\n"
        "    prompt: Match each cloud with its height.\n"
        "    pairs:\n"
        "      - left: Cirrus\n"
        "        right: high\n"
        "      - left: Stratus\n"
        "        right: low\n"
        "    explanation: 'TO DO (coursegen import): write why the right answer is right.'\n"
        "    objectives: [weather-words-objective]\n"
        "    source: 'TO DO (coursegen import): write why the right answer is right.'\n"
        "  - id: fog-is-a-cloud-on-the-ground\n"
        "    type: true_false\n"
        "    prompt: Fog is a cloud on the ground.\n"
        "    answer: true\n"
        "    explanation: 'TO DO (coursegen import): write why the right answer is right.'\n"
        "    objectives: [weather-words-objective]\n"
        "    source: 'TO DO (coursegen import): write why the right answer is right.'\n"
        "  - id: winds\n"
        "    type: matching\n"
        "    prompt: Match each wind with where it blows.\n"
        "    pairs:\n"
        "      - left: Sirocco\n"
        "        right: Sahara\n"
        "      - left: Foehn\n"
        "        right: Alps\n"
        "    explanation: 'TO DO (coursegen import): write why the right answer is right.'\n"
        "    objectives: [weather-words-objective]\n"
        "    source: 'TO DO (coursegen import): write why the right answer is right.'\n"
    )
    warned = [line for line in result.output.splitlines() if "-import" in line]
    assert warned[-5:] == [
        f"{xml}:38:1: warning: question 'Clouds': answers that match no item are left out: "
        "underground [lossy-import]",
        f"{xml}:38:1: warning: question 'Clouds': its feedback 301_fb is left out: coursegen "
        "shows an answer's own feedback and the explanation, after any answer [lossy-import]",
        f"{xml}:70:1: warning: question 'Fog is a [drop1] cloud.' (multiple_dropdowns_question) "
        "is not imported: coursegen's cloze gaps are typed answers, not drop-down lists "
        "[not-imported]",
        f"{xml}:78:1: warning: question 'Dew point' (calculated_question) is not imported: "
        "coursegen has no calculated type [not-imported]",
        f"{xml}:104:1: warning: question 'Winds': the item 'Mistral' has no answer scored "
        "right, so it is left out [lossy-import]",
    ]


def test_an_item_left_out_brings_no_image(runner, course_copy, tmp_path):
    png = (QTI / "text2qti" / "nile.png").read_bytes()
    items = (
        "<questestinterop><assessment ident='a' title='Maps'><section ident='s'>"
        "<item ident='t' title='Question'><presentation><material><mattext texttype='text/html'>"
        "&lt;p&gt;Look: &lt;img src='$IMS-CC-FILEBASE$/images/map.png' alt='A map'&gt;&lt;/p&gt;"
        "</mattext></material></presentation></item>"
        "<item ident='i' title='north'><presentation><material><mattext>The Nile flows north."
        "</mattext></material><response_lid ident='r' rcardinality='Single'><render_choice>"
        "<response_label ident='t'><material><mattext>True</mattext></material>"
        "</response_label><response_label ident='f'><material><mattext>False</mattext>"
        "</material></response_label></render_choice></response_lid></presentation>"
        "<resprocessing><respcondition><conditionvar><varequal respident='r'>t</varequal>"
        "</conditionvar><setvar>100</setvar></respcondition></resprocessing></item>"
        "</section></assessment></questestinterop>"
    )
    package = _zip(
        tmp_path,
        {"imsmanifest.xml": MANIFEST % b"a.xml", "a.xml": items.encode(), "images/map.png": png},
    )
    course = course_copy("minimal")
    result = _import(runner, course, package)
    assert result.exit_code == 0, result.output
    assert (
        f"{package}:a.xml:1:1: warning: question 'Look:' (text_only_question) is not imported: "
        "it is text with no answer [not-imported]"
    ) in result.output
    assert not (course / "question_banks" / "images").exists()


TIDES_ITEM = (
    "<item ident='tides' title='Question'><presentation><material><mattext>The moon raises "
    "the tides.</mattext></material><response_lid ident='r' rcardinality='Single'>"
    "<render_choice><response_label ident='t'><material><mattext>True</mattext></material>"
    "</response_label><response_label ident='f'><material><mattext>False</mattext>"
    "</material></response_label></render_choice></response_lid></presentation>"
    "<resprocessing><respcondition><conditionvar><varequal respident='r'>t</varequal>"
    "</conditionvar><setvar>100</setvar></respcondition></resprocessing></item>\n"
)


@pytest.mark.parametrize(
    ("text", "module"),
    [
        (
            f"<assessment ident='a' title='Tides'><section ident='s'>{TIDES_ITEM}</section>"
            "</assessment>\n",
            "tides",
        ),
        (TIDES_ITEM, "sea"),
    ],
    ids=["assessment", "item"],
)
def test_a_file_may_hold_one_assessment_or_item_alone(runner, course_copy, tmp_path, text, module):
    qti = tmp_path / "sea.xml"
    qti.write_text(text)
    course = course_copy("minimal")
    result = _import(runner, course, qti)
    assert result.exit_code == 0, result.output
    assert f"module {module}: 1 question imported\n" in result.output
    bank = (course / "question_banks" / f"{module}.yaml").read_text()
    assert "  - id: the-moon-raises-the-tides\n    type: true_false\n" in bank
