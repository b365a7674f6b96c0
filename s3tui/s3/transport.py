"""The one place that talks aiohttp: sends a signed request, maps every aiohttp error.

Signed URLs go out as ``yarl.URL(url, encoded=True)`` so nothing re-quotes or
normalises a path we signed (``//``, ``..``, ``%2B`` stay as they are).
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field

import aiohttp
from yarl import URL

from .errors import S3ConnectionError, S3TimeoutError


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Connect and per-read timeouts in seconds (None: wait forever)."""

    connect: float | None = 10.0
    read: float | None = 60.0


@dataclass(slots=True)
class Response:
    """A response whose body has not been read yet (or was read into ``body``)."""

    status: int
    headers: dict[str, str]
    url: str
    _raw: aiohttp.ClientResponse | None = field(default=None, repr=False)

    async def read(self) -> bytes:
        """Read the whole body (errors mapped), then release the connection."""
        if self._raw is None:
            return b""
        try:
            return await self._raw.read()
        except BaseException as exc:
            raise _map(exc, self.url) from None
        finally:
            self.release()

    async def iter_chunks(self, size: int = 256 * 1024) -> AsyncIterator[bytes]:
        """Yield the body in chunks of at most ``size`` bytes."""
        if self._raw is None:
            return
        try:
            while True:
                try:
                    chunk = await self._raw.content.read(size)
                except BaseException as exc:
                    raise _map(exc, self.url) from None
                if not chunk:
                    break
                yield chunk
        finally:
            self.release()

    def release(self) -> None:
        """Give the connection back (or close it if the body was not consumed)."""
        if self._raw is not None:
            raw, self._raw = self._raw, None
            raw.release()


def new_session(*, max_connections: int, timeouts: Timeouts) -> aiohttp.ClientSession:
    """A pooled session; bodies are never decompressed (we want the stored bytes)."""
    connector = aiohttp.TCPConnector(limit=max_connections, ttl_dns_cache=300)
    timeout = aiohttp.ClientTimeout(
        total=None, sock_connect=timeouts.connect, sock_read=timeouts.read
    )
    return aiohttp.ClientSession(
        connector=connector,
        timeout=timeout,
        auto_decompress=False,
        skip_auto_headers=("Content-Type", "Accept-Encoding"),
    )


def _map(exc: BaseException, url: str) -> BaseException:
    """Translate an aiohttp / OS error into the client's tree (others pass through)."""
    where = url.split("?", 1)[0]  # never echo a query: it may hold a signature or token
    if isinstance(exc, S3ConnectionError):
        return exc
    if isinstance(exc, (asyncio.TimeoutError, aiohttp.ServerTimeoutError)):
        return S3TimeoutError(f"timed out talking to {where}", url=where)
    if isinstance(exc, aiohttp.ClientConnectorCertificateError):
        return S3ConnectionError(f"TLS certificate rejected for {where}", url=where)
    if isinstance(exc, aiohttp.ClientConnectorError):
        reason = exc.os_error.strerror or str(exc.os_error) if exc.os_error else str(exc)
        return S3ConnectionError(f"cannot connect to {exc.host}:{exc.port} ({reason})", url=where)
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return S3ConnectionError(f"the server closed the connection ({where})", url=where)
    if isinstance(exc, aiohttp.ClientPayloadError):
        return S3ConnectionError(f"the response body was cut short ({where})", url=where)
    if isinstance(exc, aiohttp.InvalidURL):
        return S3ConnectionError(f"invalid URL {where}", url=where)
    if isinstance(exc, (aiohttp.ClientError, ssl.SSLError, ConnectionError, OSError)):
        return S3ConnectionError(f"connection error with {where}: {exc}", url=where)
    return exc


async def send(
    session: aiohttp.ClientSession,
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: object = None,
) -> Response:
    """Send one request; the returned Response must be read or released."""
    try:
        raw = await session.request(
            method,
            URL(url, encoded=True),
            headers=dict(headers),
            data=body,
            allow_redirects=False,
        )
    except BaseException as exc:
        mapped = _map(exc, url)
        if mapped is exc:
            raise
        raise mapped from None
    headers_out = {k.lower(): v for k, v in raw.headers.items()}
    if method == "HEAD":
        raw.release()
        return Response(raw.status, headers_out, url)
    return Response(raw.status, headers_out, url, raw)
