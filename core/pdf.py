"""PDFs rendered on the server with WeasyPrint, from the same data as the pages, and from nowhere else.

WeasyPrint would fetch every URL a document names (stylesheets, images, fonts). The URL fetcher below refuses
all of them: the stylesheet is passed in from the project's own static files, and a rendered PDF never causes a
request to a third party, nor to the portal itself.
"""

from __future__ import annotations

import functools
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

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


def render_pdf(request: HttpRequest, template: str, context: dict, *, filename: str) -> HttpResponse:
    import weasyprint  # imported here: its native libraries load only when a PDF is asked for

    html = render_to_string(template, context, request=request)
    fetcher = no_fetching()
    document = weasyprint.HTML(string=html, base_url=request.build_absolute_uri("/"), url_fetcher=fetcher)
    pdf = document.write_pdf(stylesheets=[weasyprint.CSS(string=_stylesheet(), url_fetcher=fetcher)])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
