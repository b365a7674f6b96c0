"""Where a bucket and key live on the wire: endpoint, host, path (virtual or path style)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from .signer import encode_key

AddressingStyle = Literal["auto", "virtual", "path"]
ADDRESSING_STYLES = ("auto", "virtual", "path")

# Names S3 accepts today (3-63 chars, lowercase, digits, dots, hyphens).
_DNS_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_IP_LIKE = re.compile(r"^\d+\.\d+\.\d+\.\d+$")
# Legacy us-east-1 names may also hold uppercase and underscores, up to 255 chars.
_LEGACY_BUCKET = re.compile(r"^[A-Za-z0-9._-]{1,255}$")
MAX_KEY_BYTES = 1024


class InvalidBucketName(ValueError):
    """A bucket name that S3 can never accept (raised before any request)."""


class InvalidKey(ValueError):
    """An object key that S3 can never accept (raised before any request)."""


def is_dns_compatible(bucket: str) -> bool:
    """True if the bucket can be a DNS label set (virtual-hosted style)."""
    return bool(
        _DNS_BUCKET.match(bucket)
        and ".." not in bucket
        and ".-" not in bucket
        and "-." not in bucket
        and not _IP_LIKE.match(bucket)
    )


def check_bucket(bucket: str) -> str:
    """Return the bucket name, or raise InvalidBucketName saying why it cannot work."""
    if not isinstance(bucket, str) or not bucket:
        raise InvalidBucketName("bucket name is empty")
    if "/" in bucket:
        raise InvalidBucketName(f"bucket name {bucket!r} contains '/'; give the key separately")
    if not _LEGACY_BUCKET.match(bucket) or len(bucket) < 3:
        raise InvalidBucketName(
            f"invalid bucket name {bucket!r}: use 3-63 lowercase letters, digits, '.' or '-'"
        )
    return bucket


def check_key(key: str) -> str:
    """Return the key, or raise InvalidKey if S3 cannot store it."""
    if not isinstance(key, str) or key == "":
        raise InvalidKey("object key is empty")
    try:
        size = len(key.encode("utf-8"))
    except UnicodeEncodeError:
        raise InvalidKey(f"object key {key!r} is not valid Unicode text") from None
    if size > MAX_KEY_BYTES:
        raise InvalidKey(f"object key is {size} bytes long; S3 allows at most {MAX_KEY_BYTES}")
    return key


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A custom S3 endpoint (MinIO, R2, moto …): scheme, host[:port], optional base path."""

    scheme: str
    host: str
    base_path: str = ""

    @classmethod
    def parse(cls, url: str) -> Endpoint:
        """Parse ``http(s)://host[:port][/path]``, dropping a default port."""
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"endpoint URL must look like https://host[:port]; got {url!r}")
        host = parts.hostname
        if ":" in host:  # IPv6 literal
            host = f"[{host}]"
        port = parts.port
        default = 443 if parts.scheme == "https" else 80
        if port is not None and port != default:
            host = f"{host}:{port}"
        return cls(parts.scheme, host.lower(), parts.path.rstrip("/"))


def aws_endpoint_host(region: str) -> str:
    """The regional S3 host AWS uses (the global one for us-east-1)."""
    suffix = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    if region == "us-east-1":
        return "s3.amazonaws.com"
    return f"s3.{region}.{suffix}"


@dataclass(frozen=True, slots=True)
class Location:
    """Scheme, host and encoded path of one request."""

    scheme: str
    host: str
    path: str

    def url(self, query: str = "") -> str:
        """The URL, with an already-encoded query string if given."""
        base = f"{self.scheme}://{self.host}{self.path}"
        return f"{base}?{query}" if query else base


def locate(
    bucket: str | None,
    key: str | None,
    *,
    region: str,
    endpoint: Endpoint | None,
    style: AddressingStyle = "auto",
) -> Location:
    """Resolve where a request for bucket/key goes.

    AWS (no endpoint): virtual-hosted unless the name is not DNS-safe, or has dots
    (TLS certificates do not cover them). Custom endpoints: path style unless asked.
    """
    ekey = encode_key(key) if key else ""
    if endpoint is None:
        scheme, host, base = "https", aws_endpoint_host(region), ""
    else:
        scheme, host, base = endpoint.scheme, endpoint.host, endpoint.base_path
    if bucket is None:
        return Location(scheme, host, f"{base}/")
    virtual = style == "virtual" or (
        style == "auto" and endpoint is None and is_dns_compatible(bucket) and "." not in bucket
    )
    if virtual and not is_dns_compatible(bucket):
        virtual = False  # no host can carry it; path style is the only way
    if virtual:
        return Location(scheme, f"{bucket}.{host}", f"{base}/{ekey}")
    if key is None:
        return Location(scheme, host, f"{base}/{encode_key(bucket)}")
    return Location(scheme, host, f"{base}/{encode_key(bucket)}/{ekey}")
