"""QTI 1.2 -> question data: a content package (zip) or one questestinterop file.

A package is read as Canvas (and text2qti, and coursegen's own export) lays it out:
``imsmanifest.xml`` lists an ``imsqti_xmlv1p2`` resource per assessment, whose file is a
``questestinterop``; images are files of the zip, referenced as ``$IMS-CC-FILEBASE$/...`` or
by a path relative to the document. Each assessment (or item bank, or top-level section)
becomes a category; an item that an earlier assessment had (coursegen's final repeats the
modules' items) is read once. A position in a package is ``ZIP:MEMBER:LINE:COL``. The items
themselves are read in qti_items.py, their text and images in qti_material.py.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from io import BytesIO
from urllib.parse import unquote

from lxml import etree

from .. import markup
from ..errors import CourseError, Diagnostic, Severity, SourcePos
from .parsed import Category, Ids, Images, Parsed, module_title, shared_prefix
from .qti_items import ItemReader

# A package holds quizzes and their images: far below these, and a zip bomb far above.
MAX_MEMBER = 50 * 1024 * 1024
MAX_TOTAL = 200 * 1024 * 1024
MAX_MEMBERS = 10_000
_FILEBASE = re.compile(r"^(?:\$|%24)IMS(?:-|_)CC(?:-|_)FILEBASE(?:\$|%24)/", re.I)
_GROUPS = ("assessment", "objectbank", "section")


@dataclass
class Document:
    """One questestinterop file: where it is shown and its folder inside the package."""

    shown: str
    folder: str
    data: bytes


def read(data: bytes, shown: str, course_id: str) -> Parsed:
    """A QTI package or file as the import's categories; broken XML is a located error."""
    package = _Package(data, shown) if data.startswith(b"PK\x03\x04") else None
    documents = package.documents() if package else [Document(shown, "", data)]
    roots, errors = [], []
    for document in documents:
        root = _parsed(document, errors)
        if root is not None:
            roots.append((document, root))
    items = [item for _, root in roots for item in root.iter("item")]
    prefix = shared_prefix(item.get("ident", "") for item in items) or course_id
    reader = _Reader(prefix, package)
    for document, root in roots:
        reader.document(document, root)
    categories = [c for c in reader.categories if c.questions]
    return Parsed("QTI", categories, reader.images.files, reader.warnings, errors)


def _parsed(document: Document, errors: list[Diagnostic]):
    """The document's root, its namespaces dropped (text2qti writes QTI's, Canvas none)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(document.data, parser)
    except etree.XMLSyntaxError as exc:
        line, col = exc.position
        message = re.sub(r", line \d+, column \d+$", "", exc.msg)
        pos = SourcePos(document.shown, line, col)
        errors.append(Diagnostic(pos, Severity.ERROR, f"not well-formed XML: {message}", "qti-xml"))
        return None
    for element in root.iter(etree.Element):
        element.tag = etree.QName(element).localname
    return root


class _Package:
    """The members of a zip, read with limits on their number and size."""

    def __init__(self, data: bytes, shown: str):
        self.shown = shown
        try:
            self.zip = zipfile.ZipFile(BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, OSError) as exc:
            raise CourseError(f"{shown}: not a readable zip file: {exc}") from None
        if len(infos) > MAX_MEMBERS:
            raise CourseError(f"{shown}: {len(infos)} files in the zip; a QTI package has fewer")
        self.names = {info.filename for info in infos if not info.is_dir()}
        self.total = 0

    def member(self, name: str) -> bytes:
        """The bytes of a member; the zip's own sizes are not trusted, what is read is."""
        try:
            with self.zip.open(name) as member:
                data = member.read(MAX_MEMBER + 1)
        except (zipfile.BadZipFile, OSError, RuntimeError, ValueError) as exc:
            raise CourseError(f"{self.shown}:{name}: cannot be read from the zip: {exc}") from None
        self.total += len(data)
        if len(data) > MAX_MEMBER or self.total > MAX_TOTAL:
            raise CourseError(
                f"{self.shown}:{name}: unpacks to more than {MAX_MEMBER // 2**20} MiB (or the "
                f"package to more than {MAX_TOTAL // 2**20} MiB): too large for a QTI package"
            )
        return data

    def resolve(self, href: str, folder: str) -> str | None:
        """The member a reference names, relative to ``folder``; None if it is not in the
        package, or if it climbs out of it ('..', an absolute path)."""
        href = unquote(href.split("#")[0].split("?")[0])
        if _FILEBASE.match(href):
            href, folder = _FILEBASE.sub("", href), ""
        if href.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", href) or "\\" in href:
            return None
        name = posixpath.normpath(posixpath.join(folder, href))
        if name.startswith("../") or name == "..":
            return None
        return name if name in self.names else None

    def documents(self) -> list[Document]:
        """The questestinterop files: those the manifest lists, or with no manifest, every
        XML file whose root is <questestinterop>."""
        if "imsmanifest.xml" in self.names:
            hrefs = self.listed(self.member("imsmanifest.xml"))
        else:
            hrefs = [n for n in sorted(self.names) if re.search(r"\.(xml|qti)$", n, re.I)]
            hrefs = [n for n in hrefs if b"<questestinterop" in self.member(n)[:4096]]
        if not hrefs:
            raise CourseError(
                f"{self.shown}: no QTI 1.2 in this zip: its imsmanifest.xml lists no "
                "imsqti_xmlv1p2 resource (or, with no manifest, no XML file is a "
                "<questestinterop>); export the quiz or question bank as QTI 1.2"
            )
        return [Document(f"{self.shown}:{n}", posixpath.dirname(n), self.member(n)) for n in hrefs]

    def listed(self, manifest: bytes) -> list[str]:
        errors: list[Diagnostic] = []
        root = _parsed(Document(f"{self.shown}:imsmanifest.xml", "", manifest), errors)
        if root is None:  # without it, which files are quizzes is unknown: stop here
            raise CourseError(f"{errors[0].pos}: error: imsmanifest.xml is {errors[0].message}")
        found = []
        for resource in root.iter("resource"):
            if not resource.get("type", "").startswith("imsqti_xmlv1p2"):
                continue
            hrefs = [resource.get("href")] + [f.get("href") for f in resource.iter("file")]
            for href in dict.fromkeys(h for h in hrefs if h):
                name = self.resolve(href, "")
                if name is None:
                    raise CourseError(
                        f"{self.shown}:imsmanifest.xml:{resource.sourceline}:1: error: the "
                        f"resource's file '{href}' is not in the package"
                    )
                found.append(name)
        return list(dict.fromkeys(found))


class _Reader:
    """Categories from documents; each item read once, by its ident."""

    def __init__(self, prefix: str, package: _Package | None):
        self.prefix = prefix
        self.package = package
        self.categories: list[Category] = []
        self.images = Images()
        self.warnings: list[Diagnostic] = []
        self.ids = Ids(prefix)
        self.seen: set[str] = set()

    def document(self, document: Document, root) -> None:
        name = posixpath.splitext(posixpath.basename(document.shown.rsplit(":", 1)[-1]))[0]
        loose = Category(name, "", root.sourceline or 1)
        self.categories.append(loose)  # items outside any assessment, kept in their order
        # QTI lets a file hold one assessment, section or item alone, as its root.
        groups = [root] if root.tag in _GROUPS else root.iterchildren(*_GROUPS)
        for group in groups:
            self.group(document, group)
        items = ItemReader(document, self)
        for item in [root] if root.tag == "item" else root.iterchildren("item"):
            self.item(items, item, loose)

    def group(self, document: Document, group) -> None:
        title = group.get("title") or _bank_title(group) or group.get("ident", "")
        ident = group.get("ident", "")
        items = ItemReader(document, self)
        category = Category(module_title(title), self.description(items, ident), group.sourceline)
        # coursegen's own export names a module's assessment COURSE_module_ID.
        module = re.fullmatch(rf"{re.escape(self.prefix)}_module_([a-z0-9-]+)", ident)
        category.module = module[1] if module and self.prefix else ""
        self.categories.append(category)
        for item in group.iter("item"):
            self.item(items, item, category)

    def item(self, items: ItemReader, item, category: Category) -> None:
        ident = item.get("ident", "")
        if ident and ident in self.seen:  # the same item in another quiz: one question
            return
        self.seen.add(ident)
        found = items.read(item)
        if found is not None:
            category.questions.append(found)

    def description(self, items: ItemReader, ident: str) -> str:
        """A quiz's description, from Canvas's settings beside it (assessment_meta.xml)."""
        name = self.package and self.package.resolve("assessment_meta.xml", items.document.folder)
        if not name:
            return ""
        meta = _parsed(Document(name, "", self.package.member(name)), [])
        if meta is None or meta.get("identifier") not in (None, ident):
            return ""
        return markup.html_to_markdown(meta.findtext("description") or "")

    def image(self, src: str, folder: str) -> str:
        """Where an image the text shows is saved: images/NAME, from the package."""
        name = self.package.resolve(src, folder) if self.package else None
        if name is None:
            return src  # left as written: validation names an image it cannot find
        return f"images/{self.images.add(posixpath.basename(name), self.package.member(name))}"


def _bank_title(group) -> str:
    """A Canvas item bank's title, kept in its metadata."""
    for field_ in group.xpath("qtimetadata/qtimetadatafield"):
        if (field_.findtext("fieldlabel") or "").strip() == "bank_title":
            return (field_.findtext("fieldentry") or "").strip()
    return ""
