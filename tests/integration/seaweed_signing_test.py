"""SigV4 judged live by SeaweedFS, which verifies signatures, expiry and signed headers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import aiohttp
import pytest
from yarl import URL

from s3tui.s3 import (
    AccessDenied,
    InvalidAccessKeyId,
    NoSuchKey,
    S3Client,
    SignatureDoesNotMatch,
)

KEYS = ["plain.pdf", "with space & plus+.txt", "ünï/日本語 (1).txt", "tilde~!'()*.bin", "nl\nkey"]


async def fetch(method: str, url: str, *, data: bytes | None = None, headers=None):
    """Use a link as a browser or curl would: the URL is sent exactly as given."""
    async with (
        aiohttp.ClientSession() as session,
        session.request(method, URL(url, encoded=True), data=data, headers=headers or {}) as resp,
    ):
        return resp.status, await resp.read(), dict(resp.headers)


async def test_header_signed_calls_pass_for_odd_keys(seaweed_bucket):
    client, bucket = seaweed_bucket
    for key in KEYS:
        await client.put_object(
            bucket, key, key.encode(), content_type="text/plain", metadata={"note": "a b"}
        )
        assert (await client.head_object(bucket, key)).content_type == "text/plain"
        assert await client.get_object_bytes(bucket, key) == key.encode()
    listed = [
        o.key
        for p in [p async for p in client.list_objects(bucket, delimiter="")]
        for o in p.objects
    ]
    assert sorted(listed) == sorted(KEYS)
    result = await client.delete_objects(bucket, KEYS)
    assert sorted(result.deleted) == sorted(KEYS)


async def test_wrong_secret_is_signature_does_not_match(seaweed):
    async with S3Client(seaweed.access_key, "not-the-secret", endpoint_url=seaweed.url) as bad:
        with pytest.raises(SignatureDoesNotMatch) as info:
            await bad.list_buckets()
    assert info.value.status == 403
    assert "not-the-secret" not in str(info.value)


async def test_unknown_access_key_is_typed(seaweed):
    async with S3Client("NO-SUCH-KEY", "whatever", endpoint_url=seaweed.url) as bad:
        with pytest.raises(InvalidAccessKeyId):
            await bad.list_buckets()


async def test_read_only_key_is_denied_writes(seaweed_bucket, seaweed_reader):
    client, bucket = seaweed_bucket
    await client.put_object(bucket, "readable.txt", b"ok")
    async with seaweed_reader.client() as reader:
        assert await reader.get_object_bytes(bucket, "readable.txt") == b"ok"
        with pytest.raises(AccessDenied) as info:
            await reader.put_object(bucket, "nope.txt", b"x")
    assert info.value.status == 403 and info.value.key == "nope.txt"


async def test_presigned_get_downloads_with_requested_disposition(seaweed_bucket):
    client, bucket = seaweed_bucket
    body = b"%PDF-1.7 report"
    key = "reports/2024/résumé final.pdf"
    await client.put_object(bucket, key, body, content_type="application/pdf")
    disposition = "attachment; filename=\"resume final.pdf\"; filename*=UTF-8''" + quote(
        "résumé final.pdf"
    )
    url = client.generate_presigned_url(
        "GET", bucket, key, 600, {"response-content-disposition": disposition}
    )
    status, data, headers = await fetch("GET", url)
    assert (status, data) == (200, body)
    assert headers["Content-Disposition"] == disposition


async def test_presigned_put_enforces_its_signed_content_type(seaweed_bucket):
    client, bucket = seaweed_bucket
    url = client.generate_presigned_url(
        "PUT", bucket, "uploads/photo.jpg", 1800, {"Content-Type": "image/jpeg"}
    )
    status, _, _ = await fetch(
        "PUT", url, data=b"not a jpeg", headers={"Content-Type": "text/plain"}
    )
    assert status == 403
    with pytest.raises(NoSuchKey):
        await client.head_object(bucket, "uploads/photo.jpg")
    jpeg = b"\xff\xd8\xff\xe0 fake jpeg"
    status, _, _ = await fetch("PUT", url, data=jpeg, headers={"Content-Type": "image/jpeg"})
    assert status == 200
    info = await client.head_object(bucket, "uploads/photo.jpg")
    assert info.content_type == "image/jpeg"
    assert await client.get_object_bytes(bucket, "uploads/photo.jpg") == jpeg


async def test_expired_link_is_refused(seaweed_bucket):
    client, bucket = seaweed_bucket
    await client.put_object(bucket, "old.txt", b"old")
    signed_at = datetime.now(UTC) - timedelta(hours=2)
    url = client.generate_presigned_url("GET", bucket, "old.txt", 60, now=signed_at)
    status, _, _ = await fetch("GET", url)
    assert status == 403
    fresh = client.generate_presigned_url("GET", bucket, "old.txt", 60)
    assert (await fetch("GET", fresh))[:2] == (200, b"old")


@pytest.mark.parametrize("tamper", ["key", "expiry", "signature"])
async def test_tampered_link_is_refused(seaweed_bucket, tamper):
    client, bucket = seaweed_bucket
    await client.put_object(bucket, "a.txt", b"A")
    await client.put_object(bucket, "b.txt", b"B")
    url = client.generate_presigned_url("GET", bucket, "a.txt", 300)
    assert (await fetch("GET", url))[:2] == (200, b"A")
    if tamper == "key":
        bad = url.replace("/a.txt?", "/b.txt?")
    elif tamper == "expiry":
        bad = url.replace("X-Amz-Expires=300", "X-Amz-Expires=600")
    else:
        sig = url.rsplit("=", 1)[1]
        bad = url[: -len(sig)] + ("0" if sig[0] != "0" else "1") + sig[1:]
    assert bad != url
    status, data, _ = await fetch("GET", bad)
    assert status == 403 and data not in (b"A", b"B")


async def test_presigned_head_and_delete(seaweed_bucket):
    client, bucket = seaweed_bucket
    await client.put_object(bucket, "gone soon.txt", b"bye")
    head = client.generate_presigned_url("HEAD", bucket, "gone soon.txt", 60)
    assert (await fetch("HEAD", head))[0] == 200
    delete = client.generate_presigned_url("DELETE", bucket, "gone soon.txt", 60)
    assert (await fetch("DELETE", delete))[0] == 204
    with pytest.raises(NoSuchKey):
        await client.head_object(bucket, "gone soon.txt")


async def test_session_token_links_are_signed_over_the_token(seaweed_bucket):
    # SeaweedFS has no STS; a token it does not know must make the link fail, which
    # shows the token is part of what is signed and sent.
    client, bucket = seaweed_bucket
    await client.put_object(bucket, "t.txt", b"t")
    temp = S3Client(
        client.access_key,
        client._credentials.secret_key,
        endpoint_url=client.endpoint_url,
        session_token="FAKE-TOKEN",
    )
    url = temp.generate_presigned_url("GET", bucket, "t.txt", 60)
    assert "X-Amz-Security-Token=FAKE-TOKEN" in url
    status, _, _ = await fetch("GET", url)
    assert status in (400, 403)
