"""Downloads on moto: 50 MiB round trip, verification, cancel, safe paths, conflicts."""

from __future__ import annotations

import asyncio
import hashlib
import os

import pytest

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
