"""Download an object to a file: parallel ranged GETs into a temporary name, checked, renamed.

The first GET asks for the first part and learns the size and ETag; the rest of the object
comes in parts of ``part_size`` bytes with at most ``concurrency`` in flight, each pinned to
that ETag with If-Match so a concurrent overwrite fails the download instead of mixing two
versions. Memory stays at one chunk per part in flight, whatever the size. When the ETag is
a plain MD5 the finished parts are hashed in order while the rest still arrive.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from . import errors
from .models import ObjectInfo

if TYPE_CHECKING:
    from .client import ObjectStream, S3Client

MiB = 1024 * 1024
Progress = Callable[[int], None]


def total_size(info: ObjectInfo) -> int:
    """The whole object's size from a ranged GET (``Content-Range: bytes 0-9/1234``)."""
    if info.content_range and "/" in info.content_range:
        tail = info.content_range.rsplit("/", 1)[1].strip()
        if tail.isdigit():
            return int(tail)
    return info.content_length


async def _write(
    obj: ObjectStream, fd: int, offset: int, chunk_size: int, progress: Progress | None
) -> int:
    written = 0
    async for chunk in obj.iter_chunks(chunk_size):
        await asyncio.to_thread(os.pwrite, fd, chunk, offset + written)
        written += len(chunk)
        if progress:
            progress(len(chunk))
    return written


class _OrderedHasher:
    """MD5 of the file as its parts complete, in order, reading back from the page cache."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.digest = hashlib.md5()
        self.next = 0
        self.done: dict[int, int] = {}  # offset → length of completed parts
        self.wake = asyncio.Event()

    def part_done(self, offset: int, length: int) -> None:
        self.done[offset] = length
        self.wake.set()

    def _hash_range(self, fd: int, offset: int, length: int) -> None:
        end = offset + length
        while offset < end:
            data = os.pread(fd, min(4 * MiB, end - offset), offset)
            if not data:
                raise errors.S3ConnectionError("the downloaded file is shorter than expected")
            self.digest.update(data)
            offset += len(data)

    async def run(self, total: int) -> str:
        fd = os.open(self.path, os.O_RDONLY)
        try:
            while self.next < total:
                await self.wake.wait()
                self.wake.clear()
                while self.next in self.done:
                    length = self.done.pop(self.next)
                    await asyncio.to_thread(self._hash_range, fd, self.next, length)
                    self.next += length
            return self.digest.hexdigest()
        finally:
            os.close(fd)


async def download_file(
    client: S3Client,
    bucket: str,
    key: str,
    target: Path,
    *,
    range: tuple[int, int | None] | str | None = None,
    chunk_size: int = MiB,
    part_size: int = 8 * MiB,
    concurrency: int = 8,
    progress: Progress | None = None,
) -> ObjectInfo:
    """Stream ``s3://bucket/key`` (or one range of it) to ``target``; see the module doc."""
    # a short temporary name: the final one may already be at the 255-byte limit
    tmp = target.with_name(f".s3tui-{os.getpid()}-{secrets.token_hex(6)}.part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        try:
            if range is not None:
                async with client.get_object(bucket, key, range=range) as obj:
                    written = await _write(obj, fd, 0, chunk_size, progress)
                    info = obj.info
                _check_length(bucket, key, written, info.content_length)
            else:
                info = await _parallel(
                    client, bucket, key, fd, tmp, chunk_size, part_size, concurrency, progress
                )
        finally:
            os.close(fd)
        tmp.replace(target)
        return info
    finally:
        tmp.unlink(missing_ok=True)


def _check_length(bucket: str, key: str, written: int, expected: int) -> None:
    if expected and written != expected:
        raise errors.S3ConnectionError(
            f"download of s3://{bucket}/{key} stopped at {written} of {expected} bytes"
        )


async def _parallel(
    client: S3Client,
    bucket: str,
    key: str,
    fd: int,
    tmp: Path,
    chunk_size: int,
    part_size: int,
    concurrency: int,
    progress: Progress | None,
) -> ObjectInfo:
    hasher = _OrderedHasher(tmp)
    try:
        async with client.get_object(bucket, key, range=(0, part_size - 1)) as obj:
            info = obj.info
            total = total_size(info)
            first = await _write(obj, fd, 0, chunk_size, progress)
    except errors.InvalidRange:  # an empty object has no byte 0
        async with client.get_object(bucket, key) as obj:
            info = obj.info
            first = await _write(obj, fd, 0, chunk_size, progress)
        _check_length(bucket, key, first, info.content_length)
        return info
    if info.content_range is None:  # the server ignored Range: this was everything
        total = first
    hashing = asyncio.ensure_future(hasher.run(total)) if info.is_plain_md5_etag else None
    try:
        _check_length(bucket, key, first, min(total, part_size))
        hasher.part_done(0, first)
        slots = asyncio.Semaphore(max(1, concurrency))

        async def part(offset: int) -> None:
            last = min(offset + part_size, total) - 1
            async with (
                slots,
                client.get_object(
                    bucket, key, range=(offset, last), if_match=info.etag or None
                ) as obj,
            ):
                got = await _write(obj, fd, offset, chunk_size, progress)
            _check_length(bucket, key, got, last - offset + 1)
            hasher.part_done(offset, got)

        tasks = [asyncio.ensure_future(part(o)) for o in range(first, total, part_size)]
        try:
            if tasks:
                await asyncio.gather(*tasks)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        if hashing is not None:
            md5 = await hashing
            if info.etag.strip('"') != md5:
                raise errors.ChecksumMismatch(
                    f"s3://{bucket}/{key} arrived corrupted (MD5 differs from its ETag)"
                )
    finally:
        if hashing is not None and not hashing.done():
            hashing.cancel()
            await asyncio.gather(hashing, return_exceptions=True)
    return dataclasses.replace(info, content_length=total, content_range=None)
