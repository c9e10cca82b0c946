"""An Arabic build says nothing in English of its own: every interface string is Arabic.

The course is the fixture 'full' with a fake translation (every text 'AR ' + its English), so
an English interface string is one of the catalogue's English texts that no course text
holds. What is checked is what a reader sees: the pages' text and attributes (not scripts or
styles), the rendered Anki cards, the text of the Moodle XML, the GIFT file and QTI items.
"""

import html
import re
import shutil
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

from coursegen.build import build_course
from coursegen.i18n import en
from coursegen.translation.walk import course_units

from .anki_helpers import fresh_collection, import_apkg
from .test_translation_build import translated  # noqa: F401  (the fixture)

_SEEN_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder", "aria-roledescription"}
# Not read as words: scripts and styles, and code (the authored ids the answer key shows).
_UNSEEN = ("script", "style", "template", "code")


class _Visible(HTMLParser):
    """The text of a page that a reader sees or hears: no script, no style."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in _UNSEEN:
            self.hidden += 1
        self.parts += [v for k, v in attrs if k in _SEEN_ATTRIBUTES and v]

    def handle_endtag(self, tag):
        if tag in _UNSEEN:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible(page: str) -> str:
    parser = _Visible()
    parser.feed(page)
    return " ".join(parser.parts)


def english_strings(course) -> set[str]:
    """The catalogue's English texts (between placeholders) that no course text holds."""
    content = " ".join(u.source for u in course_units(course))
    found = set()
    for entry in en.STRINGS.values():
        for form in entry.values() if isinstance(entry, dict) else [entry]:
            for piece in re.split(r"\{[^}]*\}", form):
                piece = piece.strip(" .,:;()·—-?!")
                if re.search(r"[A-Za-z]{3}", piece) and not _holds(content, piece):
                    found.add(piece)
    return found


def _holds(text: str, piece: str) -> bool:
    """Whether ``text`` holds ``piece`` as words, not as part of an id ('wc-cloze')."""
    return re.search(rf"(?<![\w.-]){re.escape(piece)}(?![\w-])", text) is not None


# QTI true/false options stay 'True' and 'False': Canvas recognises the type by these texts
# (exporters/qti_items.py), and shows its own words for them.
_CANVAS = {"True", "False"}


def reader_texts(out, tmp_path, course_id: str = "full-course-ar") -> dict[str, str]:
    """What a reader of each output sees, by output file, for the course built as ``course_id``."""
    texts = {p.name: visible(p.read_text()) for p in (out / "html").glob("*.html")}
    texts |= {
        f"instructor/{p.name}": visible(p.read_text()) for p in (out / "instructor").glob("*.html")
    }
    moodle = ElementTree.parse(out / f"{course_id}-moodle.xml").getroot()
    for tags in moodle.iter("tags"):  # tags are slugs ('difficulty-easy'), for filtering
        tags.clear()
    texts["moodle"] = " ".join(visible(t) for t in moodle.itertext())
    gift = html.unescape((out / f"{course_id}.gift").read_text())
    texts["gift"] = visible(re.sub(r"\[(?:id|tag):[^]]*\]", "", gift))
    with zipfile.ZipFile(out / f"{course_id}-qti.zip") as qti:
        for name in qti.namelist():
            if name.endswith(".xml") and "imsmanifest" not in name:
                root = ElementTree.fromstring(qti.read(name))
                texts[name] = " ".join(
                    visible(e.text) for e in root.iter("mattext") if e.text not in _CANVAS
                )
    folder = tmp_path / "anki"
    folder.mkdir()
    col = fresh_collection(folder)
    try:
        import_apkg(col, out / "anki" / f"{course_id}.apkg")
        cards = [col.get_card(c) for c in col.find_cards("")]
        shown = " ".join(c.question() + c.answer() for c in cards)
        # [[type:Answer]] is Anki's typing box, named by the field (whose names stay English).
        texts["anki"] = visible(re.sub(r"\[\[type:[^]]*\]\]", "", shown))
    finally:
        col.close()
    return texts


def test_no_english_interface_string_is_in_the_arabic_outputs(translated, tmp_path):  # noqa: F811
    result = build_course(translated, language="ar")
    strings = english_strings(build_course(translated, formats=["gift"]).course)
    assert {"Check", "Try again", "Glossary", "Correct answer", "Module"} <= strings
    found = {
        name: sorted(s for s in strings if _holds(text, s))
        for name, text in reader_texts(result.out_dir, tmp_path).items()
    }
    assert {name: hits for name, hits in found.items() if hits} == {}


def test_the_shipped_course_in_arabic_says_nothing_in_english_of_its_own(tmp_path):
    """The real translation, not a fake one: what Iraqi trainees would read."""
    root = tmp_path / "shipped"  # a copy: a build writes its Anki lock into question_banks/
    for folder in ("modules", "question_banks"):
        shutil.copytree(Path(__file__).parent.parent / folder, root / folder)
    english = build_course(root, tmp_path / "en", formats=["gift"]).course
    result = build_course(root, tmp_path / "ar", language="ar")
    assert result.translation is not None and result.course.id == "iraqi-police-ar"
    strings = english_strings(english)
    found = {
        name: sorted(s for s in strings if _holds(text, s))
        for name, text in reader_texts(result.out_dir, tmp_path, "iraqi-police-ar").items()
    }
    assert {name: hits for name, hits in found.items() if hits} == {}


def test_arabic_counts_take_cldr_forms_never_a_number_before_a_dual(translated):  # noqa: F811
    out = build_course(translated, formats=["html"], language="ar").out_dir
    index = visible((out / "html" / "index.html").read_text())
    # The water module has 2 objectives and 7 questions; weather 1 and 2 (CLDR: two, few, one).
    assert "هدفان تعليميان · 7 أسئلة في الاختبار" in index
    assert "هدف تعليمي واحد · سؤالان في الاختبار" in index
    assert re.findall(r"\b2 (?:سؤال|هدف|إجابة|محاولة)", index) == []
