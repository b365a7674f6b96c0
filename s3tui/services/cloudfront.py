"""CloudFront: the seed's host-rewrite variant, and real signed URLs (canned, custom policy).

Signed URLs follow CloudFront's scheme (RSA-SHA1 over the policy, a URL-safe base64 with
``-_~``), built exactly as botocore's CloudFrontSigner builds them; the RSA work is done
by ``cryptography``.
"""

from __future__ import annotations

import base64
import ipaddress
import json
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


@dataclass(frozen=True)
class CloudFrontConfig:
    """One distribution in front of a bucket (from ``[cloudfront.NAME]`` in the settings)."""

    name: str
    domain: str
    bucket: str = ""
    key_pair_id: str = ""
    private_key_path: str = ""
    private_key_pem: str = field(default="", repr=False)  # from the keyring, never the file

    @property
    def can_sign(self) -> bool:
        """True when a key pair is configured for real signed URLs."""
        return bool(self.key_pair_id and (self.private_key_pem or self.private_key_path))

    def load_private_key(self):
        """The RSA private key: PEM given, or from the keyring (``private_key_path =
        "keyring"``, stored by ``s3tui profile cloudfront-key NAME``), or from the file."""
        if self.private_key_path == KEYRING:
            return _key_from_keyring(self.name)
        return parse_private_key(self._pem())

    def _pem(self) -> bytes:
        pem = self.private_key_pem.encode() if self.private_key_pem else None
        if pem is None:
            try:
                pem = Path(self.private_key_path).expanduser().read_bytes()
            except OSError as exc:
                raise ValueError(
                    f"cannot read the CloudFront key {self.private_key_path}: {exc.strerror}"
                ) from None
        return pem


KEYRING = "keyring"


def keyring_owner(name: str) -> str:
    """The keyring 'profile' under which distribution ``name`` keeps its private key."""
    return f"cloudfront-{name}"


def parse_private_key(pem: bytes):
    """An RSA private key from PEM bytes, or ValueError saying it is not one."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"the CloudFront private key is not a usable PEM RSA key: {exc}") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("the CloudFront private key must be an RSA key")
    return key


@lru_cache(maxsize=16)
def _key_from_keyring(name: str):
    # cached: the share dialog rebuilds links on every keystroke; the keyring is D-Bus
    from .secrets import get_secret

    pem = get_secret(keyring_owner(name), "cloudfront_private_key")
    if not pem:
        raise ValueError(
            f"no private key for CloudFront {name!r} in the keyring: "
            f"run s3tui profile cloudfront-key {name} < key.pem"
        )
    return parse_private_key(pem.encode())


def rewrite_host(s3_url: str, domain: str, bucket: str) -> str:
    """The seed's variant: the S3 presigned URL with CloudFront's host (and no bucket path).

    It works only if the distribution forwards the whole query string and the origin's
    Host header, since the signature covers the S3 host; otherwise CloudFront answers 403.
    """
    parts = urlsplit(s3_url)
    path = parts.path
    prefix = f"/{bucket}/"
    if not parts.netloc.startswith(f"{bucket}.") and path.startswith(prefix):
        path = path[len(prefix) - 1 :]  # path-style: the distribution's origin is the bucket
    return urlunsplit(("https", domain, path, parts.query, ""))


def _b64(data: bytes) -> str:
    return (
        base64.b64encode(data).replace(b"+", b"-").replace(b"=", b"_").replace(b"/", b"~").decode()
    )


def build_policy(
    resource: str,
    expires_at: datetime,
    starts_at: datetime | None = None,
    ip_range: str | None = None,
) -> str:
    """The policy JSON, key order and separators as botocore writes it."""
    condition: dict = {"DateLessThan": {"AWS:EpochTime": int(expires_at.timestamp())}}
    if ip_range:
        network = ipaddress.ip_network(
            ip_range if "/" in ip_range else f"{ip_range}/32", strict=False
        )
        condition["IpAddress"] = {"AWS:SourceIp": str(network)}
    if starts_at:
        condition["DateGreaterThan"] = {"AWS:EpochTime": int(starts_at.timestamp())}
    return json.dumps(
        {"Statement": [{"Resource": resource, "Condition": condition}]}, separators=(",", ":")
    )


def signed_url(
    url: str,
    key_pair_id: str,
    private_key,
    expires_at: datetime,
    *,
    starts_at: datetime | None = None,
    ip_range: str | None = None,
) -> str:
    """A CloudFront signed URL: canned policy unless a start time or an IP range is given."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    if expires_at.tzinfo is None:
        raise ValueError("expires_at must be timezone-aware")
    custom = starts_at is not None or bool(ip_range)
    policy = build_policy(url, expires_at, starts_at, ip_range).encode()
    signature = private_key.sign(policy, padding.PKCS1v15(), hashes.SHA1())
    params = [f"Policy={_b64(policy)}"] if custom else [f"Expires={int(expires_at.timestamp())}"]
    params += [f"Signature={_b64(signature)}", f"Key-Pair-Id={key_pair_id}"]
    return url + ("&" if "?" in url else "?") + "&".join(params)


def distribution_url(domain: str, key: str) -> str:
    """https://DOMAIN/KEY with the key encoded as in S3 paths."""
    from s3tui.s3.signer import encode_key

    return f"https://{domain}/{encode_key(key)}"
