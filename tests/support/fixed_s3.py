"""A read-only S3 endpoint on loopback serving fixed data with fixed timestamps.

Snapshots and screenshots need the same pixels every run; real servers stamp objects with
the current time. This server speaks the S3 REST/XML protocol over real HTTP (ListBuckets,
ListObjectsV2 with prefixes, delimiters and continuation, HEAD, ranged GET) so the app
under test runs its real client against it. It checks no signature.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import quote
from xml.sax.saxutils import escape

from aiohttp import web

NS = "http://s3.amazonaws.com/doc/2006-03-01/"
CREATED = "2024-03-01T09:00:00.000Z"


@dataclass
class Obj:
    body: bytes
    content_type: str = "binary/octet-stream"
    modified: datetime = datetime(2024, 4, 2, 14, 30, tzinfo=UTC)
    metadata: dict[str, str] = field(default_factory=dict)
    storage_class: str = "STANDARD"

    @property
    def etag(self) -> str:
        return f'"{hashlib.md5(self.body).hexdigest()}"'


def _iso(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def fixed_data() -> dict[str, dict[str, Obj]]:
    """The buckets the snapshots show (after the seed document's examples)."""
    pdf = b"%PDF-1.4\n% fixed\n%%EOF\n"
    day = lambda d, h=10: datetime(2024, 1, d, h, 0, tzinfo=UTC)  # noqa: E731
    report = {
        f"reports/2024/{m}.pdf": Obj(
            pdf * (i + 1), "application/pdf", day(i + 1), {"owner": "finance"}
        )
        for i, m in enumerate(["january", "february", "march", "april"])
    }
    report |= {
        "images/chart1.png": Obj(b"\x89PNG" + b"\0" * 2000, "image/png", day(5)),
        "images/chart2.png": Obj(b"\x89PNG" + b"\0" * 3000, "image/png", day(6)),
        "data/raw-data.csv": Obj(
            b"a,b\n1,2\n" * 400, "text/csv", day(7), storage_class="STANDARD_IA"
        ),
        "odd names/[bold]markup[/] looking.txt": Obj(b"x", "text/plain", day(8)),
        "odd names/[reverse]not inverted.txt": Obj(b"w", "text/plain", day(8)),
        "odd names/escape \x1b[2J clear.txt": Obj(b"y", "text/plain", day(9)),
        "odd names/line\nbreak.txt": Obj(b"z", "text/plain", day(10)),
        "odd names/résumé 2024 (final).pdf": Obj(pdf, "application/pdf", day(11)),
        "odd names/日本語のファイル.txt": Obj("こんにちは".encode(), "text/plain", day(12)),
        "odd names/\u202etxt.exe": Obj(b"bidi", "application/octet-stream", day(13)),
    }
    report |= {
        f"big/{i:05d}-measurement.csv": Obj(b"n\n%d\n" % i, "text/csv", day(1 + i % 28))
        for i in range(2500)
    }
    return {
        "report-sharing": report,
        "secure-documents": {
            "public-documents/newsletter.pdf": Obj(pdf, "application/pdf", day(14)),
            "confidential/financial-report.pdf": Obj(pdf * 9, "application/pdf", day(15)),
            "temp-files/meeting-recording.mp4": Obj(b"\0" * 50_000, "video/mp4", day(16)),
        },
        "user-uploads": {},
        "forbidden-bucket": {},
    }


FORBIDDEN = {"forbidden-bucket"}


def _error(status: int, code: str, message: str) -> web.Response:
    body = (
        f"<Error><Code>{code}</Code><Message>{message}</Message>"
        "<RequestId>FIXED</RequestId></Error>"
    )
    return web.Response(status=status, body=body.encode(), content_type="application/xml")


class FixedS3:
    """The aiohttp app; ``buckets`` may be changed by a test before requests."""

    def __init__(
        self, buckets: dict[str, dict[str, Obj]] | None = None, page_delay: float = 0.0
    ) -> None:
        self.buckets = buckets if buckets is not None else fixed_data()
        self.requests = 0
        self.page_delay = page_delay  # seconds before each listing page after the first
        self.pages_served = 0

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/", self.root)
        app.router.add_route("*", "/{bucket}", self.bucket)
        app.router.add_route("*", "/{bucket}/{key:.*}", self.object)
        return app

    async def root(self, request: web.Request) -> web.Response:
        self.requests += 1
        items = "".join(
            f"<Bucket><Name>{escape(b)}</Name><CreationDate>{CREATED}</CreationDate></Bucket>"
            for b in sorted(self.buckets)
        )
        body = (
            f'<ListAllMyBucketsResult xmlns="{NS}"><Buckets>{items}</Buckets>'
            "</ListAllMyBucketsResult>"
        )
        return web.Response(body=body.encode(), content_type="application/xml")

    def _bucket(self, name: str) -> dict[str, Obj] | web.Response:
        if name in FORBIDDEN:
            return _error(403, "AccessDenied", "Access Denied")
        if name not in self.buckets:
            return _error(404, "NoSuchBucket", "The specified bucket does not exist")
        return self.buckets[name]

    async def bucket(self, request: web.Request) -> web.Response:
        self.requests += 1
        found = self._bucket(request.match_info["bucket"])
        if isinstance(found, web.Response):
            return found if request.method != "HEAD" else web.Response(status=found.status)
        if request.method == "HEAD":
            return web.Response(headers={"x-amz-bucket-region": "us-east-1"})
        q = request.query
        self.pages_served += 1  # counted when asked for, so a cancelled request counts
        if self.page_delay and "continuation-token" in q:
            await asyncio.sleep(self.page_delay)
        prefix, delimiter = q.get("prefix", ""), q.get("delimiter", "")
        max_keys = int(q.get("max-keys", "1000"))
        after = q.get("continuation-token") or q.get("start-after") or ""
        keys = sorted(k for k in found if k.startswith(prefix) and k > after)
        contents, prefixes, count, last, truncated = [], [], 0, "", False
        for k in keys:
            rest = k[len(prefix) :]
            cp = None
            if delimiter and delimiter in rest:
                cp = prefix + rest.split(delimiter, 1)[0] + delimiter
            if cp is not None and cp in prefixes:
                last = k  # still inside a prefix already listed
                continue
            if count >= max_keys:
                truncated = True
                break
            if cp is not None:
                prefixes.append(cp)
            else:
                contents.append(k)
            count += 1
            last = k
        enc = q.get("encoding-type") == "url"
        e = (lambda s: quote(s, safe="/")) if enc else escape
        xml = [
            f'<ListBucketResult xmlns="{NS}"><Name>{request.match_info["bucket"]}</Name>',
            f"<Prefix>{e(prefix)}</Prefix><KeyCount>{count}</KeyCount>",
            f"<IsTruncated>{'true' if truncated else 'false'}</IsTruncated>",
        ]
        if enc:
            xml.append("<EncodingType>url</EncodingType>")
        if truncated:
            xml.append(f"<NextContinuationToken>{escape(last)}</NextContinuationToken>")
        for k in contents:
            o = found[k]
            xml.append(
                f"<Contents><Key>{e(k)}</Key><LastModified>{_iso(o.modified)}</LastModified>"
                f"<ETag>{escape(o.etag)}</ETag><Size>{len(o.body)}</Size>"
                f"<StorageClass>{o.storage_class}</StorageClass></Contents>"
            )
        xml += [f"<CommonPrefixes><Prefix>{e(p)}</Prefix></CommonPrefixes>" for p in prefixes]
        xml.append("</ListBucketResult>")
        return web.Response(body="".join(xml).encode(), content_type="application/xml")

    async def object(self, request: web.Request) -> web.Response:
        self.requests += 1
        found = self._bucket(request.match_info["bucket"])
        if isinstance(found, web.Response):
            return found if request.method != "HEAD" else web.Response(status=found.status)
        obj = found.get(request.match_info["key"])
        if obj is None:
            return (
                web.Response(status=404)
                if request.method == "HEAD"
                else _error(404, "NoSuchKey", "The specified key does not exist.")
            )
        headers = {
            "ETag": obj.etag,
            "Last-Modified": format_datetime(obj.modified, usegmt=True),
            "Content-Type": obj.content_type,
            "x-amz-storage-class": obj.storage_class,
            **{f"x-amz-meta-{k}": v for k, v in obj.metadata.items()},
        }
        if request.method == "HEAD":
            headers["Content-Length"] = str(len(obj.body))
            return web.Response(headers=headers)
        return web.Response(body=obj.body, headers=headers)


class FixedS3Thread:
    """Runs FixedS3 in a background thread with its own event loop."""

    def __init__(self, server: FixedS3, port: int = 0) -> None:
        self.server = server
        self.port = port
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        runner = web.AppRunner(self.server.app(), access_log=None)
        self._loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", self.port)
        self._loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]
        self._runner = runner
        self._ready.set()
        self._loop.run_forever()
        self._loop.run_until_complete(runner.cleanup())

    def start(self) -> FixedS3Thread:
        self._thread.start()
        self._ready.wait(10)
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
