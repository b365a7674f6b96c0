"""AWS Signature Version 4 for S3: pure functions, the clock is always passed in.

Nothing here does I/O or reads the time, so every signature can be reproduced from its
inputs (golden vectors and botocore comparisons in the tests rely on that).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from urllib.parse import quote

ALGORITHM = "AWS4-HMAC-SHA256"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
MAX_PRESIGN_EXPIRES = 7 * 24 * 3600  # SigV4's hard limit for query auth
# Headers a proxy or the HTTP stack may change in flight: never signed (as botocore).
UNSIGNABLE_HEADERS = frozenset(
    {
        "connection",
        "expect",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "user-agent",
        "x-amzn-trace-id",
    }
)


@dataclass(frozen=True, slots=True)
class Credentials:
    """An access key pair, with an optional session token; repr never shows secrets."""

    access_key: str
    secret_key: str = field(repr=False)
    session_token: str | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        token = ", session_token=***" if self.session_token else ""
        return f"Credentials(access_key={self.access_key!r}, secret_key=***{token})"


_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]*")


def uri_encode(value: str, safe: str = "") -> str:
    """Percent-encode as SigV4 requires: RFC 3986 unreserved kept, the rest as UTF-8."""
    if not safe and _UNRESERVED.fullmatch(value):
        return value  # the common case, without quote()'s per-character work
    return quote(value, safe=safe)  # quote() keeps A-Za-z0-9 and -_.~ always


def encode_key(key: str) -> str:
    """Encode an object key for the URL path (``/`` kept, nothing normalised)."""
    return quote(key, safe="/")


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of a payload, as sent in ``x-amz-content-sha256``."""
    return hashlib.sha256(data).hexdigest()


def amz_timestamp(now: datetime) -> str:
    """``YYYYMMDDTHHMMSSZ`` in UTC for an aware datetime."""
    if now.tzinfo is None:
        raise ValueError("the signing time must be timezone-aware (UTC)")
    t = now.astimezone(UTC)
    return f"{t.year:04d}{t.month:02d}{t.day:02d}T{t.hour:02d}{t.minute:02d}{t.second:02d}Z"


@lru_cache(maxsize=64)
def signing_key(secret_key: str, datestamp: str, region: str, service: str = "s3") -> bytes:
    """Derive (and cache per day, region and service) the SigV4 signing key."""
    k = hmac.digest(("AWS4" + secret_key).encode(), datestamp.encode(), "sha256")
    k = hmac.digest(k, region.encode(), "sha256")
    k = hmac.digest(k, service.encode(), "sha256")
    return hmac.digest(k, b"aws4_request", "sha256")


def canonical_query(pairs: Iterable[tuple[str, str]]) -> str:
    """Encode then sort query pairs (by name, then value) as the canonical request wants."""
    return _join_sorted([(uri_encode(k), uri_encode(v)) for k, v in pairs])


def _join_sorted(encoded: list[tuple[str, str]]) -> str:
    encoded.sort()
    return "&".join([f"{k}={v}" for k, v in encoded])


@lru_cache(maxsize=256)
def _encoded_scope_tail(access_key: str, region: str, service: str) -> tuple[str, str]:
    """Encoded pieces of X-Amz-Credential around the date: computed once per key/region."""
    return uri_encode(access_key) + "%2F", f"%2F{uri_encode(region)}%2F{service}%2Faws4_request"


def _canonical_headers(headers: Mapping[str, str]) -> tuple[str, str]:
    """Return (canonical header block, signed header list) for the headers to sign."""
    folded: dict[str, str] = {}
    for name, value in headers.items():
        lname = name.lower()
        if lname in UNSIGNABLE_HEADERS:
            continue
        value = " ".join(str(value).split())
        folded[lname] = f"{folded[lname]},{value}" if lname in folded else value
    names = sorted(folded)
    block = "".join(f"{n}:{folded[n]}\n" for n in names)
    return block, ";".join(names)


def _signature(
    credentials: Credentials, region: str, service: str, stamp: str, scope: str, creq: str
) -> str:
    to_sign = f"{ALGORITHM}\n{stamp}\n{scope}\n{hashlib.sha256(creq.encode()).hexdigest()}"
    key = signing_key(credentials.secret_key, stamp[:8], region, service)
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


def sign_headers(
    *,
    method: str,
    host: str,
    path: str,
    query: Iterable[tuple[str, str]] = (),
    headers: Mapping[str, str] | None = None,
    payload_hash: str,
    credentials: Credentials,
    region: str,
    now: datetime,
    service: str = "s3",
) -> dict[str, str]:
    """Sign a request in the Authorization header; return the headers to send with it.

    ``path`` is already URI-encoded (see :func:`encode_key`); ``query`` pairs are raw.
    The result holds the caller's headers plus host, x-amz-date, x-amz-content-sha256,
    the session token if any, and Authorization.
    """
    stamp = amz_timestamp(now)
    out: dict[str, str] = dict(headers or {})
    out["host"] = host
    out["x-amz-date"] = stamp
    out["x-amz-content-sha256"] = payload_hash
    if credentials.session_token:
        out["x-amz-security-token"] = credentials.session_token
    block, signed = _canonical_headers(out)
    creq = f"{method}\n{path}\n{canonical_query(query)}\n{block}\n{signed}\n{payload_hash}"
    scope = f"{stamp[:8]}/{region}/{service}/aws4_request"
    sig = _signature(credentials, region, service, stamp, scope, creq)
    out["Authorization"] = (
        f"{ALGORITHM} Credential={credentials.access_key}/{scope}, "
        f"SignedHeaders={signed}, Signature={sig}"
    )
    return out


def presign_query(
    *,
    method: str,
    host: str,
    path: str,
    query: Iterable[tuple[str, str]] = (),
    headers: Mapping[str, str] | None = None,
    credentials: Credentials,
    region: str,
    now: datetime,
    expires: int,
    service: str = "s3",
) -> str:
    """Return the encoded query string of a presigned URL, X-Amz-Signature last.

    ``headers`` are the extra headers the user of the link must send (signed with host).
    """
    if not 1 <= expires <= MAX_PRESIGN_EXPIRES:
        raise ValueError(
            f"expiry must be between 1 second and 7 days ({MAX_PRESIGN_EXPIRES} s); got {expires} s"
        )
    stamp = amz_timestamp(now)
    scope = f"{stamp[:8]}/{region}/{service}/aws4_request"
    signed_hdrs = dict(headers) if headers else {}
    signed_hdrs["host"] = host
    block, signed = _canonical_headers(signed_hdrs)
    # The auth parameters are encoded by hand: their shapes are known, quote() is slow.
    head, tail = _encoded_scope_tail(credentials.access_key, region, service)
    encoded = [(uri_encode(k), uri_encode(v)) for k, v in query]
    encoded += [
        ("X-Amz-Algorithm", ALGORITHM),
        ("X-Amz-Credential", f"{head}{stamp[:8]}{tail}"),
        ("X-Amz-Date", stamp),
        ("X-Amz-Expires", str(expires)),
        ("X-Amz-SignedHeaders", uri_encode(signed)),
    ]
    if credentials.session_token:
        encoded.append(("X-Amz-Security-Token", uri_encode(credentials.session_token)))
    cq = _join_sorted(encoded)
    creq = f"{method}\n{path}\n{cq}\n{block}\n{signed}\n{UNSIGNED_PAYLOAD}"
    sig = _signature(credentials, region, service, stamp, scope, creq)
    return f"{cq}&X-Amz-Signature={sig}"


def presign_url(
    *,
    method: str,
    scheme: str,
    host: str,
    path: str,
    query: Iterable[tuple[str, str]] = (),
    headers: Mapping[str, str] | None = None,
    credentials: Credentials,
    region: str,
    now: datetime,
    expires: int,
    service: str = "s3",
) -> str:
    """Build a whole presigned URL (see :func:`presign_query`)."""
    qs = presign_query(
        method=method,
        host=host,
        path=path,
        query=query,
        headers=headers,
        credentials=credentials,
        region=region,
        now=now,
        expires=expires,
        service=service,
    )
    return f"{scheme}://{host}{path}?{qs}"


def post_policy_fields(
    *,
    bucket: str,
    key: str,
    credentials: Credentials,
    region: str,
    now: datetime,
    expires: int,
    fields: Mapping[str, str] | None = None,
    conditions: list | None = None,
    service: str = "s3",
) -> dict[str, str]:
    """The form fields of a SigV4 presigned POST: ``policy`` and ``x-amz-signature`` signed.

    ``fields`` become both form fields and exact-match conditions; ``conditions`` are
    extra policy conditions (``["content-length-range", 0, 10485760]``, ``["starts-with",
    "$key", "uploads/"]``…). A key ending in ``${filename}`` is matched by prefix.
    """
    if not 1 <= expires <= MAX_PRESIGN_EXPIRES:
        raise ValueError(f"expiry must be between 1 second and 7 days; got {expires} s")
    stamp = amz_timestamp(now)
    credential = f"{credentials.access_key}/{stamp[:8]}/{region}/{service}/aws4_request"
    out: dict[str, str] = {"key": key, **(fields or {})}
    out["x-amz-algorithm"] = ALGORITHM
    out["x-amz-credential"] = credential
    out["x-amz-date"] = stamp
    if credentials.session_token:
        out["x-amz-security-token"] = credentials.session_token
    policy_conditions: list = [{"bucket": bucket}]
    if key.endswith("${filename}"):
        policy_conditions.append(["starts-with", "$key", key[: -len("${filename}")]])
    else:
        policy_conditions.append({"key": key})
    policy_conditions += [{k: v} for k, v in out.items() if k != "key"]
    policy_conditions += list(conditions or [])
    deadline = datetime.fromtimestamp(now.timestamp() + expires, UTC)
    policy = {
        "expiration": deadline.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "conditions": policy_conditions,
    }
    encoded = base64.b64encode(json.dumps(policy).encode()).decode()
    key_bytes = signing_key(credentials.secret_key, stamp[:8], region, service)
    out["policy"] = encoded
    out["x-amz-signature"] = hmac.new(key_bytes, encoded.encode(), hashlib.sha256).hexdigest()
    return out
