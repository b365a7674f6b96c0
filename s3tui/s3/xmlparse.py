"""S3's XML bodies, parsed with the stdlib's expat-backed ElementTree, namespace-aware.

Listings are the hot path (a prefix can hold millions of keys): one pass over the
children comparing tags, no XPath, timestamps left as strings.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import unquote_plus
from xml.sax.saxutils import escape

from .errors import MalformedResponse
from .models import (
    Bucket,
    CompletedPart,
    CopyResult,
    DeleteError,
    DeleteResult,
    ListPage,
    MultipartUpload,
    S3Object,
)

S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/"


def parse_root(body: bytes, status: int = 200, what: str = "response") -> ET.Element:
    """Parse a body or raise MalformedResponse naming what was expected."""
    if not body or not body.strip():
        raise MalformedResponse(status, message=f"empty {what} body from the server")
    try:
        return ET.fromstring(body)
    except ET.ParseError as exc:
        snippet = body[:80].decode("utf-8", "replace")
        raise MalformedResponse(
            status, message=f"unreadable {what} from the server ({exc}); body starts {snippet!r}"
        ) from None


def _ns(root: ET.Element) -> str:
    tag = root.tag
    return tag[: tag.index("}") + 1] if tag.startswith("{") else ""


def local(tag: str) -> str:
    """Tag name without its namespace."""
    return tag.rpartition("}")[2]


def _expect(root: ET.Element, name: str, status: int) -> str:
    # Some servers (moto) name a few roots ...Response instead of ...Result.
    alias = name.removesuffix("Result") + "Response" if name.endswith("Result") else name
    if local(root.tag) not in (name, alias):
        raise MalformedResponse(
            status, message=f"expected <{name}> from the server, got <{local(root.tag)}>"
        )
    return _ns(root)


def _text(el: ET.Element, ns: str, name: str, default: str = "") -> str:
    found = el.find(ns + name)
    if found is None or found.text is None:
        return default
    return found.text


def parse_error(body: bytes) -> dict[str, str]:
    """Code, Message, RequestId, Region … of an <Error> body; {} if it is not one."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return {}
    if local(root.tag) != "Error":
        return {}
    return {local(child.tag): (child.text or "") for child in root}


def is_error_body(body: bytes) -> bool:
    """True if a 200 body is really an <Error> (CopyObject and Complete do this)."""
    head = body.lstrip()[:200]
    return b"<Error>" in head or b"<Error " in head


def parse_list_buckets(body: bytes) -> list[Bucket]:
    """ListBuckets → buckets in the server's order."""
    root = parse_root(body, what="bucket list")
    ns = _expect(root, "ListAllMyBucketsResult", 200)
    out: list[Bucket] = []
    container = root.find(ns + "Buckets")
    if container is None:
        return out
    for b in container:
        region = _text(b, ns, "BucketRegion") or None
        out.append(Bucket(_text(b, ns, "Name"), _text(b, ns, "CreationDate"), region))
    return out


def parse_list_objects(body: bytes) -> ListPage:
    """ListObjectsV2 → one page (keys URL-decoded when the server encoded them)."""
    root = parse_root(body, what="object listing")
    ns = _expect(root, "ListBucketResult", 200)
    t_contents, t_cp = ns + "Contents", ns + "CommonPrefixes"
    t_key, t_size, t_lm, t_etag, t_sc = (
        ns + "Key",
        ns + "Size",
        ns + "LastModified",
        ns + "ETag",
        ns + "StorageClass",
    )
    t_prefix, t_trunc, t_next = ns + "Prefix", ns + "IsTruncated", ns + "NextContinuationToken"
    t_enc, t_count = ns + "EncodingType", ns + "KeyCount"
    objects: list[S3Object] = []
    prefixes: list[str] = []
    truncated = False
    token: str | None = None
    encoded = False
    key_count = 0
    try:
        for child in root:
            tag = child.tag
            if tag == t_contents:
                key, size, modified, etag, storage = "", 0, "", "", "STANDARD"
                for f in child:
                    t = f.tag
                    if t == t_key:
                        key = f.text or ""
                    elif t == t_size:
                        size = int(f.text or 0)
                    elif t == t_lm:
                        modified = f.text or ""
                    elif t == t_etag:
                        etag = f.text or ""
                    elif t == t_sc:
                        storage = f.text or "STANDARD"
                objects.append(S3Object(key, size, modified, etag, storage))
            elif tag == t_cp:
                for f in child:
                    if f.tag == t_prefix:
                        prefixes.append(f.text or "")
            elif tag == t_trunc:
                truncated = (child.text or "").strip().lower() == "true"
            elif tag == t_next:
                token = child.text or None
            elif tag == t_enc:
                encoded = (child.text or "").strip().lower() == "url"
            elif tag == t_count:
                key_count = int(child.text or 0)
    except ValueError as exc:
        raise MalformedResponse(200, message=f"bad number in object listing: {exc}") from None
    if encoded:  # keys were sent URL-encoded (encoding-type=url): XML cannot carry all bytes
        for obj in objects:
            if "%" in obj.key or "+" in obj.key:
                obj.key = unquote_plus(obj.key)
        prefixes = [unquote_plus(p) for p in prefixes]
    return ListPage(objects, prefixes, truncated, token, key_count or len(objects))


def parse_location(body: bytes) -> str:
    """GetBucketLocation → region name (empty means us-east-1, EU means eu-west-1)."""
    root = parse_root(body, what="bucket location")
    value = (root.text or "").strip()
    if value in ("", "null"):
        return "us-east-1"
    return "eu-west-1" if value == "EU" else value


def parse_initiate_multipart(body: bytes) -> str:
    """CreateMultipartUpload → UploadId."""
    root = parse_root(body, what="multipart upload")
    ns = _expect(root, "InitiateMultipartUploadResult", 200)
    upload_id = _text(root, ns, "UploadId")
    if not upload_id:
        raise MalformedResponse(200, message="the server returned no UploadId")
    return upload_id


def parse_complete_multipart(body: bytes) -> str:
    """CompleteMultipartUpload → the final ETag."""
    root = parse_root(body, what="multipart completion")
    ns = _expect(root, "CompleteMultipartUploadResult", 200)
    return _text(root, ns, "ETag")


def parse_copy(body: bytes) -> CopyResult:
    """CopyObject → ETag and LastModified of the new object."""
    root = parse_root(body, what="copy result")
    ns = _expect(root, "CopyObjectResult", 200)
    return CopyResult(_text(root, ns, "ETag"), _text(root, ns, "LastModified"))


def parse_copy_part(body: bytes) -> str:
    """UploadPartCopy → the part's ETag."""
    root = parse_root(body, what="copy part result")
    ns = _expect(root, "CopyPartResult", 200)
    return _text(root, ns, "ETag")


def parse_delete_result(body: bytes) -> DeleteResult:
    """DeleteObjects → keys deleted and per-key errors."""
    root = parse_root(body, what="delete result")
    ns = _expect(root, "DeleteResult", 200)
    result = DeleteResult()
    for child in root:
        name = local(child.tag)
        if name == "Deleted":
            result.deleted.append(_text(child, ns, "Key"))
        elif name == "Error":
            result.errors.append(
                DeleteError(
                    _text(child, ns, "Key"), _text(child, ns, "Code"), _text(child, ns, "Message")
                )
            )
    return result


def parse_list_uploads(body: bytes) -> tuple[list[MultipartUpload], bool, str | None, str | None]:
    """ListMultipartUploads → (uploads, truncated, next key marker, next upload id marker)."""
    root = parse_root(body, what="multipart upload list")
    ns = _expect(root, "ListMultipartUploadsResult", 200)
    uploads = [
        MultipartUpload(_text(u, ns, "Key"), _text(u, ns, "UploadId"), _text(u, ns, "Initiated"))
        for u in root.findall(ns + "Upload")
    ]
    truncated = _text(root, ns, "IsTruncated").lower() == "true"
    return (
        uploads,
        truncated,
        _text(root, ns, "NextKeyMarker") or None,
        _text(root, ns, "NextUploadIdMarker") or None,
    )


def parse_list_parts(body: bytes) -> tuple[list[CompletedPart], bool, int | None]:
    """ListParts → (parts, truncated, next part number marker)."""
    root = parse_root(body, what="part list")
    ns = _expect(root, "ListPartsResult", 200)
    try:
        parts = [
            CompletedPart(
                int(_text(p, ns, "PartNumber", "0")),
                _text(p, ns, "ETag"),
                int(_text(p, ns, "Size", "0")),
            )
            for p in root.findall(ns + "Part")
        ]
        marker = _text(root, ns, "NextPartNumberMarker")
        return (
            parts,
            _text(root, ns, "IsTruncated").lower() == "true",
            int(marker) if marker else None,
        )
    except ValueError as exc:
        raise MalformedResponse(200, message=f"bad number in part list: {exc}") from None


def build_delete_body(keys: list[str], quiet: bool = True) -> bytes:
    """The <Delete> document for DeleteObjects (keys escaped, never interpreted)."""
    objs = "".join(f"<Object><Key>{escape(k)}</Key></Object>" for k in keys)
    q = "<Quiet>true</Quiet>" if quiet else ""
    return f'<Delete xmlns="{S3_NS}">{q}{objs}</Delete>'.encode()


def build_complete_body(parts: list[CompletedPart]) -> bytes:
    """The <CompleteMultipartUpload> document, parts in order."""
    items = "".join(
        f"<Part><PartNumber>{p.part_number}</PartNumber><ETag>{escape(p.etag)}</ETag>"
        + (f"<ChecksumCRC32>{escape(p.checksum_crc32)}</ChecksumCRC32>" if p.checksum_crc32 else "")
        + "</Part>"
        for p in sorted(parts, key=lambda p: p.part_number)
    )
    return f'<CompleteMultipartUpload xmlns="{S3_NS}">{items}</CompleteMultipartUpload>'.encode()


def build_create_bucket_body(region: str) -> bytes:
    """CreateBucketConfiguration for any region but us-east-1 (which takes no body)."""
    if region == "us-east-1":
        return b""
    return (
        f'<CreateBucketConfiguration xmlns="{S3_NS}">'
        f"<LocationConstraint>{escape(region)}</LocationConstraint>"
        "</CreateBucketConfiguration>"
    ).encode()
