"""Images whose file names have spaces, accents, Arabic letters, '%' or '#' (fixtures/images),
shown from every text field: in real Chromium, from file://, each one loads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coursegen.build import build_course

from .conftest import FIXTURES

# page -> how many images it shows (the course description, objectives, key terms, summary,
# lesson and questions all show some)
PAGES = {"index.html": 2, "01-charts.html": 9, "glossary.html": 1, "answer-key.html": 2}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    course = tmp_path_factory.mktemp("images") / "course"
    shutil.copytree(FIXTURES / "images", course)
    build_course(course, formats=["html"])
    return course / "output" / "html"


@pytest.mark.parametrize("name", PAGES)
def test_every_image_loads(page, site, errors, name):
    page.goto((site / name).as_uri())
    page.wait_for_load_state("load")
    loaded = page.eval_on_selector_all(
        "img", "images => images.map(i => i.complete && i.naturalWidth > 0)"
    )
    assert loaded == [True] * PAGES[name]
    assert errors == []
