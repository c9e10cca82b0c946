"""What learners receive holds no instructor material: no answer key in the site, its zip or
the SCORM package, and no link to one from any page a learner can reach."""

from __future__ import annotations

import shutil
import zipfile
from urllib.parse import urldefrag

import pytest

from coursegen.build import build_course

from .conftest import FIXTURES


@pytest.fixture(scope="module")
def output(tmp_path_factory):
    course = tmp_path_factory.mktemp("learner") / "course"
    shutil.copytree(FIXTURES / "full", course)
    build_course(course, formats=["html", "scorm"])
    return course / "output"


def test_no_learner_page_links_to_instructor_material(page, output):
    site = output / "html"
    start = (site / "index.html").as_uri()
    seen, queue = set(), [start]
    while queue:  # every page reachable by a link from the home page, in a real browser
        address = queue.pop()
        if address in seen:
            continue
        seen.add(address)
        page.goto(address)
        links = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        for link in links:
            target, _ = urldefrag(link)
            assert "answer-key" not in target and "instructor" not in target, (address, link)
            if target.startswith(site.as_uri()) and target.endswith(".html"):
                queue.append(target)
    pages = {p.as_uri() for p in site.glob("*.html")}
    assert seen == pages  # the crawl reached every page of the site


def test_the_zip_and_the_scorm_package_hold_no_answer_key(output):
    for archive in ("full-course-html.zip", "full-course-scorm12.zip"):
        with zipfile.ZipFile(output / archive) as package:
            names = package.namelist()
            assert not [n for n in names if "answer" in n or "instructor" in n], archive
            for name in names:
                if name.endswith(".html"):
                    assert b"answer-key" not in package.read(name), (archive, name)
    assert not (output / "html" / "answer-key.html").exists()
    assert (output / "instructor" / "answer-key.html").is_file()
