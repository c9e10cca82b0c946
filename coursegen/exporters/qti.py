"""QTI 1.2 for Canvas: one zip holding an assessment per module and one for the final.

The layout is the one Canvas exports and imports (and text2qti writes): ``imsmanifest.xml``
with an ``imsqti_xmlv1p2`` resource per assessment; ``<ident>/<ident>.xml``, the
``questestinterop``; ``<ident>/assessment_meta.xml``, Canvas's own quiz settings, which its
importer finds by that path; and ``images/<name>`` for the images questions show, referenced
as ``$IMS-CC-FILEBASE$/images/<name>`` and listed in the manifest as webcontent resources.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element, SubElement

from .. import ahead, markup
from ..archive import write_zip
from ..assessment import final_pool, final_pools, pool_name
from ..blueprint import sets_cut_short
from ..i18n import strings_for
from ..ids import lms_ident
from ..media import MediaFile
from ..model import Course, Numeric, Question
from ..reuse import ByContent, Memo
from . import BuildContext, Shortfall
from .qti_items import ITEMS, POINTS, build_item
from .xmltext import to_document, written

PROMPTS = {ahead.BLOCK}  # a prompt is shown whole, as one block of HTML

MANIFEST_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
CANVAS_NS = "http://canvas.instructure.com/xsd/cccv1p0"
QTI_RESOURCE = "imsqti_xmlv1p2"
META_RESOURCE = "associatedcontent/imscc_xmlv1p1/learning-application-resource"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Why there is no item for a type the QTI export knows of (see qti_items.ITEMS).
_NO_ITEM = {"ordering": "classic Canvas quizzes have no ordering type"}


def export(course: Course, out_dir: Path, context: BuildContext) -> list[Path]:
    """Write ``<course-id>-qti.zip`` into ``out_dir``."""
    path = out_dir / f"{course.id}-qti.zip"
    entries = _Package(course, context.media).entries()
    context.in_background(lambda: write_zip(path, entries))  # deflated beside the next format
    return [path]


def shortfalls(course: Course) -> Iterator[Shortfall]:
    """Question kinds classic Canvas quizzes lack (left out), and answers Canvas matches
    more loosely than the author asked."""
    for q in course.questions:
        if q.kind not in ITEMS:
            yield Shortfall.of_question(
                q,
                _NO_ITEM.get(q.kind, f"the QTI export does not write {q.kind} questions"),
                "rewrite it as another type for Canvas, or add it there by hand",
                left_out=True,
            )
        elif isinstance(q, Numeric):
            yield from _numeric_shortfalls(q)
        elif getattr(q, "case_sensitive", False):
            yield Shortfall.of_question(
                q,
                "its answers are case-sensitive, but Canvas matches typed answers ignoring case",
                'the package marks the answers case="Yes" for LMSs that honour it',
            )
    yield from sets_cut_short(course, lambda q: q.kind in ITEMS)


def _numeric_shortfalls(q: Numeric) -> Iterator[Shortfall]:
    """What Canvas's numerical question lacks: units, and wrong answers with feedback."""
    reasons, hints = [], []
    if any(not a.correct for a in q.answers):
        reasons.append(
            "Canvas's numerical answers are all right answers, so its known wrong figures and "
            "their feedback are left out"
        )
        hints.append("explain the common mistakes in the explanation as well")
    if q.unit:
        reasons.append(f"Canvas's numerical question has no units, and shows no '{q.unit}'")
        hints.append("name the unit in the prompt")
    if reasons:
        yield Shortfall.of_question(q, "; ".join(reasons), "; ".join(hints))


def assessment_ident(course: Course, module_id: str | None) -> str:
    """An assessment's ident, also its folder: '_' never occurs in a slug, so none collide."""
    return f"{course.id}_module_{module_id}" if module_id else f"{course.id}_final"


class _Package:
    def __init__(self, course: Course, files: dict[Path, MediaFile]):
        self.course = course
        self.strings = strings_for(course.language)
        self.files = files  # every image file the course shows, by its path
        self.images: dict[str, bytes] = {}  # name in the package -> its content
        self.items: dict[str, dict[str, Element]] = {}  # by module id, made when first asked

    def entries(self) -> list[tuple[str, bytes]]:
        """Every file of the package (name, bytes), the manifest first."""
        files: dict[str, bytes] = {}
        resources = []
        for ident, title, questions, draw in self.assessments():
            files[f"{ident}/{ident}.xml"] = self.document(ident, title, questions, draw)
            files[f"{ident}/assessment_meta.xml"] = _xml(self.meta(ident, title, questions, draw))
            resources.append(ident)
        for name, data in sorted(self.images.items()):
            files[f"images/{name}"] = data
        return [("imsmanifest.xml", _xml(self.manifest(resources))), *sorted(files.items())]

    def assessments(self) -> list[tuple[str, str, list[Question], int | None]]:
        """(ident, title, questions, how many to draw or None for all) of each assessment."""
        course, t = self.course, self.strings
        result = []
        for module in course.modules:
            title = t("module_title", n=module.number, title=module.title)
            questions = list(course.questions_of(module.id))
            result.append((assessment_ident(course, module.id), title, questions, None))
        pool = final_pool(course)
        count = min(course.final_assessment.questions, len(pool))
        if course.final_assessment.blueprint:  # its sets are sections (see assessment)
            count = sum(min(pool.draw, len(pool.questions)) for pool in final_pools(course))
            final = (assessment_ident(course, None), t["final"], pool, count)
        elif course.final_assessment.shuffle:
            final = (assessment_ident(course, None), t["final"], pool, count)
        else:  # the HTML final then takes the first questions of the pool, in order
            final = (assessment_ident(course, None), t["final"], pool[:count], None)
        return [*result, final]

    # --- items -----------------------------------------------------------------------

    def item(self, q: Question) -> Element:
        """The question's <item>; its module's are made, or found, when one is first asked."""
        if q.module_id not in self.items:
            self.items[q.module_id] = self.module_items(self.course.questions_of(q.module_id))
        return self.items[q.module_id][q.id]

    def module_items(self, questions: tuple[Question, ...]) -> dict[str, Element]:
        """A module's items by question id, reused while its questions are unchanged; made
        afresh with an image among them (its name in the package comes from its file)."""
        key = None if any(q.images for q in questions) else (self.course.id, questions)
        texts = _ITEMS.through(key, lambda: {q.id: self.item_text(q) for q in questions})
        return {question_id: written(text) for question_id, text in texts.items()}

    def item_text(self, q: Question) -> str:
        """The XML of the question's <item> (of a kind QTI for Canvas has: see shortfalls)."""
        images = {image.src: image.path for image in q.images}

        def html(text: str, inline: bool = False) -> str:
            src = lambda written: self.image(images[written])  # noqa: E731
            return markup.to_html(text, inline=inline, image_src=src).strip()

        return build_item(q, lms_ident(self.course.id, q.id), html)

    def image(self, path: Path) -> str:
        """Put an image in the package once; return the src Canvas resolves to it."""
        file = self.files[path]
        self.images[file.name] = file.data
        return f"$IMS-CC-FILEBASE$/images/{file.name}"

    # --- documents -------------------------------------------------------------------

    def document(self, ident: str, title: str, questions: list, draw: int | None) -> bytes:
        """An assessment's file, reused while what it is made of is unchanged (after one edit,
        all but a module's and maybe the final's): made afresh with an image among its
        questions, whose name in the package comes from its file, and which it must hold."""
        course = self.course
        final = ident == assessment_ident(course, None)
        held = ByContent if final else tuple  # the final's pool is taken from every module
        key = (course.id, course.language, ident, title, draw, held(questions))
        if final and course.final_assessment.blueprint:
            # Its sections are the blueprint's sets: each one's name, count and questions.
            pools = final_pools(course)
            sets = tuple((pool_name(pool, self.strings), pool.draw) for pool in pools)
            key += (course.final_assessment.shuffle, sets, *(ByContent(p.questions) for p in pools))
        reusable = not any(q.images for q in questions)
        return _DOCUMENTS.through(
            key if reusable else None, lambda: _xml(self.assessment(ident, title, questions, draw))
        )

    def assessment(self, ident: str, title: str, questions: list, draw: int | None) -> Element:
        root = Element("questestinterop")
        assessment = SubElement(root, "assessment", ident=ident, title=title)
        assessment.set(XML_LANG, self.course.language)
        section = SubElement(assessment, "section", ident="root_section")
        if self.course.final_assessment.blueprint and ident == assessment_ident(self.course, None):
            self.rule_sections(section, ident)
            return root
        if draw is not None:
            # A section that selects N of its items: Canvas imports it as a question group
            # that picks N at random for each attempt. No points_per_item extension (the DTD
            # has no such element): Canvas gives a group the points its items all share.
            section = SubElement(section, "section", ident=f"{ident}_pool", title=title)
            selection = SubElement(SubElement(section, "selection_ordering"), "selection")
            SubElement(selection, "selection_number").text = str(draw)
        section.extend(map(self.item, questions))  # written, never changed
        return root

    def rule_sections(self, parent: Element, ident: str) -> None:
        """A section per set of the blueprint, each drawing its count (Canvas: a question
        group that picks that many); without shuffling, each holds its first questions."""
        shuffle = self.course.final_assessment.shuffle
        for n, pool in enumerate(final_pools(self.course), start=1):
            title = pool_name(pool, self.strings)
            section = SubElement(parent, "section", ident=f"{ident}_set_{n}", title=title)
            draw = min(pool.draw, len(pool.questions))
            questions = pool.questions if shuffle else pool.questions[:draw]
            if shuffle:
                selection = SubElement(SubElement(section, "selection_ordering"), "selection")
                SubElement(selection, "selection_number").text = str(draw)
            section.extend(map(self.item, questions))

    def meta(self, ident: str, title: str, questions: list, draw: int | None) -> Element:
        """Canvas's quiz settings: module quizzes are practice, the final is graded."""
        final = ident == assessment_ident(self.course, None)
        points = POINTS * (len(questions) if draw is None else draw)
        # Canvas shuffles the options of every question in a quiz or of none.
        fixed = any(not getattr(q, "shuffle", True) for q in questions)
        # xmlns as a plain attribute: ElementTree would otherwise invent an "ns0:" prefix.
        quiz = Element("quiz", identifier=ident, xmlns=CANVAS_NS)
        for name, value in (
            ("title", title),
            ("description", self.description(final)),
            ("shuffle_answers", _bool(not fixed)),
            ("scoring_policy", "keep_highest"),
            ("quiz_type", "assignment" if final else "practice_quiz"),
            ("points_possible", f"{points:.1f}"),
            ("show_correct_answers", "true"),
            ("allowed_attempts", "-1"),
        ):
            SubElement(quiz, name).text = value
        return quiz

    def description(self, final: bool) -> str:
        if not final:
            return ""
        assessment = self.course.final_assessment
        t = self.strings
        intro = t.count(
            "final_intro_blueprint" if assessment.blueprint else "final_intro", assessment.questions
        )
        return markup.to_html(
            f"{intro} {t('final_pass', pass_mark=t.percent(assessment.pass_mark))}"
        )

    def manifest(self, assessments: list[str]) -> Element:
        root = Element("manifest", identifier=f"{self.course.id}_qti", xmlns=MANIFEST_NS)
        metadata = SubElement(root, "metadata")
        SubElement(metadata, "schema").text = "IMS Content"
        SubElement(metadata, "schemaversion").text = "1.1.3"
        SubElement(root, "organizations")
        resources = SubElement(root, "resources")
        for ident in assessments:
            resource = SubElement(resources, "resource", identifier=ident, type=QTI_RESOURCE)
            SubElement(resource, "file", href=f"{ident}/{ident}.xml")
            SubElement(resource, "dependency", identifierref=f"{ident}_meta")
            href = f"{ident}/assessment_meta.xml"
            meta = SubElement(
                resources, "resource", identifier=f"{ident}_meta", type=META_RESOURCE, href=href
            )
            SubElement(meta, "file", href=href)
        for name in sorted(self.images):
            href = f"images/{name}"
            ident = f"{self.course.id}_image_{name}"
            image = SubElement(
                resources, "resource", identifier=ident, type="webcontent", href=href
            )
            SubElement(image, "file", href=href)
        return root


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _xml(root: Element) -> bytes:
    return to_document(root)


# Each module's items, and each assessment's file, from earlier builds (serve, or a build with
# its store).
_ITEMS = Memo("qti-items", 1_000)
_DOCUMENTS = Memo("qti-documents", 1_000)
