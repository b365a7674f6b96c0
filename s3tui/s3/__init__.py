"""s3tui's own asyncio S3 client: SigV4, addressing, typed errors, retries, multipart.

Usable without the TUI: importing this package never imports Textual (a test checks).
aiohttp itself is imported only when the first request is made, so presigning stays light.
"""

from .addressing import Endpoint, InvalidBucketName, InvalidKey, check_bucket, check_key
from .client import ObjectStream, S3Client
from .core import RetryPolicy
from .errors import (
    AccessDenied,
    AuthorizationHeaderMalformed,
    BucketAlreadyExists,
    BucketAlreadyOwnedByYou,
    BucketNotEmpty,
    ChecksumMismatch,
    ExpiredToken,
    InvalidAccessKeyId,
    InvalidRange,
    MalformedResponse,
    NoSuchBucket,
    NoSuchKey,
    NoSuchUpload,
    PermanentRedirect,
    S3ConnectionError,
    S3Error,
    S3ResponseError,
    S3TimeoutError,
    SignatureDoesNotMatch,
    SlowDown,
)
from .models import (
    Bucket,
    CompletedPart,
    CopyResult,
    DeleteError,
    DeleteResult,
    ListPage,
    MultipartUpload,
    ObjectInfo,
    PresignedPost,
    S3Object,
    parse_timestamp,
)
from .signer import Credentials

__all__ = [
    "AccessDenied",
    "AuthorizationHeaderMalformed",
    "Bucket",
    "BucketAlreadyExists",
    "BucketAlreadyOwnedByYou",
    "BucketNotEmpty",
    "ChecksumMismatch",
    "CompletedPart",
    "CopyResult",
    "Credentials",
    "DeleteError",
    "DeleteResult",
    "Endpoint",
    "ExpiredToken",
    "InvalidAccessKeyId",
    "InvalidBucketName",
    "InvalidKey",
    "InvalidRange",
    "ListPage",
    "MalformedResponse",
    "MultipartUpload",
    "NoSuchBucket",
    "NoSuchKey",
    "NoSuchUpload",
    "ObjectInfo",
    "ObjectStream",
    "PermanentRedirect",
    "PresignedPost",
    "RetryPolicy",
    "S3Client",
    "S3ConnectionError",
    "S3Error",
    "S3Object",
    "S3ResponseError",
    "S3TimeoutError",
    "SignatureDoesNotMatch",
    "SlowDown",
    "check_bucket",
    "check_key",
    "parse_timestamp",
]
