"""Retries, redirects and broken servers, against a scripted HTTP server on loopback."""

from __future__ import annotations

import asyncio
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from aiohttp import web

from s3tui.s3 import (
    MalformedResponse,
    RetryPolicy,
    S3Client,
    S3ConnectionError,
    S3ResponseError,
    S3TimeoutError,
    SlowDown,
)

BUCKETS_XML = (
    b'<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Buckets>'
    b"<Bucket><Name>ok-bucket</Name><CreationDate>2024-01-01T00:00:00Z</CreationDate></Bucket>"
    b"</Buckets></ListAllMyBucketsResult>"
)
LIST_XML = (
    b"<ListBucketResult><IsTruncated>false</IsTruncated>"
    b"<Contents><Key>k</Key><Size>1</Size></Contents></ListBucketResult>"
)
FAST = RetryPolicy(max_attempts=3, base=0.01, cap=0.02)


def error_xml(code: str, message: str = "", region: str = "") -> bytes:
    extra = f"<Region>{region}</Region>" if region else ""
    return (
        f"<Error><Code>{code}</Code><Message>{message}</Message>{extra}"
        f"<RequestId>REQ123</RequestId></Error>"
    ).encode()


Handler = Callable[[web.Request], web.StreamResponse]


@dataclass
class Scripted:
    """Answers each request with the next scripted handler (the last one repeats)."""

    script: list = field(default_factory=list)
    seen: list[web.Request] = field(default_factory=list)
    url: str = ""

    async def handle(self, request: web.Request) -> web.StreamResponse:
        await request.read()
        self.seen.append(request)
        step = self.script[min(len(self.seen), len(self.script)) - 1]
        result = step(request)
        return await result if asyncio.iscoroutine(result) else result


@pytest.fixture
async def fake():
    scripted = Scripted()
    app = web.Application(client_max_size=64 * 1024 * 1024)  # room for upload parts
    app.router.add_route("*", "/{tail:.*}", scripted.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    scripted.url = f"http://127.0.0.1:{port}"
    yield scripted
    await runner.cleanup()


def reply(status: int, body: bytes = b"", headers: dict | None = None) -> Handler:
    return lambda _request: web.Response(status=status, body=body, headers=headers or {})


def client_for(fake: Scripted, **kwargs) -> S3Client:
    kwargs.setdefault("retry", FAST)
    return S3Client("AK", "SK", endpoint_url=fake.url, **kwargs)


async def test_503_twice_then_200_succeeds(fake):
    fake.script = [reply(503), reply(503, error_xml("SlowDown")), reply(200, BUCKETS_XML)]
    async with client_for(fake) as client:
        buckets = await client.list_buckets()
    assert [b.name for b in buckets] == ["ok-bucket"]
    assert len(fake.seen) == 3


async def test_retries_are_bounded_and_the_last_error_is_typed(fake):
    fake.script = [reply(503, error_xml("SlowDown", "Please reduce your request rate."))]
    async with client_for(fake) as client:
        with pytest.raises(SlowDown, match="reduce your request rate") as info:
            await client.list_buckets()
    assert len(fake.seen) == FAST.max_attempts
    assert info.value.request_id == "REQ123" and info.value.status == 503


@pytest.mark.parametrize("code", ["InternalError", "RequestTimeout"])
async def test_retryable_codes_in_400_and_500_bodies(fake, code):
    status = 400 if code == "RequestTimeout" else 500
    fake.script = [reply(status, error_xml(code)), reply(200, BUCKETS_XML)]
    async with client_for(fake) as client:
        await client.list_buckets()
    assert len(fake.seen) == 2


async def test_client_errors_are_not_retried(fake):
    fake.script = [reply(403, error_xml("AccessDenied", "Access Denied"))]
    async with client_for(fake) as client:
        with pytest.raises(S3ResponseError) as info:
            await client.list_buckets()
    assert info.value.code == "AccessDenied" and len(fake.seen) == 1


async def test_one_shot_stream_is_never_sent_twice(fake):
    fake.script = [reply(503), reply(200)]

    async def body():
        yield b"abc"

    async with client_for(fake) as client:
        with pytest.raises(S3ResponseError):
            await client.put_object("bkt", "k", body(), content_length=3)
    assert len(fake.seen) == 1


async def test_bytes_put_is_retried(fake):
    fake.script = [reply(500), reply(200, headers={"ETag": '"e"'})]
    async with client_for(fake) as client:
        assert await client.put_object("bkt", "k", b"abc") == '"e"'
    assert len(fake.seen) == 2


async def test_malformed_xml_is_a_clear_typed_error(fake):
    fake.script = [reply(200, BUCKETS_XML[:60])]
    async with client_for(fake) as client:
        with pytest.raises(MalformedResponse, match="unreadable bucket list"):
            await client.list_buckets()


async def test_html_error_page_is_reported_not_parsed(fake):
    fake.script = [reply(502, b"<html><body>Bad Gateway from proxy</body></html>")]
    async with client_for(fake, retry=RetryPolicy(max_attempts=1)) as client:
        with pytest.raises(S3ResponseError, match="Bad Gateway from proxy") as info:
            await client.list_buckets()
    assert info.value.status == 502


async def test_connection_refused_is_a_clear_typed_error():
    async with S3Client("AK", "SK", endpoint_url="http://127.0.0.1:9", retry=FAST) as client:
        with pytest.raises(S3ConnectionError, match=r"cannot connect to 127\.0\.0\.1:9"):
            await client.list_buckets()


async def test_connection_reset_is_retried(fake):
    def drop(request: web.Request):
        request.transport.close()
        return web.Response(status=200)

    fake.script = [drop, reply(200, BUCKETS_XML)]
    async with client_for(fake) as client:
        assert [b.name for b in await client.list_buckets()] == ["ok-bucket"]
    assert len(fake.seen) == 2


async def test_read_timeout_is_typed(fake):
    async def slow(_request):
        await asyncio.sleep(1.0)
        return web.Response(body=BUCKETS_XML)

    fake.script = [slow]
    async with client_for(fake, read_timeout=0.1, retry=RetryPolicy(max_attempts=1)) as client:
        with pytest.raises(S3TimeoutError, match="timed out"):
            await client.list_buckets()


def region_of(request: web.Request) -> str:
    match = re.search(r"Credential=[^/]+/\d{8}/([^/]+)/s3/", request.headers["Authorization"])
    assert match
    return match.group(1)


def regional_bucket(region: str, as_head: bool = False) -> Handler:
    """Serve only requests signed for ``region``; point others there, as AWS does."""

    def handler(request: web.Request):
        if region_of(request) == region:
            return web.Response(body=LIST_XML, headers={"x-amz-bucket-region": region})
        if as_head:
            return web.Response(status=301, headers={"x-amz-bucket-region": region})
        msg = f"the region 'us-east-1' is wrong; expecting '{region}'"
        return web.Response(status=400, body=error_xml("AuthorizationHeaderMalformed", msg, region))

    return handler


async def test_bucket_in_another_region_is_followed_once_and_remembered(fake):
    fake.script = [regional_bucket("eu-west-2")]
    async with client_for(fake) as client:
        pages = [p async for p in client.list_objects("moved-bucket")]
        assert [o.key for o in pages[0].objects] == ["k"]
        assert [region_of(r) for r in fake.seen] == ["us-east-1", "eu-west-2"]
        assert client.region_for("moved-bucket") == "eu-west-2"
        [p async for p in client.list_objects("moved-bucket")]
        assert [region_of(r) for r in fake.seen][2:] == ["eu-west-2"]
        url = client.generate_presigned_url("GET", "moved-bucket", "k")
        assert "%2Feu-west-2%2Fs3%2F" in url  # links are signed for the bucket's region


async def test_head_301_redirect_uses_the_region_header(fake):
    fake.script = [regional_bucket("ap-south-1", as_head=True)]
    async with client_for(fake) as client:
        await client.head_object("far-bucket", "k")
    assert [region_of(r) for r in fake.seen] == ["us-east-1", "ap-south-1"]


async def test_redirect_loop_is_not_followed_forever(fake):
    def always_elsewhere(request):
        other = "eu-west-1" if region_of(request) != "eu-west-1" else "us-west-2"
        return web.Response(status=301, headers={"x-amz-bucket-region": other})

    fake.script = [always_elsewhere]
    async with client_for(fake) as client:
        with pytest.raises(S3ResponseError) as info:
            await client.head_object("loop-bucket", "k")
    assert info.value.status == 301 and len(fake.seen) == 2


async def test_copy_200_with_error_body_raises(fake):
    fake.script = [reply(200, error_xml("InternalError", "copy failed midway"))]
    async with client_for(fake) as client:
        with pytest.raises(S3ResponseError, match="copy failed midway"):
            await client.copy_object("a-bucket", "k", "a-bucket", "k2")


def test_backoff_grows_is_capped_and_jittered():
    policy = RetryPolicy(max_attempts=6, base=0.1, cap=1.0)
    rng = random.Random(7)
    delays = [[policy.delay(n, rng) for n in range(1, 7)] for _ in range(200)]
    for n, ceiling in enumerate([0.1, 0.2, 0.4, 0.8, 1.0, 1.0]):
        column = [row[n] for row in delays]
        assert all(ceiling / 2 <= d <= ceiling for d in column)
        assert max(column) - min(column) > ceiling / 4  # jitter spreads retries out


async def test_a_store_that_refuses_crc32_uploads_gets_content_md5(fake, tmp_path):
    seen_parts: list[dict] = []

    def handle(request: web.Request) -> web.Response:
        if request.method == "POST" and "uploads" in request.query:
            if "x-amz-checksum-algorithm" in request.headers:
                return web.Response(status=400, body=error_xml("InvalidArgument", "no CRC32"))
            return web.Response(
                body=b"<InitiateMultipartUploadResult><UploadId>U1</UploadId>"
                b"</InitiateMultipartUploadResult>"
            )
        if request.method == "PUT":
            seen_parts.append(dict(request.headers))
            return web.Response(headers={"ETag": f'"e{request.query["partNumber"]}"'})
        if request.method == "POST" and "uploadId" in request.query:
            return web.Response(
                body=b'<CompleteMultipartUploadResult><ETag>"x-2"</ETag>'
                b"</CompleteMultipartUploadResult>"
            )
        return web.Response(status=500)

    fake.script = [handle]
    src = tmp_path / "f.bin"
    src.write_bytes(b"a" * (11 * 1024 * 1024))
    async with client_for(fake) as client:
        await client.upload_file("bkt", "f.bin", src, part_size=6 * 1024 * 1024)
    assert len(seen_parts) == 2
    assert all("Content-MD5" in h and "x-amz-checksum-crc32" not in h for h in seen_parts)


async def test_cancelled_while_the_upload_is_being_created_still_aborts_it(fake, tmp_path):
    aborted: list[str] = []
    asked = asyncio.Event()

    async def handle(request: web.Request) -> web.Response:
        if request.method == "POST" and "uploads" in request.query:
            asked.set()
            await asyncio.sleep(0.3)  # S3 makes the upload; the answer is still on its way
            return web.Response(
                body=b"<InitiateMultipartUploadResult><UploadId>U9</UploadId>"
                b"</InitiateMultipartUploadResult>"
            )
        if request.method == "DELETE":
            aborted.append(request.query.get("uploadId", ""))
            return web.Response(status=204)
        return web.Response(status=500)

    fake.script = [handle]
    src = tmp_path / "f.bin"
    src.write_bytes(b"a" * (11 * 1024 * 1024))
    async with client_for(fake) as client:
        task = asyncio.ensure_future(
            client.upload_file("bkt", "f.bin", src, part_size=6 * 1024 * 1024)
        )
        await asyncio.wait_for(asked.wait(), 5)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert aborted == ["U9"]
