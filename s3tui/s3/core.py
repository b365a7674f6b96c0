"""The client's plumbing: session lifetime, signing, retries and region redirects."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from . import errors
from .addressing import ADDRESSING_STYLES, AddressingStyle, Endpoint, Location, locate
from .signer import EMPTY_SHA256, Credentials, canonical_query, sha256_hex, sign_headers
from .xmlparse import parse_error

if TYPE_CHECKING:
    import aiohttp

    from .transport import Response

RETRY_STATUS = frozenset({500, 502, 503, 504})
RETRY_CODES = frozenset(
    {"SlowDown", "RequestTimeout", "InternalError", "ServiceUnavailable", "Throttling"}
)
REDIRECT_CODES = frozenset(
    {
        "PermanentRedirect",
        "AuthorizationHeaderMalformed",
        "IllegalLocationConstraintException",
        "TemporaryRedirect",
    }
)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Bounded retries: exponential backoff from ``base`` seconds, capped, with jitter."""

    max_attempts: int = 4
    base: float = 0.1
    cap: float = 5.0

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        """Seconds to wait before retry number ``attempt`` (1-based): half fixed, half jitter."""
        ceiling = min(self.cap, self.base * (2 ** (attempt - 1)))
        return ceiling / 2 + (rng or random).uniform(0, ceiling / 2)


# A body: bytes, or a zero-argument callable that makes a fresh payload for each attempt
# (a one-shot stream is passed with idempotent=False, so it is never sent twice).
BodyFactory = Callable[[], object]


class ClientCore:
    """Owns credentials, endpoint, the pooled session and the request loop."""

    def __init__(
        self,
        access_key: str,
        secret_key: str,
        region: str = "us-east-1",
        endpoint_url: str | None = None,
        session_token: str | None = None,
        addressing_style: AddressingStyle = "auto",
        *,
        retry: RetryPolicy | None = None,
        connect_timeout: float | None = 10.0,
        read_timeout: float | None = 60.0,
        max_connections: int = 32,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        if not access_key or not secret_key:
            raise ValueError("an access key id and a secret access key are both required")
        if addressing_style not in ADDRESSING_STYLES:
            raise ValueError(f"addressing_style must be one of {ADDRESSING_STYLES}")
        self._credentials = Credentials(access_key, secret_key, session_token or None)
        self.region = region or "us-east-1"
        self.endpoint_url = endpoint_url or None
        self._endpoint = Endpoint.parse(endpoint_url) if endpoint_url else None
        self.addressing_style: AddressingStyle = addressing_style
        self.retry = retry or RetryPolicy()
        self._timeouts = (connect_timeout, read_timeout)
        self._max_connections = max_connections
        self._clock = clock or (lambda: datetime.now(UTC))
        self._bucket_regions: dict[str, str] = {}
        self._session: aiohttp.ClientSession | None = None
        self._depth = 0

    def __repr__(self) -> str:
        where = self.endpoint_url or "aws"
        return f"{type(self).__name__}({where}, region={self.region!r}, {self._credentials!r})"

    @property
    def access_key(self) -> str:
        """The access key id (not secret)."""
        return self._credentials.access_key

    @property
    def has_session_token(self) -> bool:
        """True for temporary credentials: links die with the session."""
        return bool(self._credentials.session_token)

    # -- lifetime -----------------------------------------------------------------------
    async def __aenter__(self):
        self._depth += 1
        self._ensure_session()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self._depth = max(0, self._depth - 1)
        if self._depth == 0:
            await self.close()

    async def close(self) -> None:
        """Close the pooled session (a later call opens a new one)."""
        session, self._session = self._session, None
        if session is not None:
            await session.close()

    def _ensure_session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            from .transport import Timeouts, new_session  # aiohttp only when I/O is needed

            self._session = new_session(
                max_connections=self._max_connections,
                timeouts=Timeouts(*self._timeouts),
            )
        return self._session

    # -- addressing ---------------------------------------------------------------------
    def region_for(self, bucket: str | None) -> str:
        """The region a bucket is known to live in (else the client's)."""
        if bucket is None:
            return self.region
        return self._bucket_regions.get(bucket, self.region)

    def remember_region(self, bucket: str, region: str) -> None:
        """Record a bucket's region (learned from a redirect or a lookup)."""
        self._bucket_regions[bucket] = region

    def locate(self, bucket: str | None, key: str | None) -> Location:
        """Where a request for bucket/key goes, for the bucket's region."""
        return locate(
            bucket,
            key,
            region=self.region_for(bucket),
            endpoint=self._endpoint,
            style=self.addressing_style,
        )

    # -- the request loop ---------------------------------------------------------------
    async def request(
        self,
        method: str,
        bucket: str | None = None,
        key: str | None = None,
        *,
        query: Iterable[tuple[str, str]] = (),
        headers: Mapping[str, str] | None = None,
        body: bytes | BodyFactory | None = None,
        payload_hash: str | None = None,
        idempotent: bool = True,
        ok: Callable[[int], bool] = lambda status: status < 300,
    ) -> Response:
        """Send a signed request with retries and one region redirect; return the response.

        The caller reads or releases the returned response. Error statuses become typed
        S3ResponseErrors; transport failures S3ConnectionErrors.
        """
        from .transport import send

        query = list(query)
        qs = canonical_query(query)
        if payload_hash is None:
            payload_hash = sha256_hex(body) if isinstance(body, bytes) else EMPTY_SHA256
        attempt = 0
        redirected = False
        while True:
            attempt += 1
            region = self.region_for(bucket)
            loc = self.locate(bucket, key)
            signed = sign_headers(
                method=method,
                host=loc.host,
                path=loc.path,
                query=query,
                headers=headers,
                payload_hash=payload_hash,
                credentials=self._credentials,
                region=region,
                now=self._clock(),
            )
            payload = body() if callable(body) else body
            try:
                resp = await send(self._ensure_session(), method, loc.url(qs), signed, payload)
            except errors.S3ConnectionError:
                if idempotent and attempt < self.retry.max_attempts:
                    await asyncio.sleep(self.retry.delay(attempt))
                    continue
                raise
            if ok(resp.status):
                return resp
            err = await self._error(resp, bucket, key, method)
            new_region = resp.headers.get("x-amz-bucket-region") or err.region
            if (
                bucket is not None
                and not redirected
                and new_region
                and new_region != region
                and (err.code in REDIRECT_CODES or resp.status in (301, 307))
            ):
                self.remember_region(bucket, new_region)
                redirected = True
                attempt -= 1  # a redirect is not a failed attempt
                continue
            retryable = resp.status in RETRY_STATUS or err.code in RETRY_CODES
            if retryable and idempotent and attempt < self.retry.max_attempts:
                await asyncio.sleep(self.retry.delay(attempt))
                continue
            raise err

    async def _error(
        self, resp: Response, bucket: str | None, key: str | None, method: str
    ) -> errors.S3ResponseError:
        body = await resp.read() if method != "HEAD" else b""
        info = parse_error(body) if body else {}
        request_id = info.get("RequestId") or resp.headers.get("x-amz-request-id")
        message = info.get("Message", "")
        if body and not info and resp.status >= 400:
            snippet = body[:120].decode("utf-8", "replace").strip()
            message = f"unexpected reply from the server: {snippet!r}"
        return errors.make_error(
            resp.status,
            info.get("Code", ""),
            message,
            request_id,
            bucket=bucket,
            key=key,
            region=info.get("Region") or resp.headers.get("x-amz-bucket-region"),
        )

    async def request_body(
        self, method: str, bucket: str | None = None, key: str | None = None, **kwargs
    ) -> tuple[bytes, dict[str, str]]:
        """Like :meth:`request`, but read the body; returns (body, headers)."""
        resp = await self.request(method, bucket, key, **kwargs)
        return await resp.read(), resp.headers
