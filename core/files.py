"""Checking, storing and serving uploaded PDFs; shared by plans and reports."""

from __future__ import annotations

import logging
import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

logger = logging.getLogger(__name__)

try:
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:  # pragma: no cover - boto3 comes with requirements.txt; the local folder needs none of it
    STORAGE_ERRORS: tuple[type[Exception], ...] = (OSError,)
else:
    # What a storage raises when it cannot do its work: the local folder OSError (disk full, no permission),
    # object storage botocore's errors (store unreachable, access refused …); a missing object is
    # FileNotFoundError, an OSError, in both.
    STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)

PDF_MAGIC = b"%PDF-"


def validate_pdf(upload: UploadedFile) -> None:
    """Refuse anything that is not a readable, harmless PDF: by its content and structure, never its name.

    The portal hands these files to the public and to the secretariat, so besides empty, oversized and
    unreadable files it refuses what a PDF reader would run or unpack: encrypted files (they cannot be
    checked, nor opened by everyone), JavaScript and embedded files.
    """
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
    try:
        _check_structure(upload)
    finally:
        upload.seek(0)


def _check_structure(upload: UploadedFile) -> None:
    unreadable = ValidationError(
        _("This file cannot be read as a PDF: it is damaged or only looks like one. Please save the document as PDF again."),
        code="unreadable",
    )
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                _("This PDF is encrypted or password-protected. Please upload a copy without protection."), code="encrypted"
            )
        root = reader.trailer["/Root"].get_object()
        page_count = len(reader.pages)
        pages = list(reader.pages)
    except ValidationError:
        raise
    except Exception as error:  # noqa: BLE001 - pypdf raises many kinds of errors on garbage; each means "unreadable"
        logger.info("Refused an unreadable PDF upload: %r", error)
        raise unreadable from None
    if page_count < 1:
        raise ValidationError(_("This PDF has no pages."), code="no_pages")
    try:
        names = _resolve(root.get("/Names"))
        names = names if isinstance(names, DictionaryObject) else DictionaryObject()
        has_javascript = (
            "/JavaScript" in names
            or _runs_javascript(root.get("/OpenAction"))
            or _has_javascript_trigger(root.get("/AA"))
            or any(_has_javascript_trigger(page.get("/AA")) for page in pages)
            or any(_runs_javascript(_resolve(annot).get("/A")) for page in pages for annot in _annotations(page))
        )
        has_attachment = "/EmbeddedFiles" in names or any(
            _resolve(annot).get("/Subtype") == "/FileAttachment" for page in pages for annot in _annotations(page)
        )
    except Exception as error:  # noqa: BLE001 - a structure pypdf cannot walk cannot be checked, so it is refused
        logger.info("Refused a PDF whose structure could not be checked: %r", error)
        raise unreadable from None
    if has_javascript:
        raise ValidationError(
            _("This PDF contains JavaScript, which the portal does not accept. Please save it again without scripts (e.g. print it as PDF)."),
            code="javascript",
        )
    if has_attachment:
        raise ValidationError(
            _("This PDF contains embedded files (attachments), which the portal does not accept. Please upload each document as its own PDF."),
            code="embedded_files",
        )


def _resolve(value):
    return value.get_object() if value is not None and hasattr(value, "get_object") else value


def _annotations(page) -> list:
    annots = _resolve(page.get("/Annots"))
    return [a for a in annots if isinstance(_resolve(a), DictionaryObject)] if isinstance(annots, ArrayObject) else []


def _runs_javascript(action, depth: int = 0) -> bool:
    """An action (or a chain of them through /Next) that is, or leads to, JavaScript."""
    action = _resolve(action)
    if depth > 32:  # a chain this long (or a loop) is not a real document's
        return True
    if isinstance(action, ArrayObject):
        return any(_runs_javascript(item, depth + 1) for item in action)
    if not isinstance(action, DictionaryObject):
        return False  # e.g. an OpenAction that is only a destination (a page to open at)
    if action.get("/S") == "/JavaScript" or "/JS" in action:
        return True
    return _runs_javascript(action.get("/Next"), depth + 1)


def _has_javascript_trigger(additional_actions) -> bool:
    # /AA maps events (open, close, print …) to actions.
    additional_actions = _resolve(additional_actions)
    if not isinstance(additional_actions, DictionaryObject):
        return False
    return any(_runs_javascript(action) for action in additional_actions.values())


# --- Storing -----------------------------------------------------------------------------------------
#
# No orphan files, no rows pointing at nothing. The design: the file is written *first*, inside the transaction
# that records its row, and deleted again if that transaction does not commit; a file a change replaces or
# removes is deleted only after the commit. Writing after the commit (on_commit) was the other choice; it was
# not taken because the user could then no longer be told that the disk is full (the page is already
# answered), and the committed row would point at a file that may never arrive. The callers open the
# transaction themselves and their views opt out of ATOMIC_REQUESTS, so the block whose failure deletes the
# file is the one that commits. What is left is a crash of the process between the write and the commit: a
# stray file in the storage (MEDIA_ROOT or the bucket) that no row names, harmless and never served.


class StorageFailed(ValidationError):
    """The storage refused the file (disk full, no permission …); nothing of it is kept."""

    @staticmethod
    def default_message() -> str:
        return _(
            "The file could not be stored because of a problem with the portal's storage. Nothing of it has "
            "been kept. Please try again later; if it happens again, tell the secretariat."
        )


def store_upload(storage: Storage, name: str, content) -> str:
    """Write `content` under `name` (or a free variant of it) and return the stored name.

    A failing write (STORAGE_ERRORS) leaves no partial file and raises StorageFailed with a message for the user.
    """
    # A random part makes the name this request's own: were it taken meanwhile, the storage would silently pick
    # another, and the clean-up below would delete someone else's file.
    root, ext = os.path.splitext(name)
    name = f"{root}-{uuid.uuid4().hex[:8]}{ext}"
    try:
        # Object storage asks the store whether the name is taken: that can fail like the write.
        name = storage.get_available_name(name, max_length=255)
        content.seek(0)
        return storage.save(name, content, max_length=255)
    except STORAGE_ERRORS as error:
        logger.error("Could not store the upload %s: %r", name, error)
        delete_quietly(storage, name)  # a write that stopped half-way leaves a partial file behind
        raise StorageFailed(StorageFailed.default_message(), code="storage") from error


def delete_quietly(storage: Storage, name: str) -> None:
    """Delete a stored file; a file already gone, or a storage that fails now, is logged, never raised:
    the database decision it follows is already made."""
    if not name:
        return
    try:
        storage.delete(name)
    except STORAGE_ERRORS as error:
        logger.error("Could not delete the stored file %s: %r", name, error)


def delete_after_commit(storage: Storage, name: str) -> None:
    """Delete a replaced or removed file once the change is committed: a rolled-back change keeps its file."""
    if name:
        transaction.on_commit(lambda: delete_quietly(storage, name))


def pdf_response(request: HttpRequest, field: FieldFile, download_name: str) -> HttpResponse:
    """The stored PDF as a download; a file missing from the storage gets the designed 404 page, not a 500."""
    try:
        handle = field.open("rb")
        # Object storage fetches the content on first access: here, where a failure can still be answered.
        handle.seek(0)
    except FileNotFoundError as error:  # a row whose file was lost (a restore, a cleanup)
        logger.error("The stored file %s is missing: %r", field.name, error)
        return missing_file_response(request)
    except STORAGE_ERRORS as error:
        logger.error("The stored file %s could not be read: %r", field.name, error)
        return storage_unavailable_response(request)
    response = FileResponse(handle, as_attachment=True, filename=download_name, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def storage_unavailable_response(request: HttpRequest) -> HttpResponse:
    message = _(
        "The portal's file storage cannot be reached at the moment, so the file cannot be downloaded. "
        "Please try again in a few minutes."
    )
    return render(request, "404.html", {"heading": _("File storage unavailable"), "message": message}, status=503)


def missing_file_response(request: HttpRequest) -> HttpResponse:
    message = _(
        "The file of this document is missing on the portal's server, so it cannot be downloaded. "
        "Please tell the secretariat, so that it can be restored."
    )
    return render(request, "404.html", {"heading": _("File not found"), "message": message}, status=404)
