"""What a PDF the portal serves must be for readers and assistive technology (PDF/UA-1), checked with pypdf, and
the text of the page it prints, to compare facts. veraPDF is not available offline; these are the checks of its
PDF/UA rules that can be read from the file itself."""

from __future__ import annotations

import html
import io
import re
from html.parser import HTMLParser

import pypdf
from pypdf.generic import IndirectObject


def _resolve(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def _structure(element, found: list[str], figures_without_alt: list) -> None:
    element = _resolve(element)
    if not hasattr(element, "get"):
        return
    tag = element.get("/S")
    if tag is not None:
        found.append(str(tag))
        if tag == "/Figure" and not element.get("/Alt"):
            figures_without_alt.append(element)
    kids = _resolve(element.get("/K"))
    if isinstance(kids, list):
        for kid in kids:
            _structure(kid, found, figures_without_alt)
    elif kids is not None:
        _structure(kids, found, figures_without_alt)


def assert_tagged(content: bytes, *, language: str) -> None:
    """The PDF is tagged and described as PDF/UA-1 asks."""
    assert content.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    # Tagged: a structure tree, marked content, a document element at its top.
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 - a pypdf BooleanObject
    tags: list[str] = []
    figures_without_alt: list = []
    _structure(root["/StructTreeRoot"], tags, figures_without_alt)
    assert tags[0] == "/Document" and "/H1" in tags and "/P" in tags
    assert not figures_without_alt, "every figure has an alternative text"
    # Headings in order, none skipped (Matterhorn 14-003): H1, then at most one level deeper each time.
    levels = [int(tag[2]) for tag in tags if re.fullmatch(r"/H[1-6]", tag)]
    assert levels[0] == 1 and levels.count(1) == 1
    for before, after in zip(levels, levels[1:]):
        assert after <= before + 1, f"heading level skipped: H{before} then H{after}"
    # The title shown, the language said, the metadata in XMP.
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    assert root["/Lang"] == language
    title = reader.metadata.title
    assert title and reader.metadata.author and reader.metadata.creator
    xmp = reader.xmp_metadata
    assert xmp is not None and "/Metadata" in root
    assert xmp.dc_title == {"x-default": title}
    assert xmp.dc_language == [language]
    assert xmp.dc_creator and xmp.pdf_producer and xmp.xmp_creator_tool
    assert b'pdfuaid:part="1"' in root["/Metadata"].get_data()
    # Every link described by its text, and part of the structure; every font embedded.
    for page in reader.pages:
        assert page["/Tabs"] == "/S"
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            if annotation["/Subtype"] == "/Link":
                assert str(annotation.get("/Contents", "")).strip(), annotation
                assert "/StructParent" in annotation
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font)["/FontDescriptor"]
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys()), font


def pdf_text(content: bytes) -> str:
    """The PDF's text, whitespace folded; a compound word broken after its hyphen at the end of a line is one
    word again."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    return re.sub(r"(?<=\w)- (?=\w)", "-", fold(" ".join(page.extract_text() for page in reader.pages)))


def link_descriptions(content: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return [
        str(a.get_object()["/Contents"])
        for page in reader.pages
        for a in page.get("/Annots", [])
        if a.get_object()["/Subtype"] == "/Link"
    ]


def fold(text: str) -> str:
    return " ".join(text.split())


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "title", "svg"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "title", "svg"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def page_text(response) -> str:
    """The visible text of an HTML page, whitespace folded, to find the same facts as in its PDF."""
    assert response.status_code == 200
    parser = _Text()
    parser.feed(response.content.decode())
    return fold(html.unescape(" ".join(parser.parts)))
