"""Multipart uploads: the raw calls, and uploads with parts in parallel and bounded memory.

Files are read part by part into ``concurrency`` reusable buffers, with at most that many
parts in flight; a stream of unknown length holds at most ``concurrency`` parts in memory.
Either way memory is bounded whatever the size. Any failure or cancellation aborts the
upload, so no parts are left behind to be billed.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import math
import os
import zlib
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Mapping
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from . import errors
from .addressing import check_bucket, check_key
from .models import CompletedPart, MultipartUpload
from .signer import UNSIGNED_PAYLOAD
from .xmlparse import (
    build_complete_body,
    parse_complete_multipart,
    parse_copy_part,
    parse_initiate_multipart,
    parse_list_parts,
    parse_list_uploads,
)

if TYPE_CHECKING:
    from .client import S3Client

MiB = 1024 * 1024
MIN_PART = 5 * MiB  # S3's smallest part (but the last)
DEFAULT_PART = 8 * MiB
MAX_PARTS = 10_000
MAX_SINGLE_COPY = 5 * 1024**3  # CopyObject's limit
Progress = Callable[[int], None]


async def create(
    client: S3Client,
    bucket: str,
    key: str,
    *,
    content_type: str | None = None,
    metadata: Mapping[str, str] | None = None,
    checksum_algorithm: str | None = None,
) -> str:
    """CreateMultipartUpload → UploadId (``checksum_algorithm="CRC32"``: parts carry one)."""
    from .client import _put_headers

    check_bucket(bucket)
    check_key(key)
    extra = {"x-amz-checksum-algorithm": checksum_algorithm} if checksum_algorithm else None
    data, _ = await client.request_body(
        "POST",
        bucket,
        key,
        query=[("uploads", "")],
        headers=_put_headers(content_type, metadata, extra),
    )
    return parse_initiate_multipart(data)


async def upload_part(
    client: S3Client, bucket: str, key: str, upload_id: str, part_number: int, data: bytes
) -> CompletedPart:
    """UploadPart with Content-MD5 (S3 checks the bytes; the payload is not SHA-signed)."""
    if not 1 <= part_number <= MAX_PARTS:
        raise ValueError(f"part number must be 1…{MAX_PARTS}")
    digest = await asyncio.to_thread(hashlib.md5, data) if len(data) > MiB else hashlib.md5(data)
    resp = await client.request(
        "PUT",
        bucket,
        key,
        query=[("partNumber", str(part_number)), ("uploadId", upload_id)],
        headers={
            "content-md5": base64.b64encode(digest.digest()).decode(),
            "content-length": str(len(data)),
        },
        body=data,
        payload_hash=UNSIGNED_PAYLOAD,
    )
    await resp.read()
    return CompletedPart(part_number, resp.headers.get("etag", ""), len(data))


SEND_CHUNK = 1024 * 1024


def _read_and_hash(fd: int, buf: bytearray, offset: int, crc32: bool) -> tuple[int, bytes]:
    n = os.preadv(fd, [buf], offset)
    view = memoryview(buf)[:n]
    digest = zlib.crc32(view).to_bytes(4, "big") if crc32 else hashlib.md5(view).digest()
    return n, digest


async def upload_part_from_file(
    client: S3Client,
    bucket: str,
    key: str,
    *,
    upload_id: str,
    part_number: int,
    fd: int,
    offset: int,
    length: int,
    buffer: bytearray,
    crc32: bool = False,
    progress: Progress | None = None,
) -> CompletedPart:
    """UploadPart of ``length`` bytes of an open file at ``offset``, read into ``buffer``.

    The part is read and checksummed (CRC32 when the upload was created for it, else
    Content-MD5; S3 verifies either) in one pass off the event loop, then sent in 1 MiB
    slices so the socket's send buffer never holds a second copy of it. Progress is
    reported as bytes go out and taken back if an attempt fails and is retried.
    """
    n, digest = await asyncio.to_thread(_read_and_hash, fd, buffer, offset, crc32)
    if n != length:
        raise OSError("the file changed size while being uploaded")
    view = memoryview(buffer)[:length]
    sent = 0

    def body() -> AsyncIterator[memoryview]:
        nonlocal sent
        if sent and progress:
            progress(-sent)  # a retry: the bytes of the failed attempt go again
        sent = 0

        async def chunks() -> AsyncIterator[memoryview]:
            nonlocal sent
            for pos in range(0, length, SEND_CHUNK):
                piece = view[pos : pos + SEND_CHUNK]
                yield piece
                sent += len(piece)
                if progress:
                    progress(len(piece))

        return chunks()

    resp = await client.request(
        "PUT",
        bucket,
        key,
        query=[("partNumber", str(part_number)), ("uploadId", upload_id)],
        headers={
            "x-amz-checksum-crc32" if crc32 else "content-md5": base64.b64encode(digest).decode(),
            "content-length": str(length),
        },
        body=body,
        payload_hash=UNSIGNED_PAYLOAD,
    )
    await resp.read()
    checksum = base64.b64encode(digest).decode() if crc32 else None
    return CompletedPart(part_number, resp.headers.get("etag", ""), length, checksum)


async def complete(
    client: S3Client, bucket: str, key: str, upload_id: str, parts: list[CompletedPart]
) -> str:
    """CompleteMultipartUpload → final ETag (a 200 carrying <Error> is raised)."""
    from .client import raise_if_error_body

    data, _ = await client.request_body(
        "POST",
        bucket,
        key,
        query=[("uploadId", upload_id)],
        body=build_complete_body(parts),
        headers={"content-type": "application/xml"},
    )
    raise_if_error_body(data, bucket, key)
    return parse_complete_multipart(data)


async def abort(client: S3Client, bucket: str, key: str, upload_id: str) -> None:
    """AbortMultipartUpload."""
    await client.request_body(
        "DELETE", bucket, key, query=[("uploadId", upload_id)], ok=lambda s: s in (200, 204)
    )


async def list_uploads(client: S3Client, bucket: str, prefix: str = "") -> list[MultipartUpload]:
    """ListMultipartUploads, all pages."""
    check_bucket(bucket)
    out: list[MultipartUpload] = []
    key_marker = upload_marker = None
    while True:
        q = [("uploads", "")]
        if prefix:
            q.append(("prefix", prefix))
        if key_marker:
            q.append(("key-marker", key_marker))
        if upload_marker:
            q.append(("upload-id-marker", upload_marker))
        data, _ = await client.request_body("GET", bucket, query=q)
        uploads, truncated, key_marker, upload_marker = parse_list_uploads(data)
        out.extend(uploads)
        if not truncated or not (key_marker or upload_marker):
            return out


async def list_parts(
    client: S3Client, bucket: str, key: str, upload_id: str
) -> list[CompletedPart]:
    """ListParts, all pages."""
    out: list[CompletedPart] = []
    marker: int | None = None
    while True:
        q = [("uploadId", upload_id)]
        if marker:
            q.append(("part-number-marker", str(marker)))
        data, _ = await client.request_body("GET", bucket, key, query=q)
        parts, truncated, marker = parse_list_parts(data)
        out.extend(parts)
        if not truncated or not marker:
            return out


def choose_part_size(total: int | None, part_size: int = DEFAULT_PART) -> int:
    """A part size ≥ 5 MiB that fits ``total`` bytes in at most 10,000 parts."""
    size = max(part_size, MIN_PART)
    if total:
        size = max(size, math.ceil(total / MAX_PARTS))
    return size


class _PartRunner:
    """Uploads parts with at most ``concurrency`` in memory; aborts the upload on failure."""

    def __init__(
        self,
        client: S3Client,
        bucket: str,
        key: str,
        upload_id: str,
        concurrency: int,
        progress: Progress | None,
    ) -> None:
        self.client, self.bucket, self.key, self.upload_id = client, bucket, key, upload_id
        self.slots = asyncio.Semaphore(max(1, concurrency))
        self.progress = progress
        self.parts: list[CompletedPart] = []
        self.tasks: set[asyncio.Task[None]] = set()
        self.failure: BaseException | None = None
        self.crc32 = False  # parts carry CRC32 checksums instead of Content-MD5

    async def reserve(self) -> None:
        """Wait for a free slot before reading the next part into memory."""
        await self.slots.acquire()
        if self.failure is not None:
            self.slots.release()
            raise self.failure

    def start(self, number: int, data: bytes) -> None:
        """Upload a part held in memory in the background (a slot must be reserved)."""

        async def send() -> CompletedPart:
            part = await upload_part(
                self.client, self.bucket, self.key, self.upload_id, number, data
            )
            if self.progress:
                self.progress(len(data))
            return part

        self.start_sender(send)

    def start_sender(self, send: Callable[[], Awaitable[CompletedPart]]) -> None:
        """Run ``send()`` (which uploads one part) in the background; a slot is reserved."""
        task = asyncio.ensure_future(self._one(send))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _one(self, send: Callable[[], Awaitable[CompletedPart]]) -> None:
        try:
            self.parts.append(await send())
        except BaseException as exc:
            if self.failure is None:
                self.failure = exc
            raise
        finally:
            self.slots.release()

    async def drain(self) -> None:
        """Wait until every part started has finished (or failed)."""
        if self.tasks:
            await asyncio.gather(*self.tasks, return_exceptions=True)

    async def finish(self) -> str:
        """Wait for every part, then complete the upload."""
        if self.tasks:
            await asyncio.gather(*self.tasks, return_exceptions=True)
        if self.failure is not None:
            raise self.failure
        return await complete(self.client, self.bucket, self.key, self.upload_id, self.parts)

    async def abort(self) -> None:
        """Cancel parts in flight and abort the upload, even while being cancelled."""
        for task in list(self.tasks):
            task.cancel()
        if self.tasks:
            await asyncio.gather(*self.tasks, return_exceptions=True)
        cleanup = asyncio.ensure_future(abort(self.client, self.bucket, self.key, self.upload_id))
        try:
            await asyncio.shield(cleanup)
        except asyncio.CancelledError:
            await cleanup  # let the abort finish; the cancellation is re-raised by the caller
        except Exception:
            pass


# what a store says to x-amz-checksum-algorithm when it does not support it
CHECKSUM_REFUSED = {"InvalidArgument", "NotImplemented", "InvalidRequest", "BadRequest"}


async def _create(
    client: S3Client,
    bucket: str,
    key: str,
    content_type: str | None,
    metadata: Mapping[str, str] | None,
    crc32: bool,
) -> str:
    creating = asyncio.ensure_future(
        create(
            client,
            bucket,
            key,
            content_type=content_type,
            metadata=metadata,
            checksum_algorithm="CRC32" if crc32 else None,
        )
    )
    try:
        return await asyncio.shield(creating)
    except asyncio.CancelledError:
        # cancelled while S3 may already have made the upload: wait for its id, abort it
        with suppress(Exception):
            await abort(client, bucket, key, await creating)
        raise


async def _run(
    client: S3Client,
    bucket: str,
    key: str,
    produce,
    *,
    content_type: str | None,
    metadata: Mapping[str, str] | None,
    concurrency: int,
    progress: Progress | None,
    crc32: bool = False,
) -> str:
    try:
        upload_id = await _create(client, bucket, key, content_type, metadata, crc32)
    except errors.S3ResponseError as exc:
        if not crc32 or exc.code not in CHECKSUM_REFUSED:
            raise
        crc32 = False  # a store that does not know CRC32 checksums: Content-MD5 then
        upload_id = await _create(client, bucket, key, content_type, metadata, crc32)
    runner = _PartRunner(client, bucket, key, upload_id, concurrency, progress)
    runner.crc32 = crc32
    try:
        await produce(runner)
        return await runner.finish()
    except BaseException:
        await runner.abort()
        raise


async def upload_file(
    client: S3Client,
    bucket: str,
    key: str,
    path: Path,
    *,
    content_type: str | None = None,
    metadata: Mapping[str, str] | None = None,
    part_size: int = DEFAULT_PART,
    concurrency: int = 8,
    threshold: int = DEFAULT_PART,
    progress: Progress | None = None,
    checksum: str = "crc32",
) -> str:
    """Upload a file: one PUT up to ``threshold`` bytes, multipart above.

    Parts carry a CRC32 checksum (``checksum="crc32"``, 8× cheaper than MD5, what boto3 sends
    too); a store that refuses CRC32 uploads gets Content-MD5 instead (``"md5"`` asks for it).
    """
    if checksum not in ("crc32", "md5"):
        raise ValueError("checksum must be 'crc32' or 'md5'")
    total = path.stat().st_size
    if total <= threshold:
        etag = await client.put_object(
            bucket,
            key,
            await asyncio.to_thread(path.read_bytes),
            content_type=content_type,
            metadata=metadata,
        )
        if progress:
            progress(total)
        return etag
    size = choose_part_size(total, part_size)

    # One reusable buffer per part in flight: a fresh part-sized object per part, made in
    # worker threads, fragments the heap and held peak RSS near 3× the parts in flight.
    free = [bytearray(size) for _ in range(min(max(1, concurrency), math.ceil(total / size)))]

    async def produce(runner: _PartRunner) -> None:
        for number, offset in enumerate(range(0, total, size), start=1):
            await runner.reserve()
            buffer = free.pop()

            async def send(number=number, offset=offset, buffer=buffer) -> CompletedPart:
                try:
                    return await upload_part_from_file(
                        client,
                        bucket,
                        key,
                        upload_id=runner.upload_id,
                        part_number=number,
                        fd=fd,
                        offset=offset,
                        length=min(size, total - offset),
                        buffer=buffer,
                        crc32=runner.crc32,
                        progress=progress,
                    )
                finally:
                    free.append(buffer)

            runner.start_sender(send)

    # closed only after _run returns: by then every part task has finished or been
    # cancelled and awaited, so none can read a reused descriptor number
    fd = os.open(path, os.O_RDONLY)
    try:
        return await _run(
            client,
            bucket,
            key,
            produce,
            content_type=content_type,
            metadata=metadata,
            concurrency=concurrency,
            progress=progress,
            crc32=checksum == "crc32",
        )
    finally:
        os.close(fd)


async def upload_stream(
    client: S3Client,
    bucket: str,
    key: str,
    stream: AsyncIterable[bytes],
    *,
    content_type: str | None = None,
    metadata: Mapping[str, str] | None = None,
    part_size: int = DEFAULT_PART,
    concurrency: int = 4,
    progress: Progress | None = None,
) -> str:
    """Upload a stream of unknown length; a stream shorter than one part is a single PUT."""
    size = choose_part_size(None, part_size)
    it = aiter(stream)
    first = bytearray()
    async for chunk in it:
        first += chunk
        if len(first) >= size:
            break
    else:  # the whole stream fits in one part
        etag = await client.put_object(
            bucket, key, bytes(first), content_type=content_type, metadata=metadata
        )
        if progress:
            progress(len(first))
        return etag

    async def produce(runner: _PartRunner) -> None:
        number = 1
        buf = first

        async def send_full_parts() -> None:
            nonlocal number
            while len(buf) >= size:
                await runner.reserve()
                runner.start(number, bytes(buf[:size]))
                del buf[:size]
                number += 1

        await send_full_parts()
        async for chunk in it:
            buf += chunk
            await send_full_parts()
        if buf:
            await runner.reserve()
            runner.start(number, bytes(buf))

    return await _run(
        client,
        bucket,
        key,
        produce,
        content_type=content_type,
        metadata=metadata,
        concurrency=concurrency,
        progress=progress,
    )


COPY_PART = 512 * MiB


async def copy_object_multipart(
    client: S3Client,
    src_bucket: str,
    src_key: str,
    bucket: str,
    key: str,
    *,
    part_size: int = COPY_PART,
    concurrency: int = 4,
    progress: Progress | None = None,
) -> str:
    """Server-side copy of any size with UploadPartCopy (CopyObject stops at 5 GiB).

    The source's type and metadata are carried over, as CopyObject does; every part is
    pinned to the source's ETag, so a source replaced meanwhile fails the copy (aborted).
    """
    from .client import raise_if_error_body

    info = await client.head_object(src_bucket, src_key)
    size = info.content_length
    step = choose_part_size(size, part_size)
    source = quote(f"{src_bucket}/{src_key}", safe="/")
    upload_id = await _create(client, bucket, key, info.content_type, info.metadata, False)
    runner = _PartRunner(client, bucket, key, upload_id, concurrency, progress)

    def sender(number: int, first: int, last: int):
        async def send() -> CompletedPart:
            data, _ = await client.request_body(
                "PUT",
                bucket,
                key,
                query=[("partNumber", str(number)), ("uploadId", upload_id)],
                headers={
                    "x-amz-copy-source": source,
                    "x-amz-copy-source-range": f"bytes={first}-{last}",
                    "x-amz-copy-source-if-match": info.etag,
                },
            )
            raise_if_error_body(data, bucket, key)
            if progress:
                progress(last - first + 1)
            return CompletedPart(number, parse_copy_part(data), last - first + 1)

        return send

    try:
        for number, first in enumerate(range(0, max(size, 1), step), start=1):
            await runner.reserve()
            runner.start_sender(sender(number, first, min(first + step, size) - 1))
        return await runner.finish()
    except BaseException:
        await runner.abort()
        raise
