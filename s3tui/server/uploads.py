"""Browser and app uploads: check type and size, make a safe unique key, presign a POST.

The browser sends the file straight to S3 with the presigned POST form, whose policy fixes
the key and the type and caps the size, so S3 itself refuses anything else.
"""

from __future__ import annotations

import mimetypes
import uuid
from dataclasses import dataclass
from datetime import datetime

from s3tui.s3 import S3Client

DEFAULT_TYPES = (
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "application/pdf",
    "text/plain",
    "text/csv",
    "application/json",
)


@dataclass
class UploadRules:
    """Where uploads go and what is accepted."""

    bucket: str = ""
    prefix: str = "uploads/"
    allowed_types: tuple[str, ...] = DEFAULT_TYPES
    max_bytes: int = 100 * 1024 * 1024
    expires_in: int = 900  # seconds the presigned POST stays valid


def extension_for(filename: str, content_type: str) -> str:
    """A safe extension: from the type when known, else from the name if it is plain."""
    guessed = mimetypes.guess_extension(content_type, strict=False)
    if guessed:
        return {".jpe": ".jpg", ".jpeg": ".jpg"}.get(guessed, guessed)
    tail = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return f".{tail}" if tail.isalnum() and len(tail) <= 8 else ""


def upload_url(client: S3Client, rules: UploadRules, data: dict, now: datetime) -> dict:
    """The answer to POST /api/upload-url; ValueError says why a request is refused."""
    if not rules.bucket:
        raise ValueError("uploads are not enabled on this server (no --upload-bucket)")
    content_type = str(data.get("content_type") or "").split(";")[0].strip().lower()
    if content_type not in rules.allowed_types:
        raise ValueError(
            f"files of type {content_type or 'unknown'} are not accepted; allowed: "
            + ", ".join(rules.allowed_types)
        )
    try:
        size = int(data.get("size", -1))
    except (TypeError, ValueError):
        size = -1
    if size < 0:
        raise ValueError("say the file size in bytes")
    if size > rules.max_bytes:
        raise ValueError(
            f"the file is {size:,} bytes; at most {rules.max_bytes:,} bytes are accepted"
        )
    ext = extension_for(str(data.get("filename") or ""), content_type)
    key = f"{rules.prefix}{now:%Y/%m/%d}/{uuid.uuid4()}{ext}"
    post = client.generate_presigned_post(
        rules.bucket,
        key,
        rules.expires_in,
        content_type=content_type,
        content_length_range=(0, rules.max_bytes),
        now=now,
    )
    return {
        "method": "POST",
        "url": post.url,
        "fields": dict(post.fields),
        "key": key,
        "max_bytes": rules.max_bytes,
        "expires_in": rules.expires_in,
    }


async def confirm_upload(client: S3Client, rules: UploadRules, key: str) -> dict:
    """HEAD the uploaded key (only keys under the upload prefix) and report it."""
    if not key.startswith(rules.prefix) or ".." in key.split("/"):
        raise ValueError("that key is not an upload of this server")
    info = await client.head_object(rules.bucket, key)
    return {
        "key": key,
        "size": info.content_length,
        "content_type": info.content_type,
        "last_modified": info.last_modified,
        "etag": info.etag.strip('"'),
    }


def cors_rule(origin: str) -> str:
    """The bucket CORS configuration the upload page needs (S3's XML form)."""
    return f"""<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>{origin}</AllowedOrigin>
    <AllowedMethod>POST</AllowedMethod>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>"""
