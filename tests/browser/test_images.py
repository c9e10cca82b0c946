"""Published images in real Chromium: names with spaces, accents, Arabic letters, '%' or '#'
(fixtures/images), shown from every text field, load from file://; SVGs opened on their own
run nothing, and they draw exactly as the files the author wrote."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coursegen.build import build_course
from coursegen.media import image_bytes

from .conftest import FIXTURES

ROOT = Path(__file__).parent.parent.parent

# page -> how many images it shows (the course description, objectives, key terms, summary,
# lesson and questions all show some)
PAGES = {
    "index.html": 2,
    "01-charts.html": 9,
    "glossary.html": 1,
    "../instructor/answer-key.html": 2,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    course = tmp_path_factory.mktemp("images") / "course"
    shutil.copytree(FIXTURES / "images", course)
    build_course(course, formats=["html"])
    return course / "output" / "html"


@pytest.mark.parametrize("name", PAGES)
def test_every_image_loads(page, site, errors, name):
    page.goto((site / name).resolve().as_uri())
    page.wait_for_load_state("load")
    loaded = page.eval_on_selector_all(
        "img", "images => images.map(i => i.complete && i.naturalWidth > 0)"
    )
    assert loaded == [True] * PAGES[name]
    assert errors == []


def test_a_published_svg_opened_on_its_own_runs_nothing(page, sites, errors):
    """A link or a new tab opens the image as a document, which no page's CSP covers."""
    (image,) = (sites["hostile"] / "assets" / "media").glob("*.svg")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(image.as_uri())
    page.wait_for_load_state("load")
    page.mouse.click(50, 50)  # where the rectangle's onclick was
    page.get_by_text("Paris").click()  # the javascript: link
    assert page.evaluate("window.__pwned") is None
    assert dialogs == [] and errors == []


@pytest.mark.parametrize(
    "image",
    [
        FIXTURES / "svg-attacks" / "modules" / "images" / "benign.svg",
        FIXTURES / "full" / "modules" / "images" / "cycle.svg",
        ROOT / "modules" / "images" / "org-chart.svg",
    ],
    ids=lambda path: path.stem,
)
def test_a_sanitised_svg_draws_as_the_original(page, tmp_path, image):
    shutil.copyfile(image, tmp_path / "original.svg")
    (tmp_path / "published.svg").write_bytes(image_bytes(image))
    shots = []
    for name in ("original.svg", "published.svg"):
        page.goto((tmp_path / name).as_uri())
        shots.append(page.screenshot())
    assert shots[0] == shots[1]


def test_the_drawing_comparison_can_fail(page, tmp_path):
    image = FIXTURES / "svg-attacks" / "modules" / "images" / "benign.svg"
    (tmp_path / "original.svg").write_bytes(image.read_bytes())
    (tmp_path / "restyled.svg").write_bytes(image.read_bytes().replace(b"#3af", b"#3a0"))
    shots = []
    for name in ("original.svg", "restyled.svg"):
        page.goto((tmp_path / name).as_uri())
        shots.append(page.screenshot())
    assert shots[0] != shots[1]
