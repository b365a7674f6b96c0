"""Downloads on moto: 50 MiB round trip, verification, cancel, safe paths, conflicts."""

from __future__ import annotations

import asyncio
import hashlib
import os

import boto3
import pytest
from aiohttp import web

from s3tui.s3 import ChecksumMismatch, NoSuchKey, PreconditionFailed, S3Client
from s3tui.services.transfers import OnConflict, download_to

MiB = 1024 * 1024


async def test_50_mib_round_trip_is_identical(moto_bucket, tmp_path):
    client, bucket = moto_bucket
    src = tmp_path / "src.bin"
    src.write_bytes(os.urandom(50 * MiB))
    await client.upload_file(bucket, "big/blob.bin", src, part_size=8 * MiB, concurrency=4)
    seen = []
    target, path, info = await download_to(
        client, bucket, "big/blob.bin", tmp_path / "out", progress=seen.append
    )
    assert path == tmp_path.resolve() / "out" / "big" / "blob.bin"
    assert hashlib.sha256(path.read_bytes()).digest() == hashlib.sha256(src.read_bytes()).digest()
    assert sum(seen) == 50 * MiB and max(seen) <= MiB  # streamed in chunks
    assert not target.renamed and info.content_length == 50 * MiB


async def test_cancelled_download_leaves_no_file(moto_bucket, tmp_path):
    client, bucket = moto_bucket
    await client.put_object(bucket, "c.bin", os.urandom(20 * MiB))
    started = asyncio.Event()
    task = asyncio.ensure_future(
        download_to(client, bucket, "c.bin", tmp_path, progress=lambda n: started.set())
    )
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert list(tmp_path.iterdir()) == []  # neither the file nor its temporary name


async def test_unsafe_keys_land_inside_the_folder(moto_bucket, tmp_path):
    client, bucket = moto_bucket
    dest = tmp_path / "dest"
    keys = ["../../etc/x", "/abs", "a\\b", "con.txt", "n" * 300 + ".txt", "nul\x00x"]
    for key in keys:
        await client.put_object(bucket, key, key.encode("utf-8", "replace"))
    for key in keys:
        _, path, _ = await download_to(client, bucket, key, dest)
        assert dest.resolve() in path.parents
        assert path.read_bytes() == key.encode("utf-8", "replace")
    assert not (tmp_path / "etc").exists() and not (tmp_path.parent / "etc" / "x").exists()


async def test_existing_files_skip_overwrite_or_keep_both(moto_bucket, tmp_path):
    client, bucket = moto_bucket
    await client.put_object(bucket, "r.txt", b"new")
    (tmp_path / "r.txt").write_bytes(b"old")
    _, path, _ = await download_to(client, bucket, "r.txt", tmp_path)
    assert path is None and (tmp_path / "r.txt").read_bytes() == b"old"
    _, path, _ = await download_to(
        client, bucket, "r.txt", tmp_path, on_conflict=OnConflict.KEEP_BOTH
    )
    assert path.name == "r (1).txt" and path.read_bytes() == b"new"
    _, path, _ = await download_to(
        client, bucket, "r.txt", tmp_path, on_conflict=OnConflict.OVERWRITE
    )
    assert (tmp_path / "r.txt").read_bytes() == b"new"


async def test_a_big_download_comes_in_parallel_ranges_and_is_identical(moto_bucket, tmp_path):
    client, bucket = moto_bucket
    data = os.urandom(20 * MiB + 123)
    await client.put_object(bucket, "plain.bin", data)  # one PUT: a plain-MD5 ETag
    info = await client.download_file(bucket, "plain.bin", tmp_path / "p", part_size=5 * MiB)
    assert (tmp_path / "p").read_bytes() == data
    assert info.content_length == len(data) and info.content_range is None
    await client.put_object(bucket, "empty.bin", b"")
    await client.download_file(bucket, "empty.bin", tmp_path / "e")
    assert (tmp_path / "e").read_bytes() == b""


async def test_cancelled_file_upload_leaves_no_multipart_upload(moto_bucket, tmp_path):
    client, bucket = moto_bucket
    src = tmp_path / "big.bin"
    src.write_bytes(os.urandom(40 * MiB))
    sent = asyncio.Event()
    task = asyncio.ensure_future(
        client.upload_file(
            bucket,
            "cancel.bin",
            src,
            part_size=5 * MiB,
            concurrency=2,
            progress=lambda n: sent.set(),
        )
    )
    await sent.wait()
    assert len(await client.list_multipart_uploads(bucket)) == 1
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await client.list_multipart_uploads(bucket) == []
    with pytest.raises(NoSuchKey):
        await client.head_object(bucket, "cancel.bin")


@pytest.fixture
async def corrupting_server():
    """Serves 'obj.bin' with a plain-MD5 ETag that does not match the bytes it sends."""
    body = os.urandom(3 * MiB)
    etag = '"' + hashlib.md5(b"something else").hexdigest() + '"'

    async def handle(request: web.Request) -> web.Response:
        first, _, last = request.headers["Range"].removeprefix("bytes=").partition("-")
        first, last = int(first), min(int(last), len(body) - 1)
        return web.Response(
            status=206,
            body=body[first : last + 1],
            headers={"ETag": etag, "Content-Range": f"bytes {first}-{last}/{len(body)}"},
        )

    app = web.Application()
    app.router.add_get("/{tail:.*}", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"
    await runner.cleanup()


async def test_bytes_that_do_not_match_the_md5_etag_are_refused(corrupting_server, tmp_path):
    async with S3Client("AK", "SK", endpoint_url=corrupting_server) as client:
        with pytest.raises(ChecksumMismatch, match="corrupted"):
            await client.download_file("bkt", "obj.bin", tmp_path / "obj.bin", part_size=MiB)
    assert list(tmp_path.iterdir()) == []  # neither the file nor its temporary name


async def test_an_object_replaced_mid_download_fails_instead_of_mixing(moto, moto_bucket, tmp_path):
    client, bucket = moto_bucket
    await client.put_object(bucket, "moving.bin", os.urandom(12 * MiB))
    other = boto3.client(
        "s3",
        endpoint_url=moto.url,
        aws_access_key_id=moto.access_key,
        aws_secret_access_key=moto.secret_key,
        region_name="us-east-1",
    )
    replaced = False

    def progress(_n: int) -> None:
        # blocking on purpose: the object is replaced before the next part is asked for
        nonlocal replaced
        if not replaced:
            replaced = True
            other.put_object(Bucket=bucket, Key="moving.bin", Body=os.urandom(12 * MiB))

    with pytest.raises(PreconditionFailed):
        await client.download_file(
            bucket,
            "moving.bin",
            tmp_path / "m",
            part_size=5 * MiB,
            concurrency=1,
            chunk_size=64 * 1024,
            progress=progress,
        )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("checksum", ["crc32", "md5"])
async def test_multipart_file_uploads_with_either_checksum(seaweed_bucket, tmp_path, checksum):
    client, bucket = seaweed_bucket
    src = tmp_path / "f.bin"
    src.write_bytes(os.urandom(13 * MiB))
    await client.upload_file(bucket, "f.bin", src, part_size=5 * MiB, checksum=checksum)
    assert await client.get_object_bytes(bucket, "f.bin") == src.read_bytes()
    assert (await client.head_object(bucket, "f.bin")).etag.strip('"').endswith("-3")


async def test_multipart_copy_on_moto(moto_bucket):
    await check_multipart_copy(*moto_bucket)


async def test_multipart_copy_on_seaweedfs(seaweed_bucket):
    await check_multipart_copy(*seaweed_bucket)


async def check_multipart_copy(client, bucket):
    """UploadPartCopy in 3 parts: same bytes, type and metadata, nothing left behind."""
    from s3tui.s3 import multipart

    data = os.urandom(12 * MiB + 7)
    await client.put_object(
        bucket, "big/src.bin", data, content_type="video/mp4", metadata={"owner": "ann"}
    )
    done = []
    await multipart.copy_object_multipart(
        client,
        bucket,
        "big/src.bin",
        bucket,
        "big/dst.bin",
        part_size=5 * MiB,
        progress=done.append,
    )
    assert await client.get_object_bytes(bucket, "big/dst.bin") == data
    info = await client.head_object(bucket, "big/dst.bin")
    assert info.content_type == "video/mp4" and info.metadata == {"owner": "ann"}
    assert info.etag.strip('"').endswith("-3") and sum(done) == len(data)
    assert await client.list_multipart_uploads(bucket) == []
