"""A build with its store (store.py: what the last build made, on disk) gives, after any
edit, the very bytes a clean build gives, remakes only what the edit changed, and survives
a store that is damaged, stale or cannot be written."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from coursegen import archive, markup, store, yamlquick
from coursegen.assessment import final_pool
from coursegen.build import build_course, check_course
from coursegen.exporters import anki, gift, html, moodle, qti
from coursegen.validate import _Validator

from .test_rebuild import EDITS, snapshot

FORMATS = ["html", "anki", "scorm", "qti", "moodle", "gift"]


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("COURSEGEN_CACHE_DIR", str(folder))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    return folder


def differing(one: Path, other: Path) -> list[str]:
    a, b = snapshot(one), snapshot(other)
    return sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))


def test_a_build_from_the_store_equals_a_clean_build_after_every_edit(course_copy, tmp_path, cache):
    course = course_copy("full")
    build_course(course, tmp_path / "stored", FORMATS, remember=True)  # fills the store
    for file, text, replacement in EDITS:
        path = course / file
        path.write_text(path.read_text().replace(text, replacement, 1))
        build_course(course, tmp_path / "stored", FORMATS, remember=True)
        build_course(course, tmp_path / "clean", FORMATS)
        assert differing(tmp_path / "stored", tmp_path / "clean") == [], (file, text)
    assert (cache / "builds").is_dir()


# Edits of what a blueprint's sets are: a question moved into another set, a set renamed (and
# a module's title in its sets' names), a set's count, the manifest's shuffle.
BLUEPRINT_EDITS = [
    (
        "question_banks/signs.yaml",
        "bloom: remember\n    tags: [regulatory]",
        "bloom: apply\n    tags: [regulatory]",
    ),
    ("question_banks/signs.yaml", "objectives: [sign-shapes]", "objectives: [read-signs]"),
    ("modules/course.yaml", "name: Applying the rules", "name: Using the rules"),
    ("modules/01-signs.md", "title: Road Signs", "title: Signs of the Road"),
    ("modules/course.yaml", "draw: 2", "draw: 1"),
    ("modules/course.yaml", "pass_mark: 60", "pass_mark: 60\n  shuffle: false"),
]


def test_a_build_from_the_store_equals_a_clean_build_after_blueprint_edits(
    course_copy, tmp_path, cache
):
    course = course_copy("blueprint")
    build_course(course, tmp_path / "stored", FORMATS, remember=True)
    for file, text, replacement in BLUEPRINT_EDITS:
        path = course / file
        assert text in path.read_text(), (file, text)
        path.write_text(path.read_text().replace(text, replacement, 1))
        build_course(course, tmp_path / "stored", FORMATS, remember=True)
        build_course(course, tmp_path / "clean", FORMATS)
        assert differing(tmp_path / "stored", tmp_path / "clean") == [], (file, text)


def _coursegen(*args: str) -> None:
    command = [sys.executable, "-m", "coursegen", "build", "-q", *args]
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    ("file", "text", "replacement"),
    [
        ("question_banks/water.yaml", "comes **first** in", "comes *first* in"),
        ("modules/01-water.md", "title: The Water Cycle", "title: The Cycle of Water"),
        ("modules/course.yaml", "pass_mark: 60", "pass_mark: 70"),
        ("modules/images/cycle.svg", "</svg>", '<circle cx="1" cy="1" r="1"/></svg>'),
    ],
    ids=["question", "module", "manifest", "image"],
)
def test_a_fresh_coursegen_build_after_an_edit_equals_a_clean_one(
    course_copy, tmp_path, cache, file, text, replacement
):
    course = course_copy("full")
    _coursegen(str(course), "-o", str(tmp_path / "stored"))
    path = course / file
    assert text in path.read_text()
    path.write_text(path.read_text().replace(text, replacement, 1))
    _coursegen(str(course), "-o", str(tmp_path / "stored"))
    _coursegen(str(course), "-o", str(tmp_path / "clean"), "--no-cache")
    assert differing(tmp_path / "stored", tmp_path / "clean") == []


class Made:
    """Counts of what a build made afresh: banks parsed and checked, and per format the
    questions (or modules) rendered."""

    def __init__(self, monkeypatch):
        self.counts: dict[str, int] = {}
        for name, owner, attribute in [
            ("parsed", yamlquick, "load"),
            ("checked", _Validator, "_check_bank"),
            ("html", html, "view"),
            ("lesson", markup, "lesson_to_html"),
            ("anki", anki._DeckWriter, "note_content"),
            ("qti", qti, "build_item"),
            ("moodle", moodle._Writer, "question"),
            ("gift", gift, "_question"),
            ("deflated", archive, "_deflate"),
        ]:
            monkeypatch.setattr(owner, attribute, self.counting(name, getattr(owner, attribute)))

    def counting(self, name, function):
        def counted(*args, **kwargs):
            self.counts[name] = self.counts.get(name, 0) + 1
            return function(*args, **kwargs)

        return counted

    def during(self, work) -> dict[str, int]:
        self.counts = {}
        work()
        return self.counts


def test_a_build_remakes_only_what_an_edit_changed(course_copy, tmp_path, cache, monkeypatch):
    monkeypatch.setenv("COURSEGEN_JOBS", "1")  # counted in this process
    course = course_copy("blueprint")
    made = Made(monkeypatch)
    build = lambda: build_course(course, tmp_path / "out", FORMATS, remember=True)  # noqa: E731
    first = made.during(build)
    assert first["parsed"] == 2 and first["html"] > 0 and first["moodle"] > 0
    assert made.during(build) == {}  # nothing changed: nothing made
    bank = next((course / "question_banks").glob("*.yaml"))
    bank.write_text(bank.read_text().replace("prompt: ", "prompt: Now, ", 1))
    again = made.during(build)
    # That bank's module alone; the other bank is neither parsed nor checked.
    assert again["parsed"] == 1 and again["checked"] == 1
    for name in ("anki", "qti", "moodle", "gift", "deflated"):
        assert 0 < again[name] < first[name], name
    # The final's pool (and so its page and the exam) holds every question of so small a
    # course, the edited one too.
    assert again["html"] == first["html"]


def test_an_edit_outside_the_finals_pool_leaves_it_as_it_was(tmp_path, cache, monkeypatch):
    """The final's pool (200 questions here) is drawn from every bank: an edit of a question
    left out of it remakes that question's module, not the final's page, exam or quiz."""
    monkeypatch.syspath_prepend(Path(__file__).parent.parent / "benchmarks")
    from generate import generate

    monkeypatch.setenv("COURSEGEN_JOBS", "1")  # counted in this process
    course = generate(tmp_path / "course", 300, modules=2)
    made = Made(monkeypatch)
    monkeypatch.setattr(
        qti._Package, "assessment", made.counting("qti-documents", qti._Package.assessment)
    )
    build = lambda: build_course(course, tmp_path / "out", FORMATS, remember=True)  # noqa: E731
    build()
    model, _ = check_course(course)
    pool = {q.id for q in final_pool(model)}
    edited = next(q for q in model.questions_of("m001") if q.id not in pool)
    bank = course / "question_banks" / "m001.yaml"
    text = bank.read_text()
    at = text.index(f"id: {edited.id}\n")
    bank.write_text(text[:at] + text[at:].replace("prompt: ", "prompt: Now, ", 1))
    again = made.during(build)
    module = model.questions_of("m001")
    assert again["html"] == len(module)
    assert again["qti"] == sum(q.kind in qti.ITEMS for q in module)  # QTI has no ordering
    assert again["qti-documents"] == 1  # the module's quiz
    build_course(course, tmp_path / "clean", FORMATS)
    assert differing(tmp_path / "out", tmp_path / "clean") == []


def test_a_question_fingerprints_as_its_content_whatever_a_build_asked_of_it(course_copy):
    """What a question remembers beside its fields (its hash, which differs from process to
    process, and a cloze's parsed parts) is no part of its fingerprint."""
    model, _ = check_course(course_copy("full"))
    cloze = next(q for q in model.questions if q.kind == "cloze")
    before = store._digest(cloze)
    hash(cloze), cloze.gaps
    assert {"_hash", "gaps"} <= set(vars(cloze))
    assert store._digest(cloze) == before


def _generation(cache: Path) -> dict[int, int]:
    """The size of each file of the store's current generation, by inode."""
    return {path.stat().st_ino: path.stat().st_size for path in _current(cache).iterdir()}


def _current(cache: Path) -> Path:
    """The folder of the store's current generation (of the one course built)."""
    (folder,) = (cache / "builds").iterdir()
    return folder / (folder / "current").read_text().split("\n")[0]


def test_a_rebuild_links_the_records_it_found_and_writes_what_it_made(tmp_path, cache, monkeypatch):
    """After each edit, the files of the last generation that the build still uses most of
    are linked into the new one, not written again; the store never holds more than twice
    what a fresh one holds, and the output is a clean build's."""
    monkeypatch.syspath_prepend(Path(__file__).parent.parent / "benchmarks")
    from generate import generate

    # Large enough that its modules' records, not the final's pool of 200 questions (in its
    # page and its package), are most of the store: what an edit leaves alone is linked.
    course = generate(tmp_path / "course", 1200, modules=6)
    build_course(course, tmp_path / "out", FORMATS, remember=True)
    fresh = sum(_generation(cache).values())
    for n in range(1, 7):  # a question of each module in turn
        last = _generation(cache)
        bank = course / "question_banks" / f"m{n:03d}.yaml"
        bank.write_text(bank.read_text().replace("prompt: ", "prompt: Now, ", 1))
        build_course(course, tmp_path / "out", FORMATS, remember=True)
        now = _generation(cache)
        linked = sum(size for inode, size in now.items() if inode in last)
        assert linked > 0.4 * sum(now.values()), n  # the rest: what the edit changed
        assert sum(now.values()) < 2 * fresh, n
    build_course(course, tmp_path / "clean", FORMATS)
    assert differing(tmp_path / "out", tmp_path / "clean") == []


def _records(cache: Path, memo: str) -> list[tuple[bool, int]]:
    """Whether each of ``memo``'s records in the current generation is packed, and its size."""
    files = store._read_records(_current(cache), memo)
    return [(store._HEADER.unpack_from(r)[3], len(r)) for f in files for r in f.records.values()]


def test_the_store_packs_its_large_values_but_not_those_deflated_already(
    tmp_path, cache, monkeypatch
):
    """Pages, sections and checked banks are kept deflated, zip members as they are; the next
    build finds every one of them, and makes nothing again."""
    monkeypatch.setenv("COURSEGEN_JOBS", "1")  # counted in this process
    monkeypatch.syspath_prepend(Path(__file__).parent.parent / "benchmarks")
    from generate import generate

    course = generate(tmp_path / "course", 300, modules=6)
    build = lambda: build_course(course, tmp_path / "out", FORMATS, remember=True)  # noqa: E731
    build()
    for memo in ("html-pages", "html-key-sections", "checked-banks", "qti-documents"):
        records = _records(cache, memo)
        assert records and all(packed for packed, size in records if size > 1 << 13), memo
    out = tmp_path / "out"
    kept = [
        *out.glob("html/0*.html"),
        out / "html/final-assessment.html",
        *out.glob("instructor/exam*"),
    ]
    pages = sum(len(page.read_bytes()) for page in kept)  # the pages the store keeps
    assert sum(size for _, size in _records(cache, "html-pages")) < pages / 4
    assert not any(packed for packed, _ in _records(cache, "deflated"))
    assert Made(monkeypatch).during(build) == {}
    build_course(course, tmp_path / "clean", FORMATS)
    assert differing(tmp_path / "out", tmp_path / "clean") == []


def test_a_store_where_files_cannot_be_linked_copies_what_it_found(
    course_copy, tmp_path, cache, monkeypatch
):
    """On a file system without hard links, the records a build found are copied into the
    new generation instead: the next build finds them all the same."""
    monkeypatch.setenv("COURSEGEN_JOBS", "1")  # counted in this process

    def no_link(*args):
        raise OSError("hard links not supported")

    monkeypatch.setattr(store.os, "link", no_link)
    course = course_copy("blueprint")  # no images: every bank is kept
    build = lambda: build_course(course, tmp_path / "out", FORMATS, remember=True)  # noqa: E731
    build()
    build()  # finds everything, and copies it
    made = Made(monkeypatch)
    assert made.during(build) == {}  # found again: nothing made
    build_course(course, tmp_path / "clean", FORMATS)
    assert differing(tmp_path / "out", tmp_path / "clean") == []


def test_a_lock_deleted_after_a_build_is_written_whole_from_the_stores_notes(
    course_copy, tmp_path, cache
):
    """The store keeps each Anki note without the lock's text of it: a lock that lost its
    notes (deleted, or checked out from before) gets them all back, as a clean build writes."""
    course = course_copy("full")
    lock = course / "question_banks" / "anki-lock.json"
    build_course(course, tmp_path / "out", ["anki"], remember=True)
    lock.unlink()
    build_course(course, tmp_path / "out", ["anki"], remember=True)
    stored = lock.read_text()
    lock.unlink()
    build_course(course, tmp_path / "clean", ["anki"])
    assert stored == lock.read_text()
    assert '"notes": {\n    "note:' in stored


def test_a_bank_showing_images_is_checked_every_time(course_copy, tmp_path, cache, monkeypatch):
    """Its images are files of their own, which its text does not show the content of."""
    monkeypatch.setenv("COURSEGEN_JOBS", "1")
    course = course_copy("full")
    made = Made(monkeypatch)
    build = lambda: build_course(course, tmp_path / "out", FORMATS, remember=True)  # noqa: E731
    made.during(build)
    again = made.during(build)
    assert again["parsed"] == again["checked"] == 1  # water.yaml; weather.yaml is known
    water = build_course(course, tmp_path / "plain", ["gift"]).course.questions_of("water")
    assert again["html"] == len(water)


def test_a_damaged_store_costs_only_its_reuse(course_copy, tmp_path, cache):
    course = course_copy("full")
    build_course(course, tmp_path / "stored", FORMATS, remember=True)
    for path in (cache / "builds").rglob("*.*"):
        if path.is_file():
            data = path.read_bytes()
            path.write_bytes(data[: len(data) // 2] + bytes(reversed(data[len(data) // 2 :])))
    build_course(course, tmp_path / "stored", FORMATS, remember=True)
    build_course(course, tmp_path / "clean", FORMATS)
    assert differing(tmp_path / "stored", tmp_path / "clean") == []


def test_a_store_written_by_other_code_is_not_read(course_copy, tmp_path, cache, monkeypatch):
    monkeypatch.setenv("COURSEGEN_JOBS", "1")
    course = course_copy("full")
    build_course(course, tmp_path / "out", FORMATS, remember=True)
    monkeypatch.setattr(store, "code_version", lambda: "another coursegen")
    made = Made(monkeypatch)
    counts = made.during(lambda: build_course(course, tmp_path / "out", FORMATS, remember=True))
    assert counts["parsed"] == 2 and counts["html"] > 0


def test_a_build_with_a_cache_folder_it_cannot_write_still_builds(
    course_copy, tmp_path, monkeypatch
):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv("COURSEGEN_CACHE_DIR", str(blocked))
    course = course_copy("full")
    result = build_course(course, tmp_path / "out", FORMATS, remember=True)
    assert (result.out_dir / "html" / "index.html").is_file()


def test_a_failed_build_leaves_the_store_as_it_was(course_copy, tmp_path, cache, monkeypatch):
    course = course_copy("full")
    build_course(course, tmp_path / "out", FORMATS, remember=True)
    (current,) = (cache / "builds").glob("*/current")
    before = current.read_text()

    def fail(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(gift, "export", fail)
    bank = course / "question_banks/water.yaml"
    bank.write_text(bank.read_text().replace("prompt: ", "prompt: Now, ", 1))
    with pytest.raises(Exception, match="No space left"):
        build_course(course, tmp_path / "out", FORMATS, remember=True)
    assert current.read_text() == before
    assert sorted(p.name for p in current.parent.iterdir() if p.is_dir()) == [before.split()[0]]


def test_no_cache_neither_reads_nor_writes_the_store(course_copy, tmp_path, cache):
    course = course_copy("full")
    _coursegen(str(course), "-o", str(tmp_path / "out"), "--no-cache")
    assert not cache.exists()
    _coursegen(str(course), "-o", str(tmp_path / "out"))
    assert len(list((cache / "builds").iterdir())) == 1


def test_the_store_is_in_the_users_cache_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("COURSEGEN_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    if sys.platform.startswith("linux"):
        assert store.cache_root() == tmp_path / "coursegen"
    monkeypatch.setenv("COURSEGEN_CACHE_DIR", os.fspath(tmp_path / "elsewhere"))
    assert store.cache_root() == tmp_path / "elsewhere"


@pytest.mark.parametrize("installed", ["writable", "read-only"])
def test_the_compiled_templates_are_kept_and_a_lost_folder_costs_only_their_reuse(
    course_copy, tmp_path, cache, monkeypatch, installed
):
    """Beside the templates where the install is writable (as Python keeps its bytecode),
    else in the user's cache folder."""
    package = tmp_path / "package"
    package.mkdir()
    monkeypatch.setattr(html, "_TEMPLATES_FOLDER", package)
    if installed == "read-only":
        monkeypatch.setattr(html, "_writable", lambda folder: False)
    html._environment.cache_clear()  # made afresh, with this test's folder
    try:
        course = course_copy("minimal")
        build_course(course, tmp_path / "out", ["html"], remember=True)
        templates = package / "__pycache__" if installed == "writable" else cache / "templates"
        assert list(templates.glob("*.cache"))
        assert not (cache / "templates").exists() or installed == "read-only"
        shutil.rmtree(templates)  # the environment, made once per process, still names it
        html._environment().cache.clear()  # so that it compiles and writes them again
        build_course(course, tmp_path / "again", ["html"], remember=True)
        assert differing(tmp_path / "out", tmp_path / "again") == []
    finally:
        html._environment.cache_clear()
