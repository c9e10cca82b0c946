"""HTML: a static course site that works offline from file://, and the same site as a zip;
beside them, the instructor's answer key, which is never part of what learners receive.

Pages are Jinja templates (autoescaped, StrictUndefined); author text reaches them only
through markup.to_html, which sanitises it. Quiz data is embedded in each page as JSON and
read by one classic script, because ES modules and fetch() fail from file://. Every page
carries a Content-Security-Policy that allows only the site's own files.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from html import escape
from importlib import resources
from pathlib import Path

import jinja2
from markupsafe import Markup

from .. import ahead, markup, parallel, reuse, store
from ..archive import deflate_ahead, zip_folder
from ..assessment import blueprint_total, final_draws, final_pool, rule_name
from ..glossary import glossary, topic_target
from ..i18n import direction, strings_for
from ..media import MediaFile
from ..model import Course, Module
from ..reuse import ByContent, Memo
from . import BuildContext, Parts, Shortfall
from . import html_instructor as instructor
from .html_quiz import VIEWS, QuestionView, view

# Sanitised HTML writes a table's tags bare and a lesson heading's with its id first.
_TABLE_OR_HEADING = re.compile(r"(<table>|</table>|<h[2-6] id=\"[^\"]+\">)")
_HEADING_ID = re.compile(r'<h[2-6] id="([^"]+)">')
CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'"
# `coursegen serve` only: the page asks the local server whether it has rebuilt.
LIVE_RELOAD_CSP = CSP + "; connect-src 'self'"
ASSETS = ("course.css", "print.css", "course.js")
LIVE_RELOAD_ASSET = "live-reload.js"
# The interface strings course.js reads, and the only ones each page carries for it.
SCRIPT_STRINGS = (
    "attempt",
    "attempt_of",
    "attempts",
    "attempts_of",
    "attempts_used_up",
    "best_score",
    "correct",
    "failed",
    "final_not_passed",
    "final_passed",
    "incorrect",
    "last_score",
    "mark_chosen_right",
    "mark_chosen_wrong",
    "mark_missed",
    "mark_pair_missing",
    "mark_pair_wrong",
    "mark_position_wrong",
    "mark_the_answer",
    "moved",
    "new_attempt",
    "not_answered",
    "not_started",
    "partly",
    "passed",
    "progress",
    "progress_answered",
    "progress_correct",
    "question_n",
    "reset_confirm",
    "reset_done",
    "result",
    "review_after_pass",
    "review_never",
    "submitted",
    "unanswered",
)


@dataclass
class Page:
    """One page of the site: its file name, template and what the template needs."""

    path: str
    template: str
    title: str
    context: dict
    shows: int = 0  # how many questions it shows: what it costs to render, to share pages
    questions: tuple = ()  # the questions it shows, which its key names (page_key)
    # What only rendering needs (its questions' views and their quiz data), made then: a
    # page reused from an earlier build never asks for it.
    more: Callable[[], dict] = dict


# A live-reload build writes no zip, and must not leave the previous build's beside it.
OWNS = ("html", "{id}-html.zip", "instructor")
PROMPTS = {ahead.SPLIT}  # a form's <legend> is a prompt's last paragraph, after its lead


def export(course: Course, out_dir: Path, context: BuildContext) -> list[Path]:
    """Write ``html/``, ``<course-id>-html.zip`` and ``instructor/`` into ``out_dir``.

    ``html/`` (and so the zip, and the SCORM package made from it) is what learners
    receive; the answer key is in ``instructor/``, a folder of its own that nothing in
    ``html/`` links to. A live-reload build (`coursegen serve`) writes no zip: its pages
    carry the reload script, which has no place in a site to publish.
    """
    site, instructor = out_dir / "html", out_dir / "instructor"
    writer = _SiteWriter(course, context.media, context.live_reload)
    sections, deflated = {}, {}  # the module pages' sections, and pages deflated
    for module_id, module_sections, pages in context.in_parts(
        _site_parts(course, out_dir, lambda: writer)
    ):
        if module_id is not None:
            sections[module_id] = module_sections
        deflated.update(pages)
    writer.write(site, [])  # its assets
    context.built["html"] = site
    archive = out_dir / f"{course.id}-html.zip"
    if not context.live_reload:  # deflated while the instructor's pages are written
        zipped = context.in_background(lambda: zip_folder(site, archive, deflated))

        def site_zip() -> Path:  # for SCORM, which copies it
            zipped()
            return archive

        context.built["html.zip"] = site_zip
    writer.write(instructor, writer.key_pages([sections[m.id] for m in course.modules]))
    material = instructor / "index.html"
    if context.live_reload:
        return [site / "index.html", material]
    return [site / "index.html", archive, material]


def parts(course: Course, out_dir: Path, context: BuildContext) -> Parts:
    """The parts of ``export``'s work (_site_parts), for the build process that is free to
    do some (exporters/__init__.py); its writer is made once it does one."""
    writer = functools.cache(lambda: _SiteWriter(course, context.media, context.live_reload))
    return _site_parts(course, out_dir, writer)


def _site_parts(course: Course, out_dir: Path, writer: Callable[[], _SiteWriter]) -> Parts:
    """The site's pages in parts that need nothing of each other: each module's page, with
    its sections of the answer key and of the objectives map (the costliest first), then the
    site's other pages, then the instructor's but the two made of those sections. Each part
    gives (module id, its sections, pages deflated for the site's zip)."""
    modules = sorted(course.modules, key=lambda m: len(course.questions_of(m.id)), reverse=True)
    site, instructor = out_dir / "html", out_dir / "instructor"

    def part(i: int) -> tuple[str | None, tuple | None, list]:
        if i < len(modules):
            key_section, map_section, pages = writer().module_part(modules[i], site)
            return modules[i].id, (key_section, map_section), pages
        if i == len(modules):
            return None, None, writer().pages_part(writer().pages(), site)
        return None, None, writer().pages_part(writer().instructor_pages(), instructor)

    def weight(i: int) -> float:
        return len(course.questions_of(modules[i].id)) + 1 if i < len(modules) else 1

    return Parts(len(modules) + 2, part, weight)


def shortfalls(course: Course) -> Iterator[Shortfall]:
    """Each question of a type the HTML course has no view for: the course leaves it out."""
    for q in course.questions:
        if q.kind not in VIEWS:
            yield Shortfall.of_question(
                q,
                f"the HTML course does not show {q.kind} questions",
                "rewrite it as another type for the HTML course",
                left_out=True,
            )


def _course_fields(course: Course) -> tuple:
    """Every field of the course but its modules, questions and flashcards, which a page key
    names as far as the page shows them: whatever field a template comes to show is then
    part of the key already."""
    return tuple(
        getattr(course, f.name)
        for f in dataclasses.fields(course)
        if f.name not in ("modules", "questions", "flashcards")
    )


def _contact_href(contact: str) -> str:
    """A link to ``contact``: a web address as it is, an e-mail address as mailto:."""
    return contact if "://" in contact else f"mailto:{contact}"


def module_file(module: Module) -> str:
    return f"{module.number:02d}-{module.id}.html"


class _SiteWriter:
    def __init__(self, course: Course, media: dict[Path, MediaFile], live_reload: bool = False):
        self.course = course
        self.live_reload = live_reload
        self.t = strings_for(course.language)
        self.media = media  # every image file the course shows: all join the site
        self.env = _environment()
        # The manifest's and the front matters' texts: their files are all in modules/, so
        # a path as written names the same file in any of them.
        self.text_src = self.image_src(
            (*course.images, *(i for m in course.modules for i in m.images))
        )
        self.identity = self.identity_of(course)
        # Each module's lesson rendered when first asked for (lesson_of): a process renders
        # those of the pages it renders, and a rebuild those of the modules an edit changed.
        self.lessons: dict[str, markup.Lesson] = {}
        self.glossary = glossary(course.modules)
        self.questions = {q.id: q for q in course.questions}
        self.views = _Views(self)

    # --- content ----------------------------------------------------------------------

    def identity_of(self, course: Course) -> dict:
        """Who publishes the course and which edition it is, as the home page and the footer
        show them; the authors only where they are not the publisher already."""
        edition = None
        if course.edition:
            time = Markup('<time datetime="{}">{}</time>').format(
                course.edition.isoformat(), self.t.date(course.edition)
            )
            edition = Markup(escape(self.t["edition"])).format(date=time)
        logo = course.logo and f"assets/media/{self.media[course.logo.path].name}"
        authors = () if course.authors == (course.publisher,) else course.authors
        return {
            "edition": edition,
            "contact_href": course.contact and _contact_href(course.contact),
            "logo_src": logo,
            "authors": authors,
            "credits": self.credits(course, authors),
        }

    def credits(self, course: Course, authors: tuple[str, ...]) -> list[Markup]:
        """The footer's line of who made the course and on what terms, of what it states."""
        t, credits = self.t, []
        if course.publisher:
            credits.append(Markup(escape(t("published_by", publisher=course.publisher))))
        if authors:
            credits.append(Markup("{}: {}").format(t["authors"], t["separator"].join(authors)))
        if course.license:
            credits.append(Markup("{}: {}").format(t["licence"], course.license))
        if course.contact:
            link = Markup('{}: <a class="address" href="{}">{}</a>')
            credits.append(link.format(t["contact"], _contact_href(course.contact), course.contact))
        return credits

    def image_src(self, images) -> Callable[[str], str]:
        """The src of each of ``images`` by its path as written."""
        by_src = {image.src: f"assets/media/{self.media[image.path].name}" for image in images}
        return by_src.__getitem__

    def lesson_of(self, module: Module) -> markup.Lesson:
        if module.id not in self.lessons:
            lesson = markup.lesson_to_html(module.body, image_src=self.image_src(module.images))
            self.lessons[module.id] = dataclasses.replace(
                lesson, html=self.scrolling_tables(lesson.html)
            )
        return self.lessons[module.id]

    def scrolling_tables(self, html: str) -> str:
        """``html`` with each table in a region of its own that scrolls sideways when the
        table is wider than the screen, so the page never is. The region takes focus, so a
        keyboard can scroll it, and is named by the heading above the table."""
        if "<table>" not in html:
            return html
        parts, label = [], f'aria-label="{escape(self.t["table"])}"'
        for piece in _TABLE_OR_HEADING.split(html):
            match = _HEADING_ID.match(piece)
            if match:
                label = f'aria-labelledby="{match.group(1)}"'
            elif piece == "<table>":
                piece = f'<div class="table-scroll" role="region" tabindex="0" {label}>{piece}'
            elif piece == "</table>":
                piece += "</div>"
            parts.append(piece)
        return "".join(parts)

    def question_view(self, q) -> QuestionView:
        module = self.course.module(q.module_id)
        href = f"{module_file(module)}#{self.source_anchor(module, q.source)}"
        # Seeded as the Anki deck's shuffle is, so both show one question's options alike.
        seed = f"{self.course.id}:{q.id}"
        if q.images:  # registers its media with this build, so never from the cache
            return view(q, href, self.image_src(q.images), self.t, seed)
        key = (q, href, self.course.language, seed)
        return _VIEWS.through(key, lambda: view(q, href, self.image_src(()), self.t, seed))

    def source_anchor(self, module: Module, quotation: str) -> str:
        """Where a question's source is on the module page: a lesson block, term or summary."""
        return _ANCHORS.through((module, quotation), lambda: self.find_source(module, quotation))

    def find_source(self, module: Module, quotation: str) -> str:
        found = self.lesson_of(module).anchor_of(quotation)
        if found:
            return found
        wanted = markup.fold(quotation)
        for n, term in enumerate(module.key_terms, start=1):
            if wanted in markup.fold(f"{term.term} {term.definition}"):
                return f"term-{n}"
        return "summary"

    def related_links(self, module: Module) -> list[tuple[str, str]]:
        """(href, text) of each related topic: a module's page, or a term in the glossary."""
        links = []
        for topic in module.related_topics:
            target = topic_target(topic, self.course.modules, self.glossary)
            if isinstance(target, Module):
                title = self.t("module_title", n=target.number, title=target.title)
                links.append((module_file(target), title))
            elif target is not None:  # one that names nothing is left out, with a warning
                term = markup.to_plain_text(target.term)
                links.append((f"glossary.html#{target.anchor}", self.t("glossary_term", term=term)))
        return links

    def md(self, text: str, inline: bool = False) -> Markup:
        html = markup.to_html(text, inline=inline, image_src=self.text_src)
        return Markup(html if inline else self.scrolling_tables(html))

    # --- pages ------------------------------------------------------------------------

    def module_part(self, module: Module, site: Path) -> tuple[Markup, Markup, list]:
        """``module``'s page, written into ``site``; its sections of the answer key and of
        the objectives map; and the page deflated for the site's zip (pages_part)."""
        deflated = self.pages_part([self.module_page(module)], site)
        rows = self.objective_rows[module.id]
        return self.answer_key_section(module), self.objectives_section(module, rows), deflated

    @functools.cached_property
    def objective_rows(self) -> dict[str, list]:
        return {m.id: rows for m, rows in instructor.objective_map(self.course)["modules"]}

    def module_page(self, module: Module) -> Page:
        modules = self.course.modules
        i = modules.index(module)
        questions = self.course.questions_of(module.id)
        return Page(
            module_file(module),
            "module.html",
            self.t("module_title", n=module.number, title=module.title),
            {
                "page_kind": "module",
                "module": module,
                "previous": modules[i - 1] if i else None,
                "next": modules[i + 1] if i + 1 < len(modules) else None,
                "related": self.related_links(module),
            },
            shows=len(questions),
            questions=questions,
            more=functools.partial(self.module_page_more, module, questions),
        )

    def module_page_more(self, module: Module, questions) -> dict:
        """What only rendering a module's page needs: its lesson, its questions' views."""
        return {"lesson": self.lesson_of(module), **self.questions_shown(questions, module.id)}

    def pages(self) -> list[Page]:
        """The site's pages but the modules'."""
        course, t = self.course, self.t
        pool = tuple(final_pool(course))
        return [
            Page("index.html", "index.html", course.title, {"page_kind": "home"}),
            Page(
                "glossary.html",
                "glossary.html",
                t["glossary"],
                {"page_kind": "glossary", "entries": self.glossary},
            ),
            Page(
                "final-assessment.html",
                "final.html",
                t["final"],
                {"page_kind": "final", "plan": self.plan()},
                shows=len(pool),
                questions=pool,
                more=functools.partial(self.questions_shown, pool, None, draws=self.draws()),
            ),
        ]

    def questions_shown(self, questions, module_id: str | None, **quiz) -> dict:
        """A page's questions as their views, and the quiz data its script checks them by."""
        views = [self.views[q.id] for q in questions]
        return {"questions": views, "quiz_data": {**self.quiz_data(views, module_id), **quiz}}

    def draws(self) -> list[dict]:
        """How the final page's script draws an attempt: each set's count and question ids."""
        return [
            {"draw": draw, "questions": [q.id for q in questions]}
            for draw, questions in final_draws(self.course)
        ]

    def plan(self) -> list[str]:
        """The blueprint in words, a line per rule: "Applying the rules: 2 questions"."""
        t, modules = self.t, self.course.modules
        return [
            t.count("blueprint_line", blueprint_total((r,), modules), name=rule_name(r, t))
            for r in self.course.final_assessment.blueprint
        ]

    def instructor_pages(self) -> list[Page]:
        """The instructor's material but what is made of the modules' sections (key_pages):
        an index, and a printable exam and its key."""
        course, t = self.course, self.t
        number = {m.id: m.number for m in course.modules}  # on paper, module by module
        pool = tuple(sorted(final_pool(course), key=lambda q: number[q.module_id]))
        paper = functools.cache(lambda: {"paper": self.paper(pool)})  # for the exam and its key
        draw = min(course.final_assessment.questions, len(pool))
        return [
            Page(
                "index.html", "instructor_index.html", t["instructor"], {"page_kind": "instructor"}
            ),
            Page(
                "exam.html",
                "exam.html",
                t["exam"],
                {"page_kind": "exam", "draw": draw},
                len(pool),
                questions=pool,
                more=paper,
            ),
            Page(
                "exam-key.html",
                "exam_key.html",
                t["exam_key"],
                {"page_kind": "exam_key"},
                len(pool),
                questions=pool,
                more=paper,
            ),
        ]

    def key_pages(self, sections: list[tuple[Markup, Markup]]) -> list[Page]:
        """The answer key and the objectives-to-questions map, joined from ``sections``:
        each module's part of both (module_part), made already."""
        objective_map = instructor.objective_map(self.course)
        objectives = {
            "page_kind": "objectives_map",
            "total": objective_map["total"],
            "unassessed": objective_map["unassessed"],
            "sections": [objectives for _, objectives in sections],
        }
        key = {"page_kind": "answer_key", "sections": [k for k, _ in sections]}
        return [
            Page("answer-key.html", "answer_key.html", self.t["answer_key"], key),
            Page("objectives.html", "objectives_map.html", self.t["objectives_map"], objectives),
        ]

    def pages_part(self, pages: list[Page], folder: Path) -> list[tuple[bytes, bytes]]:
        """``pages`` written into ``folder``; those kept whole (not streamed), deflated for
        the site's zip, unless none is made."""
        folder.mkdir(parents=True, exist_ok=True)
        written = [self.render(page, folder) for page in pages]
        return [] if self.live_reload else [deflate_ahead(page) for page in written if page]

    def paper(self, questions) -> list:
        """The final's pool as the printable exam and its key show it."""
        views = [self.views[q.id] for q in questions]
        return instructor.paper(views, self.questions, self.t, lambda q: self.image_src(q.images))

    def objectives_section(self, module: Module, rows: list) -> Markup:
        """One module's part of the objectives map; reused while its questions are unchanged."""
        questions = self.course.questions_of(module.id)
        media = tuple(file.name for file in self.media.values())  # its objectives' images
        key = (module, questions, self.course.language, media)
        template = self.env.get_template("_objectives_module.html")
        return _MAP_SECTIONS.through(
            key,
            lambda: Markup(
                template.render(module=module, rows=rows, views=self.views, t=self.t, md=self.md)
            ),
        )

    def answer_key_section(self, module: Module) -> Markup:
        """One module's part of the answer key; reused while its questions are unchanged."""
        questions = self.course.questions_of(module.id)
        key = (module, questions, self.course.language, self.course.id)  # id: the seed
        reusable = not any(q.images for q in questions)  # media names come from this build

        def render() -> Markup:
            template = self.env.get_template("_answer_key_module.html")
            views = [self.views[q.id] for q in questions]
            return Markup(template.render(module=module, views=views, t=self.t))

        return _SECTIONS.through(key if reusable else None, render)

    def quiz_data(self, views: list[QuestionView], module_id: str | None) -> dict:
        return {
            "module": module_id,
            "questions": {v.id: {"kind": v.kind, "module": v.module_id, **v.check} for v in views},
        }

    def write(self, folder: Path, pages: list[Page]) -> None:
        """``pages`` and the assets they use into ``folder``."""
        (folder / "assets" / "media").mkdir(parents=True)
        # Pages are independent files: two processes write about half the questions each.
        parallel.split_map(lambda page: self.render(page, folder), pages, lambda p: p.shows + 1)
        self.copy_assets(folder)

    def render(self, page: Page, folder: Path) -> bytes | None:
        """Write ``page`` into ``folder``; its bytes, unless it was streamed."""
        path = folder / page.path
        key = self.page_key(page)
        if key is None:  # never reused, so streamed: a large course's answer key is 55 MB
            self.template_of(page).dump(str(path), "utf-8")
            return None
        # Kept encoded: the store holds bytes as they are, and the file is written as stored.
        html = _PAGES.through(key, lambda: "".join(self.template_of(page)).encode())
        path.write_bytes(html)
        return html

    def page_key(self, page: Page) -> tuple | None:
        """What a page with questions depends on, for reuse when none of it changed: its
        questions stand for their views and quiz data, which are made of them alone (and of
        the course's language and id, its fields), so that a key needs no view."""
        c, context = self.course, page.context
        kind = context["page_kind"]
        if kind not in ("module", "final", "exam", "exam_key"):
            return None  # the others are quick to render
        questions = tuple(page.questions)
        site_data = self.site_data(context)  # without the quiz data (see above)
        # An image's media name changes with its content, which nothing else here shows.
        media = tuple(file.name for file in self.media.values())
        common = (page.path, _course_fields(c), media)
        if kind != "module":  # the final's pool, or the printable exam's
            return (*common, self.live_reload, site_data, c.modules, ByContent(questions))
        return (
            *common,
            self.live_reload,
            site_data,
            context["module"],
            context["previous"],
            context["next"],
            tuple(context["related"]),
            questions,
        )

    def template_of(self, page: Page) -> jinja2.environment.TemplateStream:
        """The page, rendered piece by piece as it is read."""
        template = self.env.get_template(page.template)
        context = {**page.context, **page.more()}
        return template.stream(
            course=self.course,
            t=self.t,
            lang=self.course.language,
            dir=direction(self.course.language),
            csp=Markup(LIVE_RELOAD_CSP if self.live_reload else CSP),
            live_reload=self.live_reload,
            page=page,
            md=self.md,
            module_file=module_file,
            identity=self.identity,
            site_data=self.site_data(context),
            **context,
        )

    def site_data(self, context: dict) -> Markup:
        """The JSON the page's script reads: course facts, strings and this page's quiz."""
        course = self.course
        data = {
            "course": course.id,
            "page": context["page_kind"],
            "locale": self.t.language,  # whose plural rule and numbers the strings follow
            "strings": {key: self.t[key] for key in SCRIPT_STRINGS},
            "modules": [
                {
                    "id": m.id,
                    "title": m.title,
                    "href": module_file(m),
                    "total": len(course.questions_of(m.id)),
                }
                for m in course.modules
            ],
            "final": {
                "count": min(course.final_assessment.questions, len(course.questions)),
                "pass_mark": course.final_assessment.pass_mark,
                "shuffle": course.final_assessment.shuffle,
                "max_attempts": course.final_assessment.max_attempts,
                "review": course.final_assessment.review,
            },
            "quiz": context.get("quiz_data"),
        }
        # With every "<" escaped, no text in the data can end or restart the <script> element.
        text = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
        return Markup(text)

    def copy_assets(self, folder: Path) -> None:
        """The stylesheets, script and images into ``folder``, which then needs nothing else."""
        assets = resources.files("coursegen").joinpath("templates/html/assets")
        for name in (*ASSETS, LIVE_RELOAD_ASSET) if self.live_reload else ASSETS:
            (folder / "assets" / name).write_bytes(assets.joinpath(name).read_bytes())
        for file in self.media.values():
            (folder / "assets" / "media" / file.name).write_bytes(file.data)


# Views and module pages from earlier builds in this process (`coursegen serve`), keyed by
# everything they are made from, so a rebuild renders only what an edit changed.
# Views are kept in this process only: they are slower to read back from the store than to
# make again, and with it a build makes only those of the pages an edit changed (_Views).
_VIEWS = Memo("html-views", 200_000, on_disk=False)
_ANCHORS = Memo("html-anchors", 200_000, on_disk=False)
_SECTIONS = Memo("html-key-sections", 1_000)
_PAGES = Memo("html-pages", 1_000)
_MAP_SECTIONS = Memo("html-map-sections", 1_000)


_TEMPLATES_FOLDER = Path(__file__).parent.parent / "templates" / "html"


@functools.cache  # compiling the templates costs more than rendering a small course
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("coursegen", "templates/html"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_compiled_templates(),
    )
    return env


def _compiled_templates() -> jinja2.BytecodeCache | None:
    """With the store, the templates compiled by an earlier build (70 ms of each process that
    renders pages); Jinja checks each one against its template's source.

    They are part of the program, not of a course, so they are kept as Python keeps its
    bytecode: beside the templates, in a ``__pycache__`` folder, where whoever installed
    coursegen can write (a virtual environment, a checkout); a first build in a new home
    folder, or after the user's cache was cleared, then compiles nothing. Elsewhere (a
    system-wide install) they are kept beside the store.
    """
    if not reuse.storing():
        return None
    folder = _TEMPLATES_FOLDER / "__pycache__"
    if not _writable(folder if folder.is_dir() else _TEMPLATES_FOLDER):
        folder = store.cache_root() / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _TemplateCache(str(folder))


def _writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK)


class _TemplateCache(jinja2.FileSystemBytecodeCache):
    """Jinja's cache of compiled templates, where failing to write one costs only its reuse
    (the folder may have gone since this process made its environment)."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


class _Views(Mapping):
    """The questions' views by id, each made when first asked for: after an earlier build
    whose pages and sections the store holds, a build makes only the views of those an edit
    changed."""

    def __init__(self, writer: _SiteWriter):
        self.writer = writer
        self.made: dict[str, QuestionView] = {}

    def __getitem__(self, question_id: str) -> QuestionView:
        if question_id not in self.made:
            self.made[question_id] = self.writer.question_view(self.writer.questions[question_id])
        return self.made[question_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self.writer.questions)

    def __len__(self) -> int:
        return len(self.writer.questions)
