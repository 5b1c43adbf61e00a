"""Settings for uploads in S3-compatible object storage (django-storages' S3Storage, boto3; core/storage.py).

STORAGE_URL=s3://[ACCESS_KEY:SECRET_KEY@]BUCKET[/PREFIX][?endpoint_url=…&region_name=…&addressing_style=path]
or the usual AWS_STORAGE_BUCKET_NAME, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_S3_ENDPOINT_URL and
AWS_S3_REGION_NAME; a value in STORAGE_URL wins. Keys left out of both come from boto3's own chain (the
environment, ~/.aws, an instance role).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

S3_BACKEND = "core.storage.PrivateS3Storage"  # django-storages' S3Storage that never links to the bucket
QUERY_OPTIONS = ("endpoint_url", "region_name", "addressing_style", "signature_version")


def s3_storage(
    *,
    url: str,
    bucket: str = "",
    access_key: str = "",
    secret_key: str = "",
    endpoint_url: str = "",
    region_name: str = "",
) -> dict[str, Any] | None:
    """The STORAGES["default"] entry for object storage, or None when neither STORAGE_URL nor a bucket is set."""
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "access_key": access_key,
        "secret_key": secret_key,
        "endpoint_url": endpoint_url,
        "region_name": region_name,
    }
    if url:
        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.hostname:
            raise ImproperlyConfigured(f"STORAGE_URL={url!r} is not valid; use s3://BUCKET?endpoint_url=…")
        options["bucket_name"] = parts.hostname
        if parts.username:
            options["access_key"] = unquote(parts.username)
            options["secret_key"] = unquote(parts.password or "")
        if parts.path.strip("/"):
            options["location"] = parts.path.strip("/")
        for key, values in parse_qs(parts.query).items():
            if key not in QUERY_OPTIONS:
                raise ImproperlyConfigured(f"STORAGE_URL: unknown option {key!r}; known: {', '.join(QUERY_OPTIONS)}.")
            options[key] = values[-1]
    if not options["bucket_name"]:
        return None
    options = {key: value for key, value in options.items() if value}
    from botocore.config import Config

    addressing_style = options.pop("addressing_style", "path" if options.get("endpoint_url") else "auto")
    options.update(
        # Private files: no ACL (the bucket's own, private, applies), signed URLs only; the portal serves every
        # file through its own views that check who may see it (core/files.py), never by a link to the bucket.
        default_acl=None,
        querystring_auth=True,
        # Names are made unique by core.files.store_upload; never overwrite one that exists all the same.
        file_overwrite=False,
        # A download is buffered before it is sent; above this it goes to a temporary file, not into memory
        # (the default, 0, would keep every 20 MB PDF of every thread in memory).
        max_memory_size=2_621_440,
        # A store that is down must answer within seconds (the upload form then says so), not after minutes.
        client_config=Config(
            connect_timeout=3,
            read_timeout=30,
            retries={"max_attempts": 2, "mode": "standard"},
            s3={"addressing_style": addressing_style},
        ),
    )
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}
