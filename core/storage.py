"""The object storage the portal uses for uploads (settings: STORAGE_URL or AWS_*)."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    """django-storages' S3Storage that never hands out a link to the bucket.

    Every file leaves through the portal's own views, which check who may see it (core/files.py). A URL is asked
    for only by generic code such as the admin's "currently" link; it gets the unrouted MEDIA_URL path, exactly
    as with the local folder, instead of a signed link that would bypass those checks.
    """

    def url(self, name, parameters=None, expire=None, http_method=None) -> str:
        return settings.MEDIA_URL + quote(name)
