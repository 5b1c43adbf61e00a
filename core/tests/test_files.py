"""The PDF check every upload passes: real small PDFs built with pypdf, and files that only pretend to be one."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from core.files import validate_pdf


def _written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _one_page() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    return writer


def _upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("dokument.pdf", content, content_type="application/pdf")


def _code(content: bytes) -> str:
    with pytest.raises(ValidationError) as refused:
        validate_pdf(_upload(content))
    return refused.value.code


def _encrypted() -> bytes:
    writer = _one_page()
    writer.encrypt("geheim")
    return _written(writer)


def _no_pages() -> bytes:
    return _written(PdfWriter())


def _javascript_in_names() -> bytes:
    writer = _one_page()
    action = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")})
    tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("hallo"), writer._add_object(action)])})
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): writer._add_object(tree)})
    return _written(writer)


def _javascript_on_open() -> bytes:
    writer = _one_page()
    action = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")})
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    return _written(writer)


def _javascript_on_page_open() -> bytes:
    writer = _one_page()
    action = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")})
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): action})
    return _written(writer)


def _embedded_file() -> bytes:
    writer = _one_page()
    writer.add_attachment("liste.xlsx", b"PK\x03\x04 data")
    return _written(writer)


def _file_attachment_annotation() -> bytes:
    writer = _one_page()
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/FileAttachment"),
            NameObject("/Rect"): ArrayObject([]),
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    return _written(writer)


def test_it_accepts_a_real_pdf():
    validate_pdf(_upload(_written(_one_page())))


def test_it_accepts_a_pdf_that_opens_at_a_page():
    # An OpenAction that is only a destination is harmless.
    writer = _one_page()
    writer._root_object[NameObject("/OpenAction")] = ArrayObject([writer.pages[0].indirect_reference, NameObject("/Fit")])
    validate_pdf(_upload(_written(writer)))


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"<html>%PDF-1.4 <script>alert(1)</script></html>", "unreadable"),
        (b"%PDF-1.7\n" + b"garbage " * 200, "unreadable"),
        (_no_pages(), "no_pages"),
        (_encrypted(), "encrypted"),
        (_javascript_in_names(), "javascript"),
        (_javascript_on_open(), "javascript"),
        (_javascript_on_page_open(), "javascript"),
        (_embedded_file(), "embedded_files"),
        (_file_attachment_annotation(), "embedded_files"),
    ],
    ids=["html-with-header", "garbage-with-header", "no-pages", "encrypted", "js-names", "js-open-action", "js-page-aa",
         "embedded-file", "file-attachment-annotation"],
)
def test_it_refuses_what_is_not_a_readable_harmless_pdf(content, code):
    assert _code(content) == code


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<html>%PDF-1.4</html>", "This file cannot be read as a PDF"),
        (_encrypted(), "This PDF is encrypted or password-protected."),
        (_no_pages(), "This PDF has no pages."),
        (_javascript_on_open(), "This PDF contains JavaScript"),
        (_embedded_file(), "This PDF contains embedded files (attachments)"),
    ],
)
def test_it_says_why(content, message):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        validate_pdf(_upload(content))
    assert message in refused.value.messages[0]


def test_it_leaves_the_upload_readable_from_the_start():
    upload = _upload(_written(_one_page()))
    validate_pdf(upload)
    assert upload.read(5) == b"%PDF-"
