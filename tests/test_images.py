"""Images as every format publishes them: no SVG reaches any output with active content."""

from __future__ import annotations

import base64
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from coursegen.build import build_course
from coursegen.media import image_bytes

from .conftest import FIXTURES

ROOT = Path(__file__).parent.parent
ATTACKS = FIXTURES / "svg-attacks"
IMAGES = ATTACKS / "modules" / "images"
# What the attacks in svg-attacks/ are made of; none of it may be published.
MARKERS = (b"<script", b"alert(", b"onload", b"onclick", b"foreignObject", b"iframe")
MARKERS += (b"javascript:", b"<!ENTITY", b"<!DOCTYPE", b"/etc/passwd", b"@import")
# A URL with a scheme or a host leads out of the image; svg-hush rewrites every other one as
# a path on the site that serves the image, so that nothing comes from elsewhere.
OUTSIDE = re.compile(r"\s*([a-z][a-z0-9+.-]*:|//|\\\\)(?!image/)", re.IGNORECASE)
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]*)")
WHERE = ["html folder", "html zip", "scorm zip", "anki media", "qti zip", "moodle xml"]


def _svgs_in_zip(path: Path) -> list[bytes]:
    with zipfile.ZipFile(path) as archive:
        return [archive.read(n) for n in archive.namelist() if n.endswith(".svg")]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    course = tmp_path_factory.mktemp("svg") / "course"
    shutil.copytree(ATTACKS, course)
    return build_course(course)


@pytest.fixture(scope="module")
def published(built) -> dict[str, list[bytes]]:
    """Every SVG file the build wrote, by the output it is in."""
    out = built.out_dir
    with zipfile.ZipFile(out / "anki" / "svg-attacks.apkg") as apkg:
        media = json.loads(apkg.read("media"))
        anki = [apkg.read(n) for n, name in media.items() if name.endswith(".svg")]
    moodle = etree.parse(str(out / "svg-attacks-moodle.xml")).iter("file")
    return {
        "html folder": [p.read_bytes() for p in (out / "html").rglob("*.svg")],
        "html zip": _svgs_in_zip(out / "svg-attacks-html.zip"),
        "scorm zip": _svgs_in_zip(out / "svg-attacks-scorm12.zip"),
        "anki media": anki,
        "qti zip": _svgs_in_zip(out / "svg-attacks-qti.zip"),
        "moodle xml": [base64.b64decode(f.text) for f in moodle if f.get("name").endswith(".svg")],
    }


def active_parts(svg: bytes) -> list[str]:
    """Scripts, foreign objects, handlers and links out of the image, as lxml reads them."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    parts = []
    for element in etree.fromstring(svg, parser).iter(etree.Element):
        name = etree.QName(element).localname
        if name in ("script", "foreignObject", "iframe", "handler"):
            parts.append(name)
        urls = CSS_URL.findall(element.text or "") if name == "style" else []
        for key, value in element.attrib.items():
            attribute = etree.QName(key).localname
            if attribute.startswith("on"):
                parts.append(f"{attribute}={value}")
            urls += [value] if attribute in ("href", "src") else CSS_URL.findall(value)
        parts += [url for url in urls if OUTSIDE.match(url)]
    return parts


def drawing(svg: bytes) -> list[tuple]:
    """What an SVG draws: each element, its attributes and its text, in document order."""
    parts = []
    for element in etree.fromstring(svg).iter(etree.Element):
        attributes = {etree.QName(k).localname: v for k, v in element.attrib.items()}
        text = " ".join((element.text or "").split()), " ".join((element.tail or "").split())
        parts.append((etree.QName(element).localname, attributes, *text))
    return parts


def test_every_format_publishes_the_images_its_questions_and_lessons_show(published):
    # Nine images, each once per output; the site also shows the bank's nine in its pages.
    assert {where: len(files) for where, files in published.items()} == dict.fromkeys(WHERE, 9)


@pytest.mark.parametrize("where", WHERE)
def test_no_published_svg_has_active_content(published, where):
    for svg in published[where]:
        assert [m.decode() for m in MARKERS if m in svg] == []
        assert active_parts(svg) == []


@pytest.mark.parametrize("where", WHERE)
def test_a_benign_svg_keeps_its_shapes_text_and_styles(published, where):
    (benign,) = [svg for svg in published[where] if b"Rainfall" in svg]
    assert drawing(benign) == drawing((IMAGES / "benign.svg").read_bytes())


@pytest.mark.parametrize(
    "path",
    [
        FIXTURES / "full/modules/images/cycle.svg",
        FIXTURES.parent.parent / "modules/images/org-chart.svg",
    ],
    ids=["cycle", "org-chart"],
)
def test_the_course_images_are_published_as_they_draw(path):
    assert drawing(image_bytes(path)) == drawing(path.read_bytes())


def test_each_place_that_shows_active_content_is_warned_about(built):
    warnings = [d for d in built.diagnostics if d.code == "svg-active-content"]
    assert len(warnings) == 16  # eight hostile images, each in the lesson and in the bank
    assert [d.format() for d in warnings if "'images/entities.svg'" in d.message] == [
        f"{built.out_dir.parent}/modules/01-basics.md:28:1: warning: "
        "image 'images/entities.svg' has active content, which every format leaves out: "
        "an external entity ('file:///etc/passwd'), a script [svg-active-content]\n"
        "    hint: remove it from the SVG file; a published image must not run or load anything"
    ]
