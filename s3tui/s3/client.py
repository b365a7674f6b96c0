"""S3Client: presigning (no I/O) and the S3 calls a browser needs."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
from collections.abc import AsyncIterable, AsyncIterator, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from . import download, errors, multipart
from .addressing import check_bucket, check_key
from .core import ClientCore
from .models import (
    Bucket,
    CompletedPart,
    CopyResult,
    DeleteError,
    DeleteResult,
    ListPage,
    ObjectInfo,
    PresignedPost,
)
from .params import PRESIGN_METHODS, check_expires, split_params
from .signer import UNSIGNED_PAYLOAD, post_policy_fields, presign_url
from .xmlparse import (
    build_create_bucket_body,
    build_delete_body,
    is_error_body,
    parse_copy,
    parse_delete_result,
    parse_error,
    parse_list_buckets,
    parse_list_objects,
    parse_location,
)

if TYPE_CHECKING:
    from .transport import Response

DELETE_BATCH = 1000


def _xml_safe(key: str) -> bool:
    """True if XML 1.0 can carry the key (DeleteObjects); control chars cannot."""
    return not any((ord(c) < 32 and c not in "\t\n\r") or c in "\ufffe\uffff" for c in key)


def _object_info(headers: Mapping[str, str]) -> ObjectInfo:
    meta = {k[len("x-amz-meta-") :]: v for k, v in headers.items() if k.startswith("x-amz-meta-")}
    length = headers.get("content-length", "0")
    return ObjectInfo(
        content_length=int(length) if length.isdigit() else 0,
        content_type=headers.get("content-type", "binary/octet-stream"),
        last_modified=headers.get("last-modified", ""),
        etag=headers.get("etag", ""),
        metadata=meta,
        storage_class=headers.get("x-amz-storage-class", "STANDARD"),
        version_id=headers.get("x-amz-version-id"),
        cache_control=headers.get("cache-control"),
        content_disposition=headers.get("content-disposition"),
        content_encoding=headers.get("content-encoding"),
        content_language=headers.get("content-language"),
        expires=headers.get("expires"),
        content_range=headers.get("content-range"),
    )


def _put_headers(
    content_type: str | None, metadata: Mapping[str, str] | None, extra: Mapping[str, str] | None
) -> dict[str, str]:
    headers: dict[str, str] = {}
    if content_type:
        headers["content-type"] = content_type
    for k, v in (metadata or {}).items():
        headers[f"x-amz-meta-{k}".lower()] = str(v)
    for k, v in (extra or {}).items():
        headers[k.lower()] = str(v)
    return headers


class ObjectStream:
    """A GET in progress: ``info`` from its headers, the body as chunks or bytes."""

    def __init__(self, response: Response) -> None:
        self._response = response
        self.info = _object_info(response.headers)

    def iter_chunks(self, size: int = 256 * 1024) -> AsyncIterator[bytes]:
        """Yield the body in chunks; the connection is released at the end."""
        return self._response.iter_chunks(size)

    async def read(self) -> bytes:
        """The whole body (mind the size)."""
        return await self._response.read()

    def release(self) -> None:
        """Drop the connection without reading the rest."""
        self._response.release()


class S3Client(ClientCore):
    """Asyncio S3 client on aiohttp, API-compatible with the seed document's ``S3Client``.

    ``async with client:`` owns one pooled session; presigning needs no session at all.
    """

    # -- presigning (pure, synchronous) -------------------------------------------------
    def generate_presigned_url(
        self,
        method: str,
        bucket: str,
        key: str,
        expires_in: int = 3600,
        params: Mapping[str, object] | None = None,
        *,
        now: datetime | None = None,
    ) -> str:
        """A presigned URL for GET/PUT/HEAD/DELETE of bucket/key, valid ``expires_in`` s.

        Query params (``response-*``, ``versionId`` …) go in the URL; header params
        (``Content-Type``, ``x-amz-meta-*`` …) are signed and must be sent by the user.
        """
        verb = str(method).upper()
        if verb not in PRESIGN_METHODS:
            raise ValueError(f"method must be one of {', '.join(PRESIGN_METHODS)}; got {method!r}")
        check_bucket(bucket)
        check_key(key)
        seconds = check_expires(expires_in)
        split = split_params(params)
        loc = self.locate(bucket, key)
        return presign_url(
            method=verb,
            scheme=loc.scheme,
            host=loc.host,
            path=loc.path,
            query=split.query,
            headers=split.headers,
            credentials=self._credentials,
            region=self.region_for(bucket),
            now=now or self._clock(),
            expires=seconds,
        )

    def generate_presigned_post(
        self,
        bucket: str,
        key: str,
        expires_in: int = 3600,
        *,
        content_type: str | None = None,
        content_length_range: tuple[int, int] | None = None,
        fields: Mapping[str, str] | None = None,
        conditions: list | None = None,
        now: datetime | None = None,
    ) -> PresignedPost:
        """A presigned POST form: the way to cap an upload's size, which a PUT link cannot.

        ``content_type`` is fixed exactly; ``content_length_range=(min, max)`` bytes is
        enforced by S3. A key ending in ``${filename}`` lets the browser pick the name.
        """
        check_bucket(bucket)
        check_key(key)
        seconds = check_expires(expires_in)
        when = now or self._clock()
        form = dict(fields or {})
        if content_type:
            form["Content-Type"] = content_type
        extra = list(conditions or [])
        if content_length_range is not None:
            low, high = content_length_range
            if not 0 <= low <= high:
                raise ValueError(f"content_length_range must be 0 <= min <= max; got {low}, {high}")
            extra.append(["content-length-range", low, high])
        signed = post_policy_fields(
            bucket=bucket,
            key=key,
            credentials=self._credentials,
            region=self.region_for(bucket),
            now=when,
            expires=seconds,
            fields=form,
            conditions=extra,
        )
        loc = self.locate(bucket, None)
        url = loc.url() if loc.path.endswith("/") else loc.url() + "/"
        return PresignedPost(url, signed, datetime.fromtimestamp(when.timestamp() + seconds, UTC))

    # -- buckets ------------------------------------------------------------------------
    async def list_buckets(self) -> list[Bucket]:
        """Every bucket the credentials can see."""
        body, _ = await self.request_body("GET")
        return parse_list_buckets(body)

    async def create_bucket(self, bucket: str, region: str | None = None) -> None:
        """Create a bucket (in ``region``, default the client's)."""
        check_bucket(bucket)
        region = region or self.region
        self.remember_region(bucket, region)
        await self.request_body("PUT", bucket, body=build_create_bucket_body(region))

    async def delete_bucket(self, bucket: str) -> None:
        """Delete an empty bucket."""
        await self.request_body("DELETE", bucket, ok=lambda s: s in (200, 204))

    async def head_bucket(self, bucket: str) -> dict[str, str]:
        """HEAD a bucket: raises NoSuchBucket / AccessDenied, returns its headers."""
        check_bucket(bucket)
        resp = await self.request("HEAD", bucket)
        return resp.headers

    async def get_bucket_region(self, bucket: str) -> str:
        """The bucket's region: HEAD's x-amz-bucket-region, else GetBucketLocation."""
        check_bucket(bucket)
        try:
            headers = await self.head_bucket(bucket)
            region = headers.get("x-amz-bucket-region")
        except errors.S3ResponseError as exc:
            region = exc.region
            if not region and exc.status == 404:
                raise
        if not region:
            body, _ = await self.request_body("GET", bucket, query=[("location", "")])
            region = parse_location(body)
        self.remember_region(bucket, region)
        return region

    # -- listing ------------------------------------------------------------------------
    async def list_objects(
        self,
        bucket: str,
        prefix: str = "",
        delimiter: str = "/",
        start_after: str | None = None,
        page_size: int = 1000,
        *,
        continuation_token: str | None = None,
    ) -> AsyncIterator[ListPage]:
        """Yield ListObjectsV2 pages, following continuation tokens.

        The next page is fetched while the caller handles the current one, so at most two
        pages are held at once whatever the prefix size.
        """
        check_bucket(bucket)
        if not 1 <= page_size <= 1000:
            raise ValueError("page_size must be between 1 and 1000")

        def fetch(token: str | None) -> asyncio.Task[bytes]:
            q = [("list-type", "2"), ("encoding-type", "url"), ("max-keys", str(page_size))]
            if prefix:
                q.append(("prefix", prefix))
            if delimiter:
                q.append(("delimiter", delimiter))
            if start_after and not token:
                q.append(("start-after", start_after))
            if token:
                q.append(("continuation-token", token))
            return asyncio.ensure_future(self._get_body(bucket, q))

        task: asyncio.Task[bytes] | None = fetch(continuation_token)
        try:
            while task is not None:
                page = parse_list_objects(await task)
                task = fetch(page.next_token) if page.is_truncated and page.next_token else None
                yield page
        finally:
            if task is not None and not task.done():
                task.cancel()

    async def _get_body(self, bucket: str, query: list[tuple[str, str]]) -> bytes:
        body, _ = await self.request_body("GET", bucket, query=query)
        return body

    # -- objects ------------------------------------------------------------------------
    async def head_object(
        self, bucket: str, key: str, *, version_id: str | None = None
    ) -> ObjectInfo:
        """Metadata of an object (NoSuchKey if absent); also readable as a mapping."""
        check_bucket(bucket)
        check_key(key)
        query = [("versionId", version_id)] if version_id else []
        resp = await self.request("HEAD", bucket, key, query=query)
        return _object_info(resp.headers)

    @asynccontextmanager
    async def get_object(
        self,
        bucket: str,
        key: str,
        *,
        range: tuple[int, int | None] | str | None = None,
        if_match: str | None = None,
    ) -> AsyncIterator[ObjectStream]:
        """``async with client.get_object(b, k, range=(0, 99)) as obj:`` stream the body.

        ``range`` is inclusive (first, last) bytes, ``(first, None)`` for the rest, or a
        raw ``bytes=…`` header value; ``if_match`` an ETag the object must still have.
        """
        check_bucket(bucket)
        check_key(key)
        headers = {"if-match": if_match} if if_match else {}
        if range is not None:
            if isinstance(range, str):
                headers["range"] = range
            else:
                first, last = range
                headers["range"] = f"bytes={first}-{'' if last is None else last}"
        resp = await self.request("GET", bucket, key, headers=headers)
        stream = ObjectStream(resp)
        try:
            yield stream
        finally:
            stream.release()

    async def get_object_bytes(self, bucket: str, key: str, **kwargs) -> bytes:
        """The whole object (or range) in memory: for small objects."""
        async with self.get_object(bucket, key, **kwargs) as obj:
            return await obj.read()

    async def download_file(
        self, bucket: str, key: str, path: str | os.PathLike[str], **kwargs
    ) -> ObjectInfo:
        """Stream an object to ``path`` with parallel ranged GETs: a temporary name, renamed
        only once complete and checked (size; MD5 when the ETag is a plain MD5). Nothing is
        left on failure or cancellation; memory stays bounded whatever the size."""
        return await download.download_file(self, bucket, key, Path(path), **kwargs)

    async def put_object(
        self,
        bucket: str,
        key: str,
        body: bytes | str | os.PathLike[str] | AsyncIterable[bytes],
        *,
        content_type: str | None = None,
        metadata: Mapping[str, str] | None = None,
        content_length: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> str:
        """Upload in one request: bytes, a file path, or an async stream (needs its length).

        Returns the ETag. For big files see :meth:`upload_file` (multipart).
        """
        check_bucket(bucket)
        check_key(key)
        hdrs = _put_headers(content_type, metadata, headers)
        if isinstance(body, str):
            body = body.encode()
        if isinstance(body, bytes):
            hdrs["content-md5"] = base64.b64encode(hashlib.md5(body).digest()).decode()
            resp = await self.request("PUT", bucket, key, headers=hdrs, body=body)
        elif isinstance(body, (os.PathLike,)):
            path = Path(body)
            hdrs["content-length"] = str(path.stat().st_size)
            resp = await self.request(
                "PUT",
                bucket,
                key,
                headers=hdrs,
                body=lambda: path.open("rb"),
                payload_hash=UNSIGNED_PAYLOAD,
            )
        else:
            if content_length is None:
                raise ValueError(
                    "put_object with a stream needs content_length (or use upload_stream)"
                )
            hdrs["content-length"] = str(content_length)
            # a stream can be sent only once: never retried
            resp = await self.request(
                "PUT",
                bucket,
                key,
                headers=hdrs,
                body=lambda: body,
                payload_hash=UNSIGNED_PAYLOAD,
                idempotent=False,
            )
        await resp.read()
        return resp.headers.get("etag", "")

    async def delete_object(self, bucket: str, key: str) -> None:
        """Delete one object (no error if it is already gone, as S3 does)."""
        check_bucket(bucket)
        check_key(key)
        await self.request_body("DELETE", bucket, key, ok=lambda s: s in (200, 204))

    async def delete_objects(self, bucket: str, keys: list[str]) -> DeleteResult:
        """Delete many keys, 1,000 per request; per-key failures are returned, not raised."""
        check_bucket(bucket)
        result = DeleteResult()
        plain = [k for k in keys if _xml_safe(k)]
        for k in (k for k in keys if not _xml_safe(k)):  # XML cannot carry these keys
            try:
                await self.delete_object(bucket, k)
                result.deleted.append(k)
            except errors.S3ResponseError as exc:
                result.errors.append(DeleteError(k, exc.code, exc.message))
        for i in range(0, len(plain), DELETE_BATCH):
            chunk = plain[i : i + DELETE_BATCH]
            body = build_delete_body(chunk, quiet=False)
            md5 = base64.b64encode(hashlib.md5(body).digest()).decode()
            data, _ = await self.request_body(
                "POST",
                bucket,
                query=[("delete", "")],
                body=body,
                headers={"content-md5": md5, "content-type": "application/xml"},
            )
            part = parse_delete_result(data)
            result.deleted.extend(part.deleted)
            result.errors.extend(part.errors)
        return result

    async def copy_object(
        self,
        src_bucket: str,
        src_key: str,
        bucket: str,
        key: str,
        *,
        metadata: Mapping[str, str] | None = None,
        content_type: str | None = None,
    ) -> CopyResult:
        """Server-side copy (≤ 5 GiB); new metadata replaces the old when given."""
        for b in (src_bucket, bucket):
            check_bucket(b)
        for k in (src_key, key):
            check_key(k)
        hdrs = _put_headers(content_type, metadata, None)
        hdrs["x-amz-copy-source"] = quote(f"{src_bucket}/{src_key}", safe="/")
        if metadata is not None or content_type:
            hdrs["x-amz-metadata-directive"] = "REPLACE"
        data, _ = await self.request_body("PUT", bucket, key, headers=hdrs)
        raise_if_error_body(data, bucket, key)
        return parse_copy(data)

    async def copy(
        self, src_bucket: str, src_key: str, bucket: str, key: str, *, size: int | None = None
    ) -> None:
        """Server-side copy of any size: CopyObject up to 5 GiB, UploadPartCopy above."""
        if size is None:
            size = (await self.head_object(src_bucket, src_key)).content_length
        if size <= multipart.MAX_SINGLE_COPY:
            await self.copy_object(src_bucket, src_key, bucket, key)
        else:
            await multipart.copy_object_multipart(self, src_bucket, src_key, bucket, key)

    # -- multipart (see multipart.py) ---------------------------------------------------
    async def create_multipart_upload(self, bucket: str, key: str, **kwargs) -> str:
        """Start a multipart upload; returns its UploadId."""
        return await multipart.create(self, bucket, key, **kwargs)

    async def upload_part(
        self, bucket: str, key: str, upload_id: str, part_number: int, data: bytes
    ) -> CompletedPart:
        """Upload one part (1…10000) of a multipart upload."""
        return await multipart.upload_part(self, bucket, key, upload_id, part_number, data)

    async def complete_multipart_upload(
        self, bucket: str, key: str, upload_id: str, parts: list[CompletedPart]
    ) -> str:
        """Assemble the parts; returns the final ETag."""
        return await multipart.complete(self, bucket, key, upload_id, parts)

    async def abort_multipart_upload(self, bucket: str, key: str, upload_id: str) -> None:
        """Abort an upload and free its parts."""
        await multipart.abort(self, bucket, key, upload_id)

    async def list_multipart_uploads(self, bucket: str, prefix: str = ""):
        """Every multipart upload still open under ``prefix``."""
        return await multipart.list_uploads(self, bucket, prefix)

    async def list_parts(self, bucket: str, key: str, upload_id: str) -> list[CompletedPart]:
        """The parts uploaded so far."""
        return await multipart.list_parts(self, bucket, key, upload_id)

    async def upload_file(
        self, bucket: str, key: str, path: str | os.PathLike[str], **kwargs
    ) -> str:
        """Upload a file: one PUT when small, else multipart with bounded memory."""
        return await multipart.upload_file(self, bucket, key, Path(path), **kwargs)

    async def upload_stream(
        self, bucket: str, key: str, stream: AsyncIterable[bytes], **kwargs
    ) -> str:
        """Upload a stream of unknown length with multipart; memory stays bounded."""
        return await multipart.upload_stream(self, bucket, key, stream, **kwargs)


def raise_if_error_body(data: bytes, bucket: str, key: str | None) -> None:
    """CopyObject and CompleteMultipartUpload can answer 200 with an <Error>: raise it."""
    if is_error_body(data):
        info = parse_error(data)
        raise errors.make_error(
            200,
            info.get("Code", "InternalError"),
            info.get("Message", ""),
            info.get("RequestId"),
            bucket=bucket,
            key=key,
        )
