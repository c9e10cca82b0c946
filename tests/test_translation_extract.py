"""`coursegen translate extract`: PO files that translators' tools open, kept in step."""

import io
import shutil
import subprocess

import pytest
from babel.messages.pofile import read_po, write_po

from coursegen.cli import main
from coursegen.errors import ValidationFailed
from coursegen.translation.extract import extract


def read(path):
    with path.open("rb") as file:
        return read_po(file)


def entries(path):
    """(msgctxt, msgid, msgstr) of each entry, in the file's order."""
    return [(m.context, m.id, m.string) for m in read(path) if m.id]


def note(message):
    return " ".join(message.auto_comments)


def fill(path, translate=lambda m: "AR " + m.id):
    """Translate every entry of a PO file as a translator's tool would save it."""
    catalog = read(path)
    for message in catalog:
        if message.id:
            message.string = translate(message)
    buffer = io.BytesIO()
    write_po(buffer, catalog, include_previous=True)
    path.write_bytes(buffer.getvalue())


def test_extract_writes_a_po_file_per_module_and_one_for_the_manifest(course_copy, runner):
    course = course_copy("full")
    result = runner.invoke(main, ["translate", "extract", "--lang", "ar", str(course)])
    assert result.exit_code == 0, result.output
    folder = course / "modules" / "translations" / "ar"
    assert result.output.splitlines() == [
        f"wrote {folder}/course.po: 2 texts: 2 to translate",
        f"wrote {folder}/water.po: 56 texts: 56 to translate",
        f"wrote {folder}/weather.po: 18 texts: 18 to translate",
    ]
    weather = read(folder / "weather.po")
    assert str(weather.locale) == "ar"
    # A note is one comment, which the file wraps over lines.
    found = [(m.context, m.id, m.locations, note(m)) for m in weather if m.id]
    md, bank = "modules/02-weather.md", "question_banks/weather.yaml"
    name, question = "module 2 ('weather')", "question 'we-pressure' (single choice)"
    numeric = "question 'we-sea-level' (numeric)"
    assert found == [
        ("module:weather:title", "Weather", [(md, 3)], f"The title of {name}."),
        (
            "module:weather:objective:name-instruments",
            "Name the instruments that measure weather.",
            [(md, 6)],
            f"Learning objective 'name-instruments' of {name}.",
        ),
        (
            "module:weather:term:1",
            "Air pressure",
            [(md, 8)],
            f"Key term 1 of {name}. Give it one translation, and use that wherever the course "
            "uses the term.",
        ),
        (
            "module:weather:term:1:definition",
            "The weight of the air above a place, which barometers measure.",
            [(md, 9)],
            f"The definition of the key term 'Air pressure' of {name}.",
        ),
        (
            "module:weather:summary",
            "Thermometers measure temperature and barometers measure air pressure.",
            [(md, 10)],
            f"The summary of {name}.",
        ),
        (
            "module:weather:body",
            "## Instruments",
            [(md, 13)],
            f"A heading of the lesson of {name}.",
        ),
        (
            "module:weather:body",
            "A thermometer measures temperature. A barometer measures air pressure.\n"
            "At sea level the air pressure is about 1013 hectopascals.",
            [(md, 15)],
            f"A paragraph, list or table of the lesson of {name}, under the heading 'Instruments'.",
        ),
        (
            "question:we-pressure:prompt",
            "Which instrument measures air pressure?",
            [(bank, 5)],
            f"The text of {question}.",
        ),
        (
            "question:we-pressure:option:1",
            "Barometer",
            [(bank, 7)],
            f"Option 1 of {question}: a right answer.",
        ),
        (
            "question:we-pressure:option:2",
            "Thermometer",
            [(bank, 9)],
            f"Option 2 of {question}: a wrong answer.",
        ),
        (
            "question:we-pressure:explanation",
            "A barometer measures air pressure.",
            [(bank, 10)],
            f"The explanation of {question}, shown after the answer.",
        ),
        (
            "question:we-pressure:source",
            "A barometer measures air pressure.",
            [(bank, 13)],
            f"The passage of the lesson that supports the answer to {question}: give the words "
            "of your translation of the lesson that say this, exactly as they stand there, so "
            "that the question links to them.",
        ),
        (
            "question:we-sea-level:prompt",
            "What is the usual air pressure at sea level?",
            [(bank, 16)],
            f"The text of {numeric}.",
        ),
        (
            "question:we-sea-level:unit",
            "hPa",
            [(bank, 17)],
            f"The unit of the figure that answers {numeric}, shown beside the answer field; a "
            "learner may type it after the figure, so write it as learners would (an "
            "abbreviation such as km).",
        ),
        (
            "question:we-sea-level:answer:1:feedback",
            "Right, about 1013 hectopascals.",
            [(bank, 21)],
            f"The feedback on figure 1 (1013) of {numeric}, shown to a learner who types it: a "
            "right answer.",
        ),
        (
            "question:we-sea-level:answer:2:feedback",
            "That is the pressure in kilopascals; the question asks for hectopascals.",
            [(bank, 25)],
            f"The feedback on figure 2 (101.3) of {numeric}, shown to a learner who types it: a "
            "known wrong answer.",
        ),
        (
            "question:we-sea-level:explanation",
            "At sea level the air pressure is about 1013 hectopascals.",
            [(bank, 26)],
            f"The explanation of {numeric}, shown after the answer.",
        ),
        (
            "question:we-sea-level:source",
            "At sea level the air pressure is about 1013 hectopascals",
            [(bank, 29)],
            f"The passage of the lesson that supports the answer to {numeric}: give the words "
            "of your translation of the lesson that say this, exactly as they stand there, so "
            "that the question links to them.",
        ),
    ]


def test_extract_gives_every_kind_of_text_its_own_entry(course_copy):
    course = course_copy("full")
    extract(course, "ar")
    water = {m.context: m for m in read(course / "modules/translations/ar/water.po") if m.id}
    expected = {
        "question:wc-stage-first:option:1:feedback": "Yes, the sun heats the oceans first.",
        "question:wc-cloze:prompt": "Rising vapour cools and {{condenses|condensates}} into "
        "{{clouds}}.",
        "question:wc-vapour-name:answer:2": "evaporating",
        "question:wc-match:pair:2:right": "Vapour forms clouds",
        "question:wc-order:item:3": "Precipitation",
        "flashcard:fc-evaporation:back": "Water turning from liquid into vapour when it is heated.",
        "module:water:topic:2": "Air pressure",
    }  # fmt: skip
    assert {context: water[context].id for context in expected} == expected
    assert "module:water:topic:1" not in water  # 'weather' names a module: it is no text
    assert [note(water["question:wc-cloze:prompt"])] == [
        "The text of question 'wc-cloze' (fill in the blanks). Translate the text and the "
        "answers inside each {{gap}}; keep every gap, in any order the sentence needs, and "
        "separate the answers a gap accepts with '|'."
    ]
    assert water["question:wc-cloze:prompt"].flags == set()  # never 'python-format'
    body = [
        m.id
        for m in read(course / "modules/translations/ar/water.po")
        if m.context == "module:water:body"
    ]
    assert body == [
        "## Stages",
        "The sun heats the oceans and water *evaporates* into the air.\n"
        "As the vapour rises it cools and condenses into clouds.",
        "1. Evaporation\n2. Condensation\n3. Precipitation",
        "![Diagram of the water cycle from evaporation to rain](images/cycle.svg)",
        "## Why it matters",
        "Rain refills rivers, lakes and the ground water that people drink.",
    ]  # fmt: skip


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
def test_gettext_reads_the_files_without_a_complaint(course_copy):
    course = course_copy("full")
    extract(course, "ar")
    fill(course / "modules/translations/ar/water.po")
    for path in sorted((course / "modules/translations/ar").iterdir()):
        done = subprocess.run(
            ["msgfmt", "--check-format", "--check-domain", "-o", "/dev/null", str(path)],
            capture_output=True,
            text=True,
        )
        assert (done.returncode, done.stderr) == (0, "")


def test_extract_again_keeps_translations_marks_changed_texts_and_keeps_removed_ones(course_copy):
    course = course_copy("full")
    extract(course, "ar")
    po = course / "modules/translations/ar/water.po"
    fill(po)
    bank = course / "question_banks/water.yaml"
    text = bank.read_text().replace(
        "The sun drives evaporation.", "The sun drives most evaporation."
    )
    bank.write_text(text[: text.index("  - id: fc-condensation")])
    lesson = course / "modules/01-water.md"
    lesson.write_text(lesson.read_text().replace("rivers, lakes", "rivers, streams, lakes"))
    written = extract(course, "ar")
    assert [(w.path.rsplit("/", 1)[1], w.changed) for w in written] == [
        ("course.po", False), ("water.po", True), ("weather.po", False),
    ]  # fmt: skip
    catalog = read(po)
    prompt = catalog.get("The sun drives most evaporation.", context="question:wc-sun:prompt")
    assert (prompt.string, prompt.fuzzy, prompt.user_comments) == (
        "AR The sun drives evaporation.", True, ['| msgid "The sun drives evaporation."'],
    )  # fmt: skip
    block = catalog.get(
        "Rain refills rivers, streams, lakes and the ground water that people drink.",
        context="module:water:body",
    )
    assert (block.string, block.fuzzy) == (
        "AR Rain refills rivers, lakes and the ground water that people drink.", True,
    )  # fmt: skip
    kept = catalog.get("Evaporation", context="question:wc-order:item:1")
    assert (kept.string, kept.fuzzy) == ("AR Evaporation", False)
    assert sorted((m.context, m.string) for m in catalog.obsolete.values()) == [
        (
            "flashcard:fc-condensation:back",
            "AR " + "Vapour cooling back into droplets that form clouds.",
        ),
        ("flashcard:fc-condensation:front", "AR Condensation"),
    ]
    assert '#~ msgctxt "flashcard:fc-condensation:front"' in po.read_text()
    again = po.read_bytes()
    assert [w.changed for w in extract(course, "ar")] == [False, False, False]
    assert po.read_bytes() == again


def test_a_translation_file_that_cannot_be_read_is_never_written_over(course_copy):
    course = course_copy("full")
    extract(course, "ar")
    po = course / "modules/translations/ar/weather.po"
    lines = po.read_text().splitlines()
    broken = next(i for i, line in enumerate(lines) if line.startswith("msgstr") and i > 10)
    lines[broken] = 'msgtsr ""'
    po.write_text("\n".join(lines) + "\n")
    with pytest.raises(ValidationFailed) as failure:
        extract(course, "ar")
    assert [d.format() for d in failure.value.diagnostics] == [
        f"{course}/modules/translations/ar/weather.po:{broken + 1}:1: error: the translation file "
        "cannot be read: Unknown or misformatted keyword [translation-syntax]\n"
        "    hint: fix the file in a PO editor (Poedit, Lokalize) "
        "or restore it from version control"
    ]
    assert po.read_text() == "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Error: the course is written in 'en' already"),
        ("arabic!", "Error: 'arabic!' is not a language tag; write one such as 'ar' or 'fr'"),
    ],
)
def test_extract_refuses_a_language_it_cannot_translate_into(
    course_copy, runner, language, message
):
    course = course_copy("full")
    result = runner.invoke(main, ["translate", "extract", "--lang", language, str(course)])
    assert (result.exit_code, result.output.strip()) == (1, message)
    assert not (course / "modules" / "translations").exists()


LONG = (
    "Heat from the sun turns liquid water into vapour, which rises with the warm air until "
    "it cools high above the ground and gathers into the droplets that clouds are made of."
)


@pytest.mark.skipif(shutil.which("msgcat") is None, reason="GNU gettext is not installed")
def test_the_old_english_of_a_long_text_is_written_as_gettext_writes_it(course_copy):
    course = course_copy("full")
    bank = course / "question_banks/water.yaml"
    old = "explanation: Heat from the sun turns liquid water into vapour."
    bank.write_text(bank.read_text().replace(old, f"explanation: {LONG}"))
    extract(course, "ar")
    po = course / "modules/translations/ar/water.po"
    fill(po)
    bank.write_text(bank.read_text().replace("high above", "far above"))
    extract(course, "ar")
    text = po.read_text()
    assert (
        "#, fuzzy\n"
        '#| msgid ""\n'
        '#| "Heat from the sun turns liquid water into vapour, which rises with the "\n'
        '#| "warm air until it cools high above the ground and gathers into the "\n'
        '#| "droplets that clouds are made of."\n'
        'msgctxt "question:wc-sun:explanation"\n'
    ) in text
    # gettext reads it as the entry's previous msgid: unwrapped, it is one string again.
    unwrapped = subprocess.run(
        ["msgcat", "--no-wrap", str(po)], capture_output=True, text=True, check=True
    ).stdout
    assert f'#| msgid "{LONG}"\n' in unwrapped
    # A PO editor built on Babel saves it as '# |' comments, which still give the old text.
    fill(po, lambda m: m.string)
    from coursegen.translation import catalog

    found = catalog.read(course, "ar", str)
    (entry,) = [e for e in found.entries if e.message.context == "question:wc-sun:explanation"]
    assert entry.previous == LONG
    extract(course, "ar")
    assert po.read_text() == text
