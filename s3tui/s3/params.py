"""Sorting a presign ``params`` mapping into query parameters and signed headers.

Query keys stay in the URL (``response-content-disposition``, ``versionId`` …); header
keys (``Content-Type``, ``x-amz-meta-*`` …) become signed headers that whoever uses the
link must send with exactly these values, as botocore signs ``put_object(ContentType=…)``.
boto3-style names (``ContentType``, ``ResponseContentDisposition``, ``Metadata``) work too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

QUERY_PARAMS = {
    name.lower(): name
    for name in (
        "response-content-disposition",
        "response-content-type",
        "response-cache-control",
        "response-expires",
        "response-content-language",
        "response-content-encoding",
        "versionId",
        "partNumber",
        "uploadId",
    )
}
HEADER_PARAMS = {
    name.lower(): name
    for name in (
        "Content-Type",
        "Content-Length",
        "Content-MD5",
        "Cache-Control",
        "Content-Disposition",
        "Content-Encoding",
        "Content-Language",
        "Expires",
        "If-Match",
        "If-None-Match",
        "If-Modified-Since",
        "If-Unmodified-Since",
        "Range",
    )
}
BOTO_NAMES = {
    "ResponseContentDisposition": "response-content-disposition",
    "ResponseContentType": "response-content-type",
    "ResponseCacheControl": "response-cache-control",
    "ResponseExpires": "response-expires",
    "ResponseContentLanguage": "response-content-language",
    "ResponseContentEncoding": "response-content-encoding",
    "VersionId": "versionId",
    "PartNumber": "partNumber",
    "UploadId": "uploadId",
    "ContentType": "Content-Type",
    "ContentLength": "Content-Length",
    "ContentMD5": "Content-MD5",
    "CacheControl": "Cache-Control",
    "ContentDisposition": "Content-Disposition",
    "ContentEncoding": "Content-Encoding",
    "ContentLanguage": "Content-Language",
    "Expires": "Expires",
    "ACL": "x-amz-acl",
    "StorageClass": "x-amz-storage-class",
    "Tagging": "x-amz-tagging",
    "ServerSideEncryption": "x-amz-server-side-encryption",
}
# Set by the signer itself: a caller may not supply them.
RESERVED = {
    "x-amz-algorithm",
    "x-amz-credential",
    "x-amz-date",
    "x-amz-expires",
    "x-amz-signedheaders",
    "x-amz-signature",
    "x-amz-security-token",
    "x-amz-content-sha256",
    "host",
    "authorization",
}


_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


@dataclass(slots=True)
class SplitParams:
    """Presign params sorted into query pairs and signed headers."""

    query: list[tuple[str, str]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)


def _value(name: str, value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError(f"presign parameter {name!r} must be text or a whole number")
    text = str(value)
    if _CONTROL.search(text):
        raise ValueError(f"presign parameter {name!r} contains control characters")
    return text


def split_params(params: Mapping[str, object] | None) -> SplitParams:
    """Sort ``params`` into query pairs and headers, or raise ValueError for an unknown one."""
    out = SplitParams()
    for raw_name, value in (params or {}).items():
        if raw_name == "Metadata":
            if not isinstance(value, Mapping):
                raise ValueError("presign parameter 'Metadata' must be a mapping")
            for mk, mv in value.items():
                out.headers[f"x-amz-meta-{mk}".lower()] = _value(f"Metadata[{mk}]", mv)
            continue
        name = BOTO_NAMES.get(raw_name, raw_name)
        lname = name.lower()
        if lname in RESERVED:
            raise ValueError(f"presign parameter {raw_name!r} is set by the signer itself")
        if lname in QUERY_PARAMS:
            out.query.append((QUERY_PARAMS[lname], _value(raw_name, value)))
        elif lname in HEADER_PARAMS:
            out.headers[HEADER_PARAMS[lname]] = _value(raw_name, value)
        elif lname.startswith("x-amz-"):
            out.headers[lname] = _value(raw_name, value)
        else:
            known = ", ".join(sorted(QUERY_PARAMS.values()) + sorted(HEADER_PARAMS.values()))
            raise ValueError(
                f"unknown presign parameter {raw_name!r}; use one of {known} or x-amz-*"
            )
    return out


PRESIGN_METHODS = ("GET", "PUT", "HEAD", "DELETE")


def check_expires(expires_in: object) -> int:
    """Return expires_in as whole seconds in 1…604800, or raise a ValueError that says why."""
    if isinstance(expires_in, bool) or not isinstance(expires_in, (int, float)):
        raise ValueError(f"expires_in must be a number of seconds; got {expires_in!r}")
    if isinstance(expires_in, float) and not expires_in.is_integer():
        raise ValueError(f"expires_in must be whole seconds; got {expires_in}")
    seconds = int(expires_in)
    if seconds < 1:
        raise ValueError(f"expires_in must be at least 1 second; got {seconds}")
    if seconds > 604800:
        raise ValueError(
            f"expires_in of {seconds} s is over 7 days (604800 s), "
            "the longest a SigV4 presigned URL can live"
        )
    return seconds
