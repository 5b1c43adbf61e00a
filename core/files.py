"""Checking and serving uploaded PDFs; shared by plans and reports."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

PDF_MAGIC = b"%PDF-"


def validate_pdf(upload: UploadedFile) -> None:
    """Refuse anything that is not a PDF by its content, not its name; also empty and oversized files."""
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(settings.MAX_UPLOAD_BYTES)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    # The PDF spec allows the header anywhere in the first 1024 bytes.
    if PDF_MAGIC not in head:
        raise ValidationError(_("This file is not a PDF. Please upload the document as PDF."), code="not_pdf")


def pdf_response(field: FieldFile, download_name: str) -> FileResponse:
    response = FileResponse(field.open("rb"), as_attachment=True, filename=download_name, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
