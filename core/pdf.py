"""PDFs rendered on the server with WeasyPrint, from the same data as the pages, and from nowhere else.

WeasyPrint would fetch every URL a document names (stylesheets, images, fonts). The URL fetcher below refuses
all of them: the stylesheet is passed in from the project's own static files, and a rendered PDF never causes a
request to a third party, nor to the portal itself.

A render takes seconds of CPU, so a few requests must not be able to tie up the app servers:
- a document is rendered once per public generation (core/public_cache.py) and its bytes kept in the shared
  cache, whatever the query string or cookies of the request; requests for a document being rendered wait for
  that render instead of starting their own;
- at most PDF_RENDER_SLOTS renders run at once across all app servers (slots in the shared cache, each taken
  with an atomic add); a request finding every slot taken, or waiting too long, is answered 503 with
  Retry-After.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "pdf.css"


@functools.cache
def _stylesheet() -> str:
    # Read once per process, not on every PDF.
    return STYLESHEET.read_text()


class ExternalFetchRefused(ValueError):
    pass


def no_fetching():
    """A WeasyPrint URL fetcher that opens no connection: every URL is refused and noted in `refused`."""
    from weasyprint.urls import URLFetcher

    class RefuseEveryURL(URLFetcher):
        def __init__(self) -> None:
            super().__init__(allowed_protocols=())
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            self.refused.append(url)
            raise ExternalFetchRefused(f"A PDF may not load {url!r}: everything it needs is passed in.")

    return RefuseEveryURL()


# A slot or a document's render lock frees itself after this long, should its process die while rendering.
RENDER_LOCK_SECONDS = 120
# How long a request waits for the render of the same document by another request before it is told to come back.
WAIT_SECONDS = 20
RETRY_AFTER_SECONDS = 30
_POLL_SECONDS = 0.25


class RenderBusy(Exception):
    """Every render slot is taken, or the same document took too long in another request."""


def render_pdf(
    request: HttpRequest, template: str, context: dict | Callable[[], dict], *, filename: str, identity: tuple = ()
) -> HttpResponse:
    """The PDF of `template`. `identity` names the document (e.g. ("plan", member.pk)): with it, the bytes are
    shared by every request for that document under the current public generation. The caller has checked that
    the request may see the document, and the document must read public data only. `context` may be a callable,
    so that a cached document costs no query for it."""
    try:
        pdf = _shared_pdf(request, template, context, identity) if identity else None
        if pdf is None:
            with render_slot():
                pdf = _render(request, template, context() if callable(context) else context)
    except RenderBusy:
        return busy_response(request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _render(request: HttpRequest, template: str, context: dict) -> bytes:
    import weasyprint  # imported here: its native libraries load only when a PDF is asked for

    html = render_to_string(template, context, request=request)
    fetcher = no_fetching()
    document = weasyprint.HTML(string=html, base_url=request.build_absolute_uri("/"), url_fetcher=fetcher)
    # PDF/UA-1: tagged (structure tree, marked), the <title> shown as the window title, /Lang from <html lang>,
    # XMP metadata; the finisher adds what WeasyPrint leaves out.
    return document.write_pdf(
        stylesheets=[weasyprint.CSS(string=_stylesheet(), url_fetcher=fetcher)],
        pdf_variant=PDF_VARIANT,
        finisher=_describe_for_readers,
    )


PDF_VARIANT = "pdf/ua-1"

_XMP_LANGUAGE = (
    '<rdf:Description xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" rdf:about=""><dc:language><rdf:Bag><rdf:li>{}</rdf:li></rdf:Bag>'
    "</dc:language></rdf:Description>"
)


def _describe_for_readers(document, pdf) -> None:
    """What PDF/UA asks for beyond WeasyPrint's tagging: each link annotation described by its link's text
    (WeasyPrint puts the bare address there), and the document's language in the XMP metadata (dc:language)."""
    import pydyf
    from xml.sax.saxutils import escape

    for page in document.pages:
        for _type, target, _rectangle, box in page.links:
            annotation = getattr(box, "link_annotation", None)
            if annotation is None:
                continue
            text = " ".join("".join(box.element.itertext()).split()) if box.element is not None else ""
            annotation["Contents"] = pydyf.String(text or str(target))
    language = document.metadata.lang
    reference = pdf.catalog.get("Metadata")
    if language and reference:
        number = (reference.decode() if isinstance(reference, bytes) else str(reference)).split()[0]
        stream = pdf.objects[int(number)]
        rdf_end = b"</rdf:RDF>"
        stream.stream = [
            chunk.replace(rdf_end, _XMP_LANGUAGE.format(escape(language)).encode() + rdf_end, 1) if isinstance(chunk, bytes) else chunk
            for chunk in stream.stream
        ]


def busy_response(request: HttpRequest) -> HttpResponse:
    response = render(
        request, "404.html", status=503, context={
            "heading": _("The PDF cannot be prepared at this moment"),
            "message": _("Many PDFs are being prepared right now. Please try again in a minute; the page itself is always available."),
        },
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _shared_pdf(request: HttpRequest, template: str, context, identity: tuple) -> bytes | None:
    """The document from the shared cache, rendered here (once, in a slot) if nobody has; None when the cache
    cannot be used (off, or the database or cache server cannot say which generation is current)."""
    from core.public_cache import GenerationUnavailable, _digest, code_version, current_generation, settled_generation

    if not settings.PUBLIC_PAGE_CACHE:
        return None
    today = timezone.localdate()
    # The document prints absolute addresses: the host the visitor used is part of the key, as for pages.
    name = _digest(code_version(), get_language() or "", today.isoformat(), request.scheme, request.get_host(), template, *map(str, identity))
    try:
        key = f"pdf:{current_generation()}:{name}"
        lock = f"{key}:rendering"
        token = uuid.uuid4().hex
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            pdf = cache.get(key)
            if pdf is not None:
                return pdf
            if cache.add(lock, token, RENDER_LOCK_SECONDS):
                break  # this request renders; the others wait for it
            if time.monotonic() > deadline:
                raise RenderBusy
            _pause()
        # Stored under a generation whose writes it certainly shows; not stored while a writer is committing.
        generation = settled_generation()
    except (DatabaseError, psycopg.Error, GenerationUnavailable):
        return None
    except RenderBusy:
        raise
    except Exception as error:  # noqa: BLE001 - whatever the cache server does, the PDF is rendered without it
        logger.warning("PDF cache bypassed: the cache server did not answer (%s)", error)
        return None
    try:
        with render_slot():
            pdf = _render(request, template, context() if callable(context) else context)
        if generation is not None and timezone.localdate() == today:
            with contextlib.suppress(Exception):
                cache.set(f"pdf:{generation}:{name}", pdf, settings.PUBLIC_PAGE_CACHE_SECONDS)
        return pdf
    finally:
        _release(lock, token)


def _pause() -> None:
    time.sleep(_POLL_SECONDS)


_local_slots: dict[int, threading.BoundedSemaphore] = {}


@contextlib.contextmanager
def render_slot() -> Iterator[None]:
    """One of PDF_RENDER_SLOTS render slots shared by every app server through the cache, or RenderBusy at once.
    When the cache server is away, the limit holds per process instead."""
    token = uuid.uuid4().hex
    slots = [f"pdf-render-slot:{i}" for i in range(settings.PDF_RENDER_SLOTS)]
    try:
        taken = next((slot for slot in slots if cache.add(slot, token, RENDER_LOCK_SECONDS)), None)
    except Exception as error:  # noqa: BLE001
        logger.warning("PDF render slots kept per process: the cache server did not answer (%s)", error)
        local = _local_slots.setdefault(settings.PDF_RENDER_SLOTS, threading.BoundedSemaphore(settings.PDF_RENDER_SLOTS))
        if not local.acquire(blocking=False):
            raise RenderBusy from error
        try:
            yield
        finally:
            local.release()
        return
    if taken is None:
        raise RenderBusy
    try:
        yield
    finally:
        _release(taken, token)


def _release(key: str, token: str) -> None:
    # Only our own: after RENDER_LOCK_SECONDS the key may belong to another request.
    with contextlib.suppress(Exception):
        if cache.get(key) == token:
            cache.delete(key)
