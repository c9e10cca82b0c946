"""SCORM 1.2: the HTML course as one SCO, zipped with ``imsmanifest.xml`` at its root.

The course is one site with its own navigation, progress and final assessment, so it is one
SCO, whose mastery score is the final assessment's pass mark. The learner moves between
pages inside it, and a SCORM 1.2 session must outlive those page loads: the package launches
``scorm.html``, a small page that finds the LMS's API, opens the session once, shows the
course in a frame and closes the session when it is itself left. The course pages reach it
only through ``window.frameElement`` (see course.js); opened without an LMS they work as the
HTML course does.
"""

from __future__ import annotations

import dataclasses
import json
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import jinja2
from markupsafe import Markup

from .. import markup
from ..archive import extend_zip
from ..i18n import direction
from ..ids import lms_ident
from ..model import Course, Matching, Ordering
from . import BuildContext, Shortfall, at_once
from . import html as html_exporter

LAUNCH_PAGE = "scorm.html"
ASSETS = ("scorm.js", "scorm.css")
# The launch page shows the course in a frame: the HTML course's policy, plus its own frames.
CSP = html_exporter.CSP + "; frame-src 'self'"
PROMPTS = html_exporter.PROMPTS  # the package is the HTML course

IMSCP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
IMSMD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML = "http://www.w3.org/XML/1998/namespace"
SCHEMA_LOCATION = (
    f"{IMSCP} imscp_rootv1p1p2.xsd {IMSMD} imsmd_rootv1p2p1.xsd {ADLCP} adlcp_rootv1p2.xsd"
)

# Limits of SCORM 1.2: the manifest's title and version (imscp XSD), an interaction's id
# (CMIIdentifier), and the single characters that name choices in a response (a-z, 0-9).
MAX_TITLE = 200
MAX_VERSION = 20
MAX_IDENTIFIER = 255
MAX_KEYS = 36


def export(course: Course, out_dir: Path, context: BuildContext) -> list[Path]:
    """Write ``<course-id>-scorm12.zip`` into ``out_dir``: the site's zip, and the SCO's files."""
    archive = out_dir / f"{course.id}-scorm12.zip"
    site, site_zip = context.built.get("html"), context.built.get("html.zip")
    if site is not None and site_zip is not None:  # this build's site (no live reload), zipped
        extend_zip(site_zip(), archive, _sco_files(course, site))
        return [archive]
    # Built inside out_dir (an exporter writes nowhere else), and removed once packaged.
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".scorm-site-") as folder:
        site, site_zip = _html_site(course, Path(folder), context)
        extend_zip(site_zip, archive, _sco_files(course, site))
    return [archive]


def _html_site(course: Course, folder: Path, context: BuildContext) -> tuple[Path, Path]:
    """The HTML course exactly as ``-f html`` writes it (never with live reload), and its zip."""
    html_context = dataclasses.replace(context, live_reload=False, built={}, in_background=at_once)
    html_exporter.export(course, folder, html_context)
    return folder / "html", folder / f"{course.id}-html.zip"


def _sco_files(course: Course, site: Path) -> list[tuple[str, bytes]]:
    """What the package holds besides the site: launch page, assets and manifest, by name."""
    names = [p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()]
    files = {LAUNCH_PAGE: launch_page(course, sorted(n for n in names if "/" not in n))}
    assets = resources.files("coursegen").joinpath("templates/scorm")
    for name in ASSETS:
        files[f"assets/{name}"] = assets.joinpath(name).read_bytes()
    files["imsmanifest.xml"] = manifest(course, sorted([*names, *files]))
    return sorted(files.items())


def launch_page(course: Course, pages: list[str]) -> bytes:
    """The SCO's launch file: the LMS session, and the course in a frame."""
    data = {
        "pass_mark": course.final_assessment.pass_mark,
        "start": "index.html",
        "pages": pages,
        # In course order: when progress outgrows cmi.suspend_data, the last are left out.
        "questions": [[q.id, lms_ident(course.id, q.id), q.module_id] for q in course.questions],
    }
    # With every "<" escaped, no text in the data can end or restart the <script> element.
    text = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
    template = _environment().get_template("launch.html")
    page = template.render(
        title=markup.to_plain_text(course.title),
        lang=course.language,
        dir=direction(course.language),
        csp=Markup(CSP),
        data=Markup(text),
    )
    return page.encode("utf-8")


def manifest(course: Course, files: list[str]) -> bytes:
    """``imsmanifest.xml``: one organization, one item, one SCO resource listing ``files``."""
    for prefix, uri in (("adlcp", ADLCP), ("imsmd", IMSMD), ("xsi", XSI)):
        ET.register_namespace(prefix, uri)  # names only these URIs, whoever else uses ET
    # IMS CP is the default namespace: its elements are written unqualified under this xmlns
    # (ElementTree's default_namespace refuses the unqualified attributes SCORM requires).
    root = ET.Element("manifest", {"xmlns": IMSCP, "identifier": f"coursegen-{course.id}"})
    if len(course.version) <= MAX_VERSION:
        root.set("version", course.version)
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    metadata = ET.SubElement(root, "metadata")
    ET.SubElement(metadata, "schema").text = "ADL SCORM"
    ET.SubElement(metadata, "schemaversion").text = "1.2"
    metadata.append(_lom(course))
    title = _title(course)
    organizations = ET.SubElement(root, "organizations", {"default": "org"})
    organization = ET.SubElement(organizations, "organization", {"identifier": "org"})
    ET.SubElement(organization, "title").text = title
    item = ET.SubElement(organization, "item", {"identifier": "item", "identifierref": "sco"})
    ET.SubElement(item, "title").text = title
    ET.SubElement(item, f"{{{ADLCP}}}masteryscore").text = str(course.final_assessment.pass_mark)
    resources_element = ET.SubElement(root, "resources")
    resource = ET.SubElement(
        resources_element,
        "resource",
        {"identifier": "sco", "type": "webcontent", f"{{{ADLCP}}}scormtype": "sco"},
    )
    resource.set("href", LAUNCH_PAGE)
    for name in files:
        ET.SubElement(resource, "file", {"href": name})
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _lom(course: Course) -> ET.Element:
    """IMS metadata (LOM) naming the course, its language and what it covers."""
    lom = ET.Element(f"{{{IMSMD}}}lom")
    general = ET.SubElement(lom, f"{{{IMSMD}}}general")
    for name, text in (
        ("title", markup.to_plain_text(course.title)),
        ("language", course.language),
        ("description", markup.to_plain_text(course.description)),
    ):
        element = ET.SubElement(general, f"{{{IMSMD}}}{name}")
        if name == "language":
            element.text = text
        else:
            langstring = ET.SubElement(element, f"{{{IMSMD}}}langstring")
            langstring.set(f"{{{XML}}}lang", course.language)
            langstring.text = text
    if course.publisher:
        lom.append(_lifecycle(course))
    return lom


def _lifecycle(course: Course) -> ET.Element:
    """LOM's lifecycle: the publisher as a contributor, with the edition's date."""
    lifecycle = ET.Element(f"{{{IMSMD}}}lifecycle")
    contribute = ET.SubElement(lifecycle, f"{{{IMSMD}}}contribute")
    role = ET.SubElement(contribute, f"{{{IMSMD}}}role")
    for name, text in (("source", "LOMv1.0"), ("value", "Publisher")):  # LOM's vocabulary
        langstring = ET.SubElement(
            ET.SubElement(role, f"{{{IMSMD}}}{name}"), f"{{{IMSMD}}}langstring"
        )
        langstring.set(f"{{{XML}}}lang", "x-none")
        langstring.text = text
    centity = ET.SubElement(contribute, f"{{{IMSMD}}}centity")
    ET.SubElement(centity, f"{{{IMSMD}}}vcard").text = _vcard(course)
    if course.edition:
        date = ET.SubElement(contribute, f"{{{IMSMD}}}date")
        ET.SubElement(date, f"{{{IMSMD}}}datetime").text = course.edition.isoformat()
    return lifecycle


def _vcard(course: Course) -> str:
    """The publisher as a vCard (RFC 2426), with the course's contact if it has one."""
    lines = ["BEGIN:VCARD", "VERSION:3.0", "FN:" + _vcard_text(str(course.publisher))]
    if course.contact:
        kind = "URL" if "://" in course.contact else "EMAIL;TYPE=INTERNET"
        lines.append(f"{kind}:{course.contact}")
    return "\n".join([*lines, "END:VCARD"])


def _vcard_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")


def _title(course: Course) -> str:
    title = markup.to_plain_text(course.title)
    return title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1] + "…"


def shortfalls(course: Course) -> Iterator[Shortfall]:
    """What SCORM 1.2 cannot carry as authored: the package carries it changed."""
    if len(markup.to_plain_text(course.title)) > MAX_TITLE:
        yield Shortfall(
            course.pos,
            "the course title",
            f"it is longer than SCORM 1.2's {MAX_TITLE} characters; the manifest shortens it",
        )
    if len(course.version) > MAX_VERSION:
        yield Shortfall(
            course.pos,
            "the course version",
            f"it is longer than SCORM 1.2's {MAX_VERSION} characters; the manifest leaves it out",
        )
    yield from html_exporter.shortfalls(course)  # the package is the HTML course
    for q in course.questions:
        if len(lms_ident(course.id, q.id)) > MAX_IDENTIFIER:
            yield Shortfall.of_question(
                q,
                f"its id with the course id is longer than SCORM 1.2's {MAX_IDENTIFIER}-"
                "character interaction id, so its answers are not reported to the LMS",
                "use a shorter question id (or course id)",
            )
        count, kind = _key_count(q)
        if count > MAX_KEYS:
            yield Shortfall.of_question(
                q,
                f"it has {count} {kind}, more than the {MAX_KEYS} that SCORM 1.2 can name in a "
                f"response (a-z, 0-9); the LMS is sent the rest by number ({MAX_KEYS + 1}, "
                f"{MAX_KEYS + 2}...), which it may refuse",
                f"split the question so that each has at most {MAX_KEYS}",
            )


def _key_count(q) -> tuple[int, str]:
    """How many options, pairs or items scorm.js names in the question's responses."""
    if isinstance(q, Matching):
        return len(q.pairs), "pairs"
    if isinstance(q, Ordering):
        return len(q.items), "items"
    return len(getattr(q, "options", ())), "options"


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("coursegen", "templates/scorm"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
