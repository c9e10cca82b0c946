"""Images whose file names have spaces, accents, Arabic letters, '%' or '#', shown from every
text field (fixtures/images), built in every format that carries images: each image the
output shows must be a file of that output, under the name its reference gives."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import zipfile
from html import unescape
from pathlib import Path
from urllib.parse import unquote

import pytest
from click.testing import CliRunner
from lxml import etree

from coursegen.build import build_course
from coursegen.cli import main

from .anki_helpers import fresh_collection, import_apkg, notes_by_id
from .conftest import FIXTURES

FORMATS = ["html", "anki", "scorm", "qti", "moodle"]
SRC = re.compile(r'<img src="([^"]*)"')
# Every image of the fixture, by its alt text: each must reach the pages.
PAGE_IMAGES = {
    "index.html": {"The course logo", "small logo"},
    "01-charts.html": {
        "logo",
        "Map of Baghdad",
        "Organization chart",
        "A hundred percent",
        "Floor plan of the station",
    },
    "glossary.html": {"Map of Baghdad"},
}


@pytest.fixture(scope="module")
def output(tmp_path_factory) -> Path:
    course = tmp_path_factory.mktemp("images") / "course"
    shutil.copytree(FIXTURES / "images", course)
    args = ["build", str(course), *(f"-f{name}" for name in FORMATS)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return course / "output"


def images_of(html: str) -> dict[str, str]:
    """alt -> src of every image in a page."""
    found = re.findall(r'<img src="([^"]*)" alt="([^"]*)"', html)
    return {unescape(alt): unescape(src) for src, alt in found}


def test_every_field_shows_its_images_in_the_site(output):
    site = output / "html"
    for page, alts in PAGE_IMAGES.items():
        shown = images_of((site / page).read_text("utf-8"))
        assert alts <= shown.keys(), page
        for src in shown.values():
            assert (site / unquote(src)).is_file(), src


def test_media_names_need_no_escaping_anywhere(output):
    names = [p.name for p in (output / "html" / "assets" / "media").iterdir()]
    assert len(names) == 5
    assert all(re.fullmatch(r"[0-9a-f]{10}-[A-Za-z0-9_-]+\.svg", n) for n in names), names
    assert any(n.endswith("-org-chart-e.svg") for n in names)  # é loses its accent only


def published_media(output: Path) -> dict[str, dict[str, bytes]]:
    """Every image file each output holds: format -> its name there -> its bytes."""
    with zipfile.ZipFile(output / "image-names-scorm12.zip") as scorm:
        media = [n for n in scorm.namelist() if n.startswith("assets/media/")]
        scorm_files = {n.rpartition("/")[2]: scorm.read(n) for n in media}
    with zipfile.ZipFile(output / "anki" / "image-names.apkg") as apkg:
        names = json.loads(apkg.read("media"))
        anki = {name.removeprefix("image-names-"): apkg.read(i) for i, name in names.items()}
    with zipfile.ZipFile(output / "image-names-qti.zip") as qti:
        images = [n for n in qti.namelist() if n.startswith("images/")]
        qti_files = {n.removeprefix("images/"): qti.read(n) for n in images}
    moodle = etree.parse(str(output / "image-names-moodle.xml")).iter("file")
    return {
        "html": {p.name: p.read_bytes() for p in (output / "html/assets/media").iterdir()},
        "scorm": scorm_files,
        "anki": anki,
        "qti": qti_files,
        "moodle": {f.get("name"): base64.b64decode(f.text) for f in moodle},
    }


def test_every_media_name_hashes_the_sanitised_bytes_published(output):
    """One name for one published file in every format: its hash is of what is published
    (an SVG sanitised), not of the file as the author wrote it."""
    published = published_media(output)
    for where, files in published.items():
        assert files, where
        for name, data in files.items():
            assert name.startswith(hashlib.sha256(data).hexdigest()[:10] + "-"), (where, name)
            assert data.startswith(b"<?xml"), (where, name)  # svg-hush wrote it
    site = published["html"]
    assert all(files.items() <= site.items() for files in published.values())


def test_the_scorm_package_holds_every_image_its_pages_show(output):
    with zipfile.ZipFile(output / "image-names-scorm12.zip") as archive:
        members = set(archive.namelist())
        manifest = archive.read("imsmanifest.xml").decode()
        for page in PAGE_IMAGES:
            for src in images_of(archive.read(page).decode()).values():
                assert src in members and f'href="{src}"' in manifest


def test_anki_finds_every_image_and_no_other(output, tmp_path):
    collection = fresh_collection(tmp_path)
    try:
        import_apkg(collection, output / "anki" / "image-names.apkg")
        check = collection.media.check()
        assert list(check.missing) == [] and list(check.unused) == []
        notes = notes_by_id(collection)
        assert len(SRC.findall(notes["fc-map"]["Back"])) == 1
        assert len(SRC.findall(notes["chart-shows"]["Prompt"])) == 1
    finally:
        collection.close()


def test_the_qti_package_holds_every_image_its_items_show(output):
    with zipfile.ZipFile(output / "image-names-qti.zip") as archive:
        members = set(archive.namelist())
        text = "".join(archive.read(n).decode() for n in members if n.endswith(".xml"))
    srcs = set(re.findall(r"\$IMS-CC-FILEBASE\$/([^&\"]*)", text))
    assert len(srcs) == 3 and srcs <= members


def test_moodle_questions_carry_every_image_they_show(output):
    root = etree.parse(str(output / "image-names-moodle.xml"))
    shown = 0
    for field in root.iter("questiontext", "feedback"):
        html = field.findtext("text") or ""
        files = {f.get("name") for f in field.findall("file")}
        for src in SRC.findall(html):
            assert src.startswith("@@PLUGINFILE@@/") and unquote(src[15:]) in files
            shown += 1
    assert shown == 3


def test_a_rebuild_after_an_image_changes_shows_the_new_one(course_copy, monkeypatch):
    """`coursegen serve` reuses unchanged pages; an image whose content changed is not one."""
    from coursegen import reuse
    from coursegen.build import build_course
    from coursegen.media import image_bytes

    monkeypatch.setattr(reuse, "_enabled", True)
    course = course_copy("images")
    for bank in (course / "question_banks").rglob("*.yaml"):  # no question images
        bank.write_text(re.sub(r"!\[[^]]*\]\([^)]*\)", "a picture", bank.read_text()))
    build_course(course, formats=["html"])
    image = course / "modules" / "images" / "org chart é.svg"
    image.write_text(image.read_text().replace("#246", "#135"))
    build_course(course, formats=["html"])
    site = course / "output" / "html"
    shown = images_of((site / "01-charts.html").read_text("utf-8"))
    assert (site / shown["Organization chart"]).read_bytes() == image_bytes(image)
    assert b"#135" in image_bytes(image)  # the new version, as every format publishes it


def test_every_format_takes_each_image_from_one_media_map(course_copy, monkeypatch):
    """Each image file is read, sanitised and named once a build, whatever the formats."""
    import coursegen.media

    course = course_copy("full")
    reads = []
    original = coursegen.media.image_bytes
    monkeypatch.setattr(coursegen.media, "image_bytes", lambda p: reads.append(p) or original(p))
    build_course(course)
    assert reads and len(reads) == len(set(reads))
