"""Plain data the client returns. Timestamps stay ISO strings until someone shows them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any


def parse_timestamp(value: str | None) -> datetime | None:
    """Parse S3's ISO 8601 (listings) or RFC 1123 (headers) time into an aware datetime."""
    if not value:
        return None
    try:
        if value[0].isdigit():
            return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
        return parsedate_to_datetime(value).astimezone(UTC)
    except (ValueError, TypeError, IndexError):
        return None


@dataclass(frozen=True, slots=True)
class Bucket:
    """A bucket from ListBuckets."""

    name: str
    creation_date: str = ""
    region: str | None = None

    @property
    def created(self) -> datetime | None:
        """Creation time as an aware datetime."""
        return parse_timestamp(self.creation_date)


@dataclass(slots=True)
class S3Object:
    """One key of a listing page (not frozen: a frozen init costs 4x on the hot path)."""

    key: str
    size: int
    last_modified: str
    etag: str
    storage_class: str

    @property
    def modified(self) -> datetime | None:
        """Last-modified as an aware datetime (parsed on demand; listings stay cheap)."""
        return parse_timestamp(self.last_modified)


@dataclass(frozen=True, slots=True)
class ListPage:
    """One ListObjectsV2 page: objects, common prefixes and where the next page starts."""

    objects: list[S3Object]
    prefixes: list[str]
    is_truncated: bool = False
    next_token: str | None = None
    key_count: int = 0


class _MappingMixin(Mapping[str, Any]):
    """Read a dataclass's fields by name too, as the seed's ``metadata["content_length"]``."""

    __slots__ = ()

    def __getitem__(self, name: str) -> Any:
        if name in self._field_names():
            return getattr(self, name)
        raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._field_names())

    def __len__(self) -> int:
        return len(self._field_names())

    @classmethod
    def _field_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))  # type: ignore[arg-type]


@dataclass(frozen=True, eq=True)
class ObjectInfo(_MappingMixin):
    """What HEAD (or a GET's headers) tells about an object; also readable as a mapping."""

    content_length: int
    content_type: str
    last_modified: str
    etag: str
    metadata: dict[str, str] = field(default_factory=dict)
    storage_class: str = "STANDARD"
    version_id: str | None = None
    cache_control: str | None = None
    content_disposition: str | None = None
    content_encoding: str | None = None
    content_language: str | None = None
    expires: str | None = None
    content_range: str | None = None

    @property
    def modified(self) -> datetime | None:
        """Last-modified as an aware datetime."""
        return parse_timestamp(self.last_modified)

    @property
    def is_plain_md5_etag(self) -> bool:
        """True when the ETag is the MD5 of the bytes (not multipart, not SSE-KMS)."""
        tag = self.etag.strip('"')
        return len(tag) == 32 and "-" not in tag


@dataclass(frozen=True, slots=True)
class DeleteError:
    """One key a DeleteObjects call could not remove."""

    key: str
    code: str
    message: str


@dataclass(slots=True)
class DeleteResult:
    """What a (possibly batched) DeleteObjects did."""

    deleted: list[str] = field(default_factory=list)
    errors: list[DeleteError] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class CompletedPart:
    """A part uploaded to a multipart upload."""

    part_number: int
    etag: str
    size: int = 0
    checksum_crc32: str | None = None  # base64, when the upload uses CRC32 checksums


@dataclass(frozen=True, slots=True)
class MultipartUpload:
    """An in-progress multipart upload (ListMultipartUploads)."""

    key: str
    upload_id: str
    initiated: str = ""


@dataclass(frozen=True, slots=True)
class CopyResult:
    """What CopyObject answered."""

    etag: str
    last_modified: str


@dataclass(frozen=True, slots=True)
class PresignedPost:
    """A browser upload form: POST ``url`` with ``fields`` (in order) and then the file."""

    url: str
    fields: dict[str, str]
    expires_at: datetime
