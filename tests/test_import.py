"""`coursegen import`: Moodle XML and GIFT into banks, validated before anything is written."""

import re
import shutil
from pathlib import Path

import pytest

from coursegen.build import check_course
from coursegen.cli import main
from coursegen.importers import detect
from coursegen.media import image_bytes

from .conftest import FIXTURES

IMPORT = FIXTURES / "import"
ROOT = Path(__file__).parent.parent


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _import(runner, course: Path, xml: Path, *more: str):
    return runner.invoke(main, ["import", str(xml), "--course", str(course), *more])


def test_moodle_categories_become_banks_and_module_stubs(runner, course_copy):
    course = course_copy("minimal")
    result = _import(runner, course, IMPORT / "bank.xml")
    assert result.exit_code == 0, result.output
    out = result.output.splitlines()
    assert "module rivers-and-lakes: 4 questions imported" in out
    assert "module mountains: 3 questions imported" in out
    manifest = (course / "modules" / "course.yaml").read_text()
    assert "modules: [basics, rivers-and-lakes, mountains]\n" in manifest
    stub = (course / "modules" / "02-rivers-and-lakes.md").read_text()
    assert stub.startswith(
        "---\nid: rivers-and-lakes\ntitle: Rivers and Lakes\nobjectives:\n"
        "  - id: rivers-and-lakes-objective\n"
        "    text: 'TO DO (coursegen import): write what a learner can do after this module.'\n"
        "summary: Where **fresh water** runs and rests.\n---\n"
    )
    assert "\nThe Nile is about 6,650 km long. It flows north.\n" in stub
    check = runner.invoke(main, ["validate", str(course)])
    assert check.output.endswith("ok: 3 modules, 8 questions, 0 flashcards, 2 warnings\n")
    assert (
        f"{course}/modules/02-rivers-and-lakes.md:6:1: warning: this module is a stub written "
        "by coursegen import: its objective, summary or lesson is still to be written "
        "[import-stub]"
    ) in check.output


def test_moodle_questions_map_to_coursegen_types(runner, course_copy):
    course = course_copy("minimal")
    assert _import(runner, course, IMPORT / "bank.xml").exit_code == 0
    bank = (course / "question_banks" / "rivers-and-lakes.yaml").read_text()
    assert (
        "  - id: q-a-1\n"
        "    type: single_choice\n"
        "    prompt: Which river is the **longest** in Africa?\n"
        "    options:\n"
        "      - text: The Nile\n"
        "        correct: true\n"
        "        feedback: 'Right: it is the *longest*.'\n"
        "      - text: The Congo\n"
        "        feedback: The Congo is the deepest, not the longest.\n"
        "    shuffle: false\n"
        "    explanation: The Nile is about 6,650 km long. It flows north.\n"
        "    objectives: [rivers-and-lakes-objective]\n"
        "    difficulty: easy\n"
        "    tags: [rivers-of-africa]\n"
        "    source: The Nile is about 6,650 km long.\n"
    ) in bank
    assert "alert" not in bank  # the <script> is gone, not turned into text
    assert "    answers: [Cairo, Al-Qahira]\n    case_sensitive: true\n" in bank
    assert (
        "    prompt: The Nile flows into the {{Mediterranean|Mediterranean Sea}} and the "
        "Amazon into the {{Atlantic}}.\n"
    ) in bank
    mountains = (course / "question_banks" / "mountains.yaml").read_text()
    assert "    type: true_false\n    prompt: Everest is the highest" in mountains
    assert "    items: [Everest, K2, Kangchenjunga]\n" in mountains
    assert "      - left: Andes\n        right: South America\n" in mountains


def test_moodle_images_are_saved_by_content(runner, course_copy):
    course = course_copy("minimal")
    assert _import(runner, course, IMPORT / "bank.xml").exit_code == 0
    bank = (course / "question_banks" / "rivers-and-lakes.yaml").read_text()
    images = list((course / "question_banks" / "images").iterdir())
    assert [p.name for p in images] == ["nile-map.png"]
    assert images[0].read_bytes().startswith(b"\x89PNG")
    assert "![A map of the Nile](images/nile-map.png)" in bank


def test_what_coursegen_cannot_express_is_warned_about(runner, course_copy):
    course = course_copy("minimal")
    result = _import(runner, course, IMPORT / "bank.xml")
    xml = IMPORT / "bank.xml"
    warnings = [line for line in result.output.splitlines() if line.startswith(f"{xml}:")]
    assert warnings == [
        f"{xml}:14:1: warning: Moodle keeps no objectives: 4 questions imported into module "
        "'rivers-and-lakes', each assessing its objective 'rivers-and-lakes-objective' "
        "[default-objective]",
        f"{xml}:43:1: warning: question 'Capital on the Nile' (shortanswer): answers worth "
        "part of the grade are left out: Giza [lossy-import]",
        f"{xml}:59:1: warning: question 'Choice cloze' (cloze) is not imported: its MULTICHOICE "
        "answers have no equivalent in coursegen's cloze, whose gaps are typed answers "
        "[not-imported]",
        f"{xml}:64:1: warning: question 'Dams essay' (essay) is not imported: an essay is "
        "marked by a person [not-imported]",
        f"{xml}:71:1: warning: Moodle keeps no objectives: 3 questions imported into module "
        "'mountains', each assessing its objective 'mountains-objective' [default-objective]",
    ]


def test_broken_xml_is_a_line_error_and_writes_nothing(runner, course_copy):
    course = course_copy("minimal")
    before = _files(course)
    result = _import(runner, course, IMPORT / "broken.xml")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {IMPORT / 'broken.xml'}:6:1: error: not well-formed XML: expected '>'\n"
    )
    assert _files(course) == before


def test_nothing_is_overwritten_without_force(runner, course_copy):
    course = course_copy("minimal")
    assert _import(runner, course, IMPORT / "bank.xml").exit_code == 0
    before = _files(course)
    again = _import(runner, course, IMPORT / "bank.xml", "--module", "basics")
    assert again.exit_code == 1
    assert again.output.startswith(f"Error: {course}/question_banks/basics.yaml: already exists")
    assert _files(course) == before


def test_an_invalid_import_writes_nothing(runner, course_copy):
    course = course_copy("minimal")
    before = _files(course)
    # Into a module that exists, whose lesson quotes none of the feedback: no source.
    result = _import(runner, course, IMPORT / "bank.xml", "--module", "basics", "--force")
    assert result.exit_code == 1
    assert "error: source quotation not found in module 'basics' [source-not-found]" in (
        result.output
    )
    assert "import into a new module (--module NEW-ID)" in result.output
    assert _files(course) == before


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (b'<?xml version="1.0"?>\n<!-- x -->\n<quiz>', "Moodle XML"),
        (b"<questestinterop>", "QTI 1.2"),
        (b"PK\x03\x04rest", "QTI 1.2"),
        (b"::Q1:: What is 2+2? {=4 ~5}", "GIFT"),
    ],
)
def test_formats_are_recognised_by_content(text, kind):
    assert detect(Path("questions.txt"), text) == kind


def test_csv_goes_to_import_csv(runner, course_copy):
    course = course_copy("minimal")
    sheet = FIXTURES / "questions.csv"
    result = _import(runner, course, sheet, "--module", "basics", "--force")
    assert result.exit_code == 0, result.output
    assert result.output.endswith(f"wrote {course}/question_banks/basics.yaml: 6 questions\n")


def _questions(course_dir: Path) -> dict[str, dict]:
    course, diagnostics = check_course(str(course_dir))
    assert course is not None, diagnostics
    return {q.id: _comparable(q) for q in course.questions}


def _comparable(q) -> dict:
    """What Moodle XML carries of a question (not its objectives, source or module)."""
    skip = {"objectives", "source", "module_id", "pos", "images", "shuffle"}
    found = {k: v for k, v in vars(q).items() if k not in skip and not k.startswith("_")}
    # An image comes back under a name made from its content, as the course publishes it.
    found["prompt"] = re.sub(r"\]\([^)]*\)", "](image)", q.prompt)
    return found | {"images": [image_bytes(image.path) for image in q.images]}


@pytest.mark.parametrize("name", ["full", "shipped"])
def test_round_trip_through_moodle_xml(runner, course_copy, tmp_path, name):
    source = ROOT if name == "shipped" else FIXTURES / name
    built = runner.invoke(main, ["build", str(source), "-f", "moodle", "-o", str(tmp_path / "out")])
    assert built.exit_code == 0, built.output
    [xml] = (tmp_path / "out").glob("*-moodle.xml")
    course = course_copy("minimal")
    shutil.rmtree(course / "question_banks")
    (course / "question_banks").mkdir()
    result = _import(runner, course, xml)
    assert result.exit_code == 0, result.output
    original, imported = _questions(source), _questions(course)
    assert {k: v for k, v in imported.items() if k in original} == original


def _quiz(tmp_path: Path, body: str) -> Path:
    xml = tmp_path / "quiz.xml"
    xml.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n{body}</quiz>\n')
    return xml


def test_a_question_without_feedback_gets_an_explanation_to_write(runner, course_copy, tmp_path):
    course = course_copy("minimal")
    xml = _quiz(
        tmp_path,
        '  <question type="truefalse">\n'
        "    <name><text>Tides</text></name>\n"
        "    <questiontext><text>The moon raises the tides.</text></questiontext>\n"
        '    <answer fraction="100"><text>true</text></answer>\n'
        '    <answer fraction="0"><text>false</text></answer>\n'
        "  </question>\n",
    )
    result = _import(runner, course, xml, "--module", "tides")
    assert result.exit_code == 0, result.output
    bank = (course / "question_banks" / "tides.yaml").read_text()
    assert (
        "    explanation: 'TO DO (coursegen import): write why the right answer is right.'\n"
    ) in bank
    check = runner.invoke(main, ["validate", str(course)])
    assert (
        f"{course}/question_banks/tides.yaml:8:18: warning: question 'tides' came from "
        "coursegen import with no explanation [import-stub]"
    ) in check.output


def test_a_fraction_that_is_not_a_number_is_a_line_error(runner, course_copy, tmp_path):
    course = course_copy("minimal")
    before = _files(course)
    xml = _quiz(
        tmp_path,
        '  <question type="truefalse">\n'
        "    <name><text>Tides</text></name>\n"
        '    <answer fraction="all"><text>true</text></answer>\n'
        "  </question>\n",
    )
    result = _import(runner, course, xml)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {xml}:5:1: error: the answer's fraction 'all' is not a number (Moodle writes "
        "a percentage, such as 100 or 50)\n"
    )
    assert _files(course) == before


def test_with_output_the_images_go_beside_the_bank(runner, course_copy):
    course = course_copy("minimal")
    out = course / "question_banks" / "imported" / "rivers.yaml"
    result = _import(runner, course, IMPORT / "bank.xml", "--module", "rivers", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "![A map of the Nile](images/nile-map.png)" in out.read_text()
    assert (out.parent / "images" / "nile-map.png").read_bytes().startswith(b"\x89PNG")


def test_gift_categories_become_banks_of_coursegen_types(runner, course_copy):
    course = course_copy("minimal")
    result = _import(runner, course, IMPORT / "bank.gift")
    assert result.exit_code == 0, result.output
    assert "module rivers-and-lakes: 4 questions imported" in result.output
    assert "module mountains: 3 questions imported" in result.output
    mountains = (course / "question_banks" / "mountains.yaml").read_text()
    assert (
        "  - id: height\n"
        "    type: numeric\n"
        "    prompt: How high is Everest, in metres?\n"
        "    answer: 8849\n"
        "    tolerance: 1\n"
    ) in mountains
    rivers = (course / "question_banks" / "rivers-and-lakes.yaml").read_text()
    assert rivers.startswith(
        "# Imported from bank.gift by coursegen import.\n"
        "module: rivers-and-lakes\n"
        "questions:\n"
        "  - id: nile-length\n"
        "    type: single_choice\n"
        "    prompt: How long is the Nile?\n"
        "    options:\n"
        "      - text: About 6,650 km\n"
        "        correct: true\n"
        "      - text: About 1,200 km\n"
        "        correct: false\n"
        "        feedback: 'Far too short: that is a smaller river.'\n"
        "      - text: About 20,000 km\n"
        "        correct: false\n"
        "        feedback: Longer than any river on Earth.\n"
        "    explanation: The Nile is about 6,650 km long.\n"
        "    objectives: [rivers-and-lakes-objective]\n"
        "    difficulty: easy\n"
        "    tags: [rivers]\n"
        "    source: The Nile is about 6,650 km long.\n"
        "  - id: nile-direction\n"
        "    type: true_false\n"
    )
    # HTML becomes Markdown; answers that differ only in case are one answer to coursegen.
    assert (
        "    prompt: Which lake is the **longest** in Africa?\n"
        "    answers:\n      - Tanganyika\n      - Lake Tanganyika\n"
    ) in rivers
    assert "    prompt: The Nile ends in the {{Mediterranean}} Sea.\n" in rivers
    mountains = (course / "question_banks" / "mountains.yaml").read_text()
    assert "      - left: Mont Blanc\n        right: Alps\n" in mountains
    assert "    type: multiple_response\n" in mountains
    assert "modules: [basics, rivers-and-lakes, mountains]\n" in (
        (course / "modules" / "course.yaml").read_text()
    )
    stub = (course / "modules" / "03-mountains.md").read_text()
    assert "The questions below were imported from GIFT, which keeps no lesson" in stub


def test_what_gift_cannot_carry_is_warned_about_at_its_line(runner, course_copy):
    course = course_copy("minimal")
    gift = IMPORT / "bank.gift"
    result = _import(runner, course, gift)
    warned = [line for line in result.output.splitlines() if "[gift-not-carried]" in line]
    assert warned == [
        f"{gift}:36:1: warning: GIFT question 'Essay' (essay): coursegen has no essay question; "
        "the question is left out [gift-not-carried]",
    ]


def test_broken_gift_is_a_located_error_and_writes_nothing(runner, course_copy, tmp_path):
    course = course_copy("minimal")
    before = _files(course)
    gift = tmp_path / "broken.gift"
    gift.write_text("::Q::Pick one {=a ~b\n\n::R::Or this {=c ~d ~%x%e}\n")
    result = _import(runner, course, gift)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert [line for line in lines if ": error: " in line] == [
        f"{gift}:1:15: error: '{{' is never closed: the answers of a question end with '}}' "
        "[gift-syntax]",
        f"{gift}:3:23: error: the weight 'x' is not a number from -100 to 100 [gift-syntax]",
    ]
    assert lines[-1] == "Error: nothing imported from broken.gift: 2 errors"
    assert _files(course) == before


def _emptied(source: Path, target: Path) -> Path:
    """The course at ``source`` with its manifest and nothing else: no modules, no banks.
    An import fills it with a module per category, as the course that was exported had."""
    (target / "question_banks").mkdir(parents=True)
    (target / "modules").mkdir()
    manifest = (source / "modules" / "course.yaml").read_text("utf-8")
    listed = r"^modules:(?:[ \t]*\[[^\]]*\]|(?:\n[ \t]+-.*)+)$"
    emptied = re.sub(listed, "modules: []", manifest, flags=re.M)
    assert emptied != manifest
    (target / "modules" / "course.yaml").write_text(emptied, "utf-8")
    return target


def _built(runner, course: Path, out: Path, fmt: str) -> Path:
    result = runner.invoke(main, ["build", str(course), "-f", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    [built] = out.glob({"moodle": "*-moodle.xml", "gift": "*.gift"}[fmt])
    return built


@pytest.mark.parametrize("fmt", ["moodle", "gift"])
@pytest.mark.parametrize("name", ["full", "specials", "arabic", "shipped"])
def test_an_export_built_again_after_its_import_is_the_same(runner, tmp_path, name, fmt):
    source = ROOT if name == "shipped" else FIXTURES / name
    first = _built(runner, source, tmp_path / "first", fmt)
    course = _emptied(source, tmp_path / "course")
    result = _import(runner, course, first)
    assert result.exit_code == 0, result.output
    second = _built(runner, course, tmp_path / "second", fmt)
    assert second.read_text("utf-8") == first.read_text("utf-8")
