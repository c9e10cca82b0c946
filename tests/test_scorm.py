"""SCORM 1.2 packages: the manifest against the SCORM 1.2 schemas, what a schema cannot check,
and the package's content. The run-time is tested in real Chromium (tests/browser)."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from lxml import etree

from coursegen.build import build_course
from coursegen.cli import main
from coursegen.exporters.html import CSP

from .conftest import FIXTURES
from .scorm_helpers import NS, package_problems, scorm12_schema


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The full fixture built as HTML and SCORM in one build."""
    course = tmp_path_factory.mktemp("scorm") / "course"
    shutil.copytree(FIXTURES / "full", course)
    build_course(course, formats=["html", "scorm"])
    return course / "output"


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    return scorm12_schema(tmp_path_factory.mktemp("xsd"))


def manifest_of(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("imsmanifest.xml")


def test_manifest_is_valid_scorm_12(built, schema):
    document = etree.fromstring(manifest_of(built / "full-course-scorm12.zip"))
    assert schema.validate(document), schema.error_log


def test_schema_check_can_fail(built, schema):
    text = manifest_of(built / "full-course-scorm12.zip")
    for broken in (
        text.replace(b'adlcp:scormtype="sco"', b'adlcp:scormtype="lesson"'),
        text.replace(b"<title>Every Feature Course", b"<title>" + b"x" * 201, 1),  # too long
        text.replace(b'xml:lang="en"', b'xml:lang="not a language"'),  # ims_xml.xsd applies
        text.replace(b"<imsmd:language>", b"<imsmd:langauge>").replace(
            b"</imsmd:language>", b"</imsmd:langauge>"
        ),
    ):
        assert broken != text
        assert not schema.validate(etree.fromstring(broken))


def test_package_lists_every_file_and_resolves_every_reference(built):
    assert package_problems(built / "full-course-scorm12.zip") == []


def test_package_checks_can_fail(built, tmp_path):
    source = built / "full-course-scorm12.zip"
    broken = tmp_path / "broken.zip"
    manifest = manifest_of(source).decode()
    manifest = manifest.replace('identifierref="sco"', 'identifierref="nowhere"')
    manifest = manifest.replace('<file href="glossary.html" />', '<file href="gone.html" />')
    manifest = manifest.replace('identifier="org"', 'identifier="item"')
    manifest = manifest.replace("<adlcp:masteryscore>60", "<adlcp:masteryscore>160")
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(broken, "w") as new:
        for name in old.namelist():
            new.writestr(name, manifest if name == "imsmanifest.xml" else old.read(name))
    assert package_problems(broken) == [
        "href 'gone.html' is not in the zip",
        "'glossary.html' is in the zip but in no <file>",
        "identifier 'item' is used twice",
        "item 'item' refers to no resource",
        "default organization 'org' does not exist",
        "mastery score '160' is not a whole number 0-100",
    ]


def test_one_sco_launched_by_the_wrapper_with_the_pass_mark(built):
    root = etree.fromstring(manifest_of(built / "full-course-scorm12.zip"))
    assert root.get("identifier") == "coursegen-full-course"
    assert root.findtext("cp:metadata/cp:schema", namespaces=NS) == "ADL SCORM"
    assert root.findtext("cp:metadata/cp:schemaversion", namespaces=NS) == "1.2"
    items = root.findall(".//cp:item", NS)
    assert [i.findtext("cp:title", namespaces=NS) for i in items] == ["Every Feature Course"]
    assert items[0].findtext("adlcp:masteryscore", namespaces=NS) == "60"
    (resource,) = root.findall(".//cp:resource", NS)
    assert resource.get(f"{{{NS['adlcp']}}}scormtype") == "sco"
    assert resource.get("href") == "scorm.html"


def test_the_course_pages_are_the_html_build_unchanged(built):
    site = built / "html"
    with zipfile.ZipFile(built / "full-course-scorm12.zip") as archive:
        names = set(archive.namelist())
        for path in (p for p in site.rglob("*") if p.is_file()):
            name = path.relative_to(site).as_posix()
            assert archive.read(name) == path.read_bytes(), name
    added = names - {p.relative_to(site).as_posix() for p in site.rglob("*")}
    assert added == {"imsmanifest.xml", "scorm.html", "assets/scorm.js", "assets/scorm.css"}


def test_launch_page_is_locked_down_and_knows_every_question(built):
    with zipfile.ZipFile(built / "full-course-scorm12.zip") as archive:
        page = archive.read("scorm.html").decode()
    assert (
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}; frame-src \'self\'">' in page
    )
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.DOTALL)
    assert [attrs for attrs, body in scripts if body.strip()] == [
        ' type="application/json" id="cg-scorm"'
    ]
    data = json.loads(re.search(r'id="cg-scorm">(.*?)</script>', page, re.DOTALL).group(1))
    assert data["questions"][0] == ["wc-stage-first", "full-course.wc-stage-first", "water"]
    assert data["pass_mark"] == 60
    assert "scorm.html" not in data["pages"] and "index.html" in data["pages"]


def test_build_scorm_alone_writes_only_the_zip(runner, course_copy, tmp_path):
    course = course_copy("full")
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(course), "-o", str(out), "-f", "scorm"])
    assert result.exit_code == 0, result.output
    assert f"scorm: wrote {out}/full-course-scorm12.zip" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["full-course-scorm12.zip"]


def test_package_is_the_same_on_every_build(built, tmp_path):
    course = tmp_path / "course"
    shutil.copytree(FIXTURES / "full", course)
    build_course(course, formats=["scorm"])
    again = (course / "output" / "full-course-scorm12.zip").read_bytes()
    assert again == (built / "full-course-scorm12.zip").read_bytes()


def test_right_to_left_course_keeps_its_language(tmp_path, schema):
    course = tmp_path / "course"
    shutil.copytree(FIXTURES / "arabic", course)
    result = build_course(course, formats=["scorm"])
    (archive,) = result.written["scorm"]
    assert package_problems(archive) == []
    root = etree.fromstring(manifest_of(archive))
    assert schema.validate(root), schema.error_log
    with zipfile.ZipFile(archive) as package:
        page = package.read("scorm.html").decode()
    assert '<html lang="ar" dir="rtl">' in page


def test_what_scorm_12_cannot_carry_is_a_warning(runner, course_copy):
    course = course_copy("minimal")
    bank = course / "question_banks" / "basics.yaml"
    long_id = "q-" + "x" * 260
    text = bank.read_text()
    first_id = re.search(r"- id: (\S+)", text).group(1)
    bank.write_text(text.replace(f"id: {first_id}", f"id: {long_id}", 1))
    result = runner.invoke(main, ["build", str(course), "-f", "scorm", "--verbose"])
    assert result.exit_code == 0, result.output
    assert (
        f"warning: scorm changes question '{long_id}' (single_choice): its id with the course "
        "id is longer than SCORM 1.2's 255-character interaction id, so its answers are not "
        "reported to the LMS [scorm-changed]"
    ) in result.output


def test_shipped_course_package_is_valid(tmp_path, schema):
    root = Path(__file__).parent.parent
    course = tmp_path / "course"
    for folder in ("modules", "question_banks"):
        shutil.copytree(root / folder, course / folder)
    (archive,) = build_course(course, formats=["scorm"]).written["scorm"]
    assert package_problems(archive) == []
    assert schema.validate(etree.fromstring(manifest_of(archive))), schema.error_log


def _extended(question: dict, more: int) -> dict:
    """The question with ``more`` options, pairs or items added at the end."""
    n = range(31, 31 + more)
    if question["type"] == "matching":
        return {
            **question,
            "pairs": question["pairs"] + [{"left": f"L{i}", "right": f"R{i}"} for i in n],
        }
    if question["type"] == "ordering":
        return {**question, "items": question["items"] + [f"Step {i}" for i in n]}
    return {**question, "options": question["options"] + [{"text": f"More {i}"} for i in n]}


def test_more_names_than_scorm_12_has_are_a_warning_for_every_kind(course_copy):
    """SCORM 1.2 names options, pairs and items a-z then 0-9: 36. Thirty need no warning."""
    course = course_copy("long-lists")
    assert build_course(course, formats=["scorm"]).format_warnings == []
    bank = course / "question_banks" / "basics.yaml"
    data = yaml.safe_load(bank.read_text("utf-8"))
    data["questions"] = [_extended(q, 7) for q in data["questions"]]
    bank.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    warnings = build_course(course, formats=["scorm"]).format_warnings
    assert [(d.code, d.message) for d in warnings] == [
        (
            "scorm-changed",
            f"scorm changes question '{qid}' ({kind}): it has 37 {what}, more than the 36 that "
            "SCORM 1.2 can name in a response (a-z, 0-9); the LMS is sent the rest by number "
            "(37, 38...), which it may refuse",
        )
        for qid, kind, what in (
            ("many-choices", "single_choice", "options"),
            ("many-options", "multiple_response", "options"),
            ("many-pairs", "matching", "pairs"),
            ("many-items", "ordering", "items"),
        )
    ]


def test_the_manifest_names_the_publisher_and_the_edition(tmp_path, schema):
    course = tmp_path / "course"
    shutil.copytree(FIXTURES / "full", course)
    manifest = course / "modules" / "course.yaml"
    manifest.write_text(
        manifest.read_text()
        + "publisher: Water Academy, Basra; Iraq\ncontact: https://water.example/courses\n"
        + "edition: 2026-12-01\n"
    )
    build_course(course, formats=["html", "scorm"])
    document = etree.fromstring(manifest_of(course / "output" / "full-course-scorm12.zip"))
    assert schema.validate(document), schema.error_log
    contribute = document.find(".//imsmd:lifecycle/imsmd:contribute", NS)
    role = contribute.findtext("imsmd:role/imsmd:value/imsmd:langstring", namespaces=NS)
    assert role == "Publisher"
    assert contribute.findtext("imsmd:centity/imsmd:vcard", namespaces=NS) == (
        "BEGIN:VCARD\nVERSION:3.0\nFN:Water Academy\\, Basra\\; Iraq\n"
        "URL:https://water.example/courses\nEND:VCARD"
    )
    assert contribute.findtext("imsmd:date/imsmd:datetime", namespaces=NS) == "2026-12-01"


def test_a_manifest_without_a_publisher_has_no_lifecycle(built):
    document = etree.fromstring(manifest_of(built / "full-course-scorm12.zip"))
    assert document.find(".//imsmd:lifecycle", NS) is None
