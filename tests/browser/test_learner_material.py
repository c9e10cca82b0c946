"""What learners receive holds no instructor material: no answer key, printable exam, exam
key or objectives map in the site, its zip or the SCORM package, and no link to one from any
page a learner can reach; the instructor's pages lead to each other and nowhere else."""

from __future__ import annotations

import shutil
import zipfile
from urllib.parse import urldefrag

import pytest

from coursegen.build import build_course

from .conftest import FIXTURES

# What output/instructor/ holds besides its index, which shares its name with the site's.
MATERIAL = ("answer-key.html", "exam.html", "exam-key.html", "objectives.html")


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


def test_the_zip_and_the_scorm_package_hold_no_instructor_material(output):
    for archive in ("full-course-html.zip", "full-course-scorm12.zip"):
        with zipfile.ZipFile(output / archive) as package:
            names = package.namelist()
            assert not [n for n in names if n.rsplit("/", 1)[-1] in MATERIAL], archive
            assert not [n for n in names if "answer" in n or "instructor" in n], archive
            for name in names:
                if name.endswith(".html"):
                    text = package.read(name)
                    assert b"instructor" not in text, (archive, name)
                    assert not [m for m in MATERIAL if m.encode() in text], (archive, name)
    for name in MATERIAL:
        assert not (output / "html" / name).exists()
        assert (output / "instructor" / name).is_file()


def test_the_instructor_pages_lead_to_each_other_and_nowhere_else(page, output):
    folder = output / "instructor"
    start = (folder / "index.html").as_uri()
    seen, queue = set(), [start]
    while queue:
        address = queue.pop()
        if address in seen:
            continue
        seen.add(address)
        page.goto(address)
        for link in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            target, _ = urldefrag(link)
            assert target.startswith(folder.as_uri() + "/"), (address, link)
            queue.append(target)
    assert seen == {p.as_uri() for p in folder.glob("*.html")}
    assert {p.name for p in folder.glob("*.html")} == {"index.html", *MATERIAL}
