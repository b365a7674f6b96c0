"""Every client call against moto's S3 in server mode, over real HTTP on loopback."""

from __future__ import annotations

import asyncio
import hashlib
import os

import pytest

from s3tui.s3 import NoSuchBucket, NoSuchKey, NoSuchUpload

ODD_KEYS = [
    "plain.txt",
    "with space.txt",
    "plus+sign.txt",
    "ünïcödé/日本語.txt",
    "tilde~!'()*.txt",
    "percent%20literal.txt",
    "double//slash",
    "[bold]markup[/].txt",
    "ctl\x01char",
]  # moto's router cannot take a newline in a path; SeaweedFS tests cover it


async def test_list_buckets_has_name_and_creation_date(moto_bucket):
    client, bucket = moto_bucket
    found = {b.name: b for b in await client.list_buckets()}
    assert bucket in found
    assert found[bucket].created is not None


async def test_odd_keys_round_trip_through_put_list_head_get(moto_bucket):
    client, bucket = moto_bucket
    for key in ODD_KEYS:
        await client.put_object(bucket, key, key.encode() * 3, content_type="text/plain")
    listed = []
    async for page in client.list_objects(bucket, delimiter=""):
        listed += [o.key for o in page.objects]
    assert sorted(listed) == sorted(ODD_KEYS)
    for key in ODD_KEYS:
        info = await client.head_object(bucket, key)
        assert info["content_length"] == len(key.encode()) * 3
        assert await client.get_object_bytes(bucket, key) == key.encode() * 3


async def test_pagination_over_2500_keys_with_common_prefixes(moto_bucket):
    client, bucket = moto_bucket
    keys = [f"logs/{d:02d}/{i:04d}.log" for d in range(5) for i in range(500)]
    keys += [f"top-{i}.txt" for i in range(3)]
    sem = asyncio.Semaphore(32)

    async def put(k: str) -> None:
        async with sem:
            await client.put_object(bucket, k, b"x")

    await asyncio.gather(*(put(k) for k in keys))

    pages = [
        p async for p in client.list_objects(bucket, prefix="logs/", delimiter="", page_size=1000)
    ]
    assert [len(p.objects) for p in pages] == [1000, 1000, 500]
    assert [o.key for p in pages for o in p.objects] == sorted(
        k for k in keys if k.startswith("logs/")
    )

    pages = [p async for p in client.list_objects(bucket, delimiter="/")]
    assert pages[0].prefixes == ["logs/"]
    assert sorted(o.key for o in pages[0].objects) == [f"top-{i}.txt" for i in range(3)]

    pages = [
        p async for p in client.list_objects(bucket, prefix="logs/", delimiter="/", page_size=2)
    ]
    assert [pfx for p in pages for pfx in p.prefixes] == [f"logs/{d:02d}/" for d in range(5)]

    after = [
        p
        async for p in client.list_objects(
            bucket, prefix="logs/04/", start_after="logs/04/0497.log"
        )
    ]
    assert [o.key for p in after for o in p.objects] == ["logs/04/0498.log", "logs/04/0499.log"]


async def test_head_reports_type_size_etag_metadata(moto_bucket):
    client, bucket = moto_bucket
    data = b"%PDF-1.4 hello"
    etag = await client.put_object(
        bucket, "doc.pdf", data, content_type="application/pdf", metadata={"Owner": "u-1"}
    )
    info = await client.head_object(bucket, "doc.pdf")
    assert info.content_type == "application/pdf"
    assert info.content_length == len(data)
    assert info.etag == etag == f'"{hashlib.md5(data).hexdigest()}"'
    assert info.metadata == {"owner": "u-1"}
    assert info.modified is not None and info.is_plain_md5_etag


async def test_ranged_get_and_streaming(moto_bucket):
    client, bucket = moto_bucket
    data = os.urandom(300_000)
    await client.put_object(bucket, "blob.bin", data)
    assert await client.get_object_bytes(bucket, "blob.bin", range=(10, 19)) == data[10:20]
    assert await client.get_object_bytes(bucket, "blob.bin", range=(299_990, None)) == data[-10:]
    async with client.get_object(bucket, "blob.bin", range="bytes=-5") as obj:
        assert await obj.read() == data[-5:]
    chunks = []
    async with client.get_object(bucket, "blob.bin") as obj:
        assert obj.info.content_length == len(data)
        async for chunk in obj.iter_chunks(64 * 1024):
            assert len(chunk) <= 64 * 1024
            chunks.append(chunk)
    assert b"".join(chunks) == data


async def test_download_file_writes_only_complete_files(moto_bucket, tmp_path):
    client, bucket = moto_bucket
    data = os.urandom(2_000_000)
    await client.put_object(bucket, "dl.bin", data)
    target = tmp_path / "dl.bin"
    info = await client.download_file(bucket, "dl.bin", target)
    assert target.read_bytes() == data and info.content_length == len(data)
    with pytest.raises(NoSuchKey):
        await client.download_file(bucket, "missing.bin", tmp_path / "missing.bin")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dl.bin"]


async def test_put_from_file_and_from_stream(moto_bucket, tmp_path):
    client, bucket = moto_bucket
    src = tmp_path / "src.bin"
    src.write_bytes(os.urandom(123_456))
    await client.put_object(bucket, "from-file", src)
    assert await client.get_object_bytes(bucket, "from-file") == src.read_bytes()

    async def gen():
        for i in range(10):
            yield bytes([i]) * 1000

    await client.put_object(bucket, "from-stream", gen(), content_length=10_000)
    assert await client.get_object_bytes(bucket, "from-stream") == b"".join(
        bytes([i]) * 1000 for i in range(10)
    )
    with pytest.raises(ValueError, match="content_length"):
        await client.put_object(bucket, "no-length", gen())


async def test_delete_one_and_batch_over_1000(moto_bucket):
    client, bucket = moto_bucket
    keys = [f"del/{i:05d}" for i in range(1205)] + ["del/ctl\x02key", "del/a&b<c>"]
    sem = asyncio.Semaphore(32)

    async def put(k: str) -> None:
        async with sem:
            await client.put_object(bucket, k, b"")

    await asyncio.gather(*(put(k) for k in keys))
    await client.delete_object(bucket, keys[0])
    with pytest.raises(NoSuchKey):
        await client.head_object(bucket, keys[0])
    result = await client.delete_objects(bucket, keys[1:])
    assert sorted(result.deleted) == sorted(keys[1:]) and result.errors == []
    remaining = [
        o async for p in client.list_objects(bucket, prefix="del/", delimiter="") for o in p.objects
    ]
    assert remaining == []


async def test_copy_object_within_and_across_buckets(moto_bucket, bucket_name):
    client, bucket = moto_bucket
    other = bucket_name[:-1] + "z"
    await client.create_bucket(other)
    await client.put_object(bucket, "src ü+.txt", b"copy me", content_type="text/plain")
    await client.copy_object(bucket, "src ü+.txt", bucket, "dst.txt")
    await client.copy_object(bucket, "src ü+.txt", other, "moved/dst.txt", metadata={"k": "v"})
    assert await client.get_object_bytes(bucket, "dst.txt") == b"copy me"
    assert (await client.head_object(other, "moved/dst.txt")).metadata == {"k": "v"}
    with pytest.raises(NoSuchKey):
        await client.copy_object(bucket, "absent", bucket, "x")


async def test_multipart_20_mib_upload_in_parallel(moto_bucket, tmp_path):
    client, bucket = moto_bucket
    src = tmp_path / "big.bin"
    src.write_bytes(os.urandom(20 * 1024 * 1024 + 12345))
    seen = []
    etag = await client.upload_file(
        bucket,
        "big.bin",
        src,
        part_size=5 * 1024 * 1024,
        concurrency=3,
        content_type="application/octet-stream",
        progress=seen.append,
    )
    assert etag.strip('"').endswith("-5")
    assert sum(seen) == src.stat().st_size
    assert await client.get_object_bytes(bucket, "big.bin") == src.read_bytes()
    assert await client.list_multipart_uploads(bucket) == []


async def test_failed_stream_upload_is_aborted_leaving_no_parts(moto_bucket):
    client, bucket = moto_bucket

    async def breaks_midway():
        for _ in range(3):
            yield os.urandom(5 * 1024 * 1024)
        raise OSError("disk read failed")

    with pytest.raises(OSError, match="disk read failed"):
        await client.upload_stream(
            bucket, "partial.bin", breaks_midway(), part_size=5 * 1024 * 1024
        )
    assert await client.list_multipart_uploads(bucket) == []
    with pytest.raises(NoSuchKey):
        await client.head_object(bucket, "partial.bin")


async def test_cancelled_upload_is_aborted(moto_bucket):
    client, bucket = moto_bucket
    started = asyncio.Event()

    async def endless():
        while True:
            started.set()
            yield b"\0" * (1024 * 1024)
            await asyncio.sleep(0)

    part_done = asyncio.Event()
    task = asyncio.ensure_future(
        client.upload_stream(
            bucket,
            "cancelled.bin",
            endless(),
            part_size=5 * 1024 * 1024,
            progress=lambda _n: part_done.set(),
        )
    )
    await part_done.wait()
    assert len(await client.list_multipart_uploads(bucket)) == 1
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert started.is_set()
    assert await client.list_multipart_uploads(bucket) == []


async def test_small_stream_is_one_put(moto_bucket):
    client, bucket = moto_bucket

    async def small():
        yield b"tiny"

    await client.upload_stream(bucket, "tiny.txt", small(), content_type="text/plain")
    assert await client.get_object_bytes(bucket, "tiny.txt") == b"tiny"


async def test_low_level_multipart_calls(moto_bucket):
    client, bucket = moto_bucket
    upload_id = await client.create_multipart_upload(bucket, "ll.bin", content_type="x/y")
    p1 = await client.upload_part(bucket, "ll.bin", upload_id, 1, b"a" * (5 * 1024 * 1024))
    p2 = await client.upload_part(bucket, "ll.bin", upload_id, 2, b"b" * 10)
    assert [p.part_number for p in await client.list_parts(bucket, "ll.bin", upload_id)] == [1, 2]
    await client.complete_multipart_upload(bucket, "ll.bin", upload_id, [p2, p1])
    assert (await client.head_object(bucket, "ll.bin")).content_length == 5 * 1024 * 1024 + 10
    other = await client.create_multipart_upload(bucket, "ab.bin")
    await client.abort_multipart_upload(bucket, "ab.bin", other)
    with pytest.raises(NoSuchUpload):
        await client.list_parts(bucket, "ab.bin", other)


async def test_bucket_region_and_missing_bucket(moto, bucket_name):
    async with moto.client(region="eu-west-2") as client:
        await client.create_bucket(bucket_name, region="eu-west-2")
        client._bucket_regions.clear()
        assert await client.get_bucket_region(bucket_name) == "eu-west-2"
        with pytest.raises(NoSuchBucket):
            await client.get_bucket_region("no-such-bucket-here")
        with pytest.raises(NoSuchBucket):
            async for _ in client.list_objects("no-such-bucket-here"):
                pass
        await client.delete_bucket(bucket_name)


async def test_session_is_reusable_like_the_seed_does(moto_bucket, moto):
    _, bucket = moto_bucket
    client = moto.client()
    for _ in range(3):  # the seed enters `async with client:` once per key, in a loop
        async with client:
            await client.put_object(bucket, "again", b"1")
    assert client._session is None
    async with client, client:  # nested use keeps one session open until the outer exit
        await client.head_object(bucket, "again")
        assert client._session is not None
    assert client._session is None
