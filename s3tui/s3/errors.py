"""The client's one error tree: nothing from aiohttp escapes the package.

S3Error
├── S3ConnectionError        refused, DNS, reset, TLS …
│   └── S3TimeoutError
└── S3ResponseError          the server answered with an error (status, code, message, request_id)
    ├── AccessDenied, SignatureDoesNotMatch, InvalidAccessKeyId, ExpiredToken, …
    ├── NoSuchBucket, NoSuchKey, NoSuchUpload, …
    └── MalformedResponse    a body we could not parse
"""

from __future__ import annotations


class S3Error(Exception):
    """Base of every error the S3 client raises."""


class S3ConnectionError(S3Error):
    """The endpoint could not be reached, or the connection broke."""

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.url = url


class S3TimeoutError(S3ConnectionError):
    """The endpoint did not answer in time."""


class ChecksumMismatch(S3Error):
    """Downloaded bytes do not match what S3 says they are (the file was not kept)."""


class S3ResponseError(S3Error):
    """S3 answered with an error status; ``code`` is S3's error code when it sent one."""

    default_code = ""

    def __init__(
        self,
        status: int,
        code: str = "",
        message: str = "",
        request_id: str | None = None,
        *,
        bucket: str | None = None,
        key: str | None = None,
        region: str | None = None,
    ) -> None:
        self.status = status
        self.code = code or self.default_code or f"HTTP{status}"
        self.message = message
        self.request_id = request_id
        self.bucket = bucket
        self.key = key
        self.region = region
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"{self.code} (HTTP {self.status})"
        if self.message:
            text += f": {self.message}"
        where = "/".join(p for p in (self.bucket, self.key) if p)
        if where:
            text += f" [s3://{where}]"
        if self.request_id:
            text += f" [request id {self.request_id}]"
        return text

    def __reduce__(self):  # keep pickling (and multiprocessing) working
        return (
            _rebuild,
            (
                type(self),
                self.status,
                self.code,
                self.message,
                self.request_id,
                self.bucket,
                self.key,
                self.region,
            ),
        )


def _rebuild(cls, status, code, message, request_id, bucket, key, region):
    return cls(status, code, message, request_id, bucket=bucket, key=key, region=region)


class MalformedResponse(S3ResponseError):
    """The server's body was not the XML we expected (truncated, garbled, not S3)."""

    default_code = "MalformedResponse"


class AccessDenied(S3ResponseError):
    default_code = "AccessDenied"


class SignatureDoesNotMatch(S3ResponseError):
    default_code = "SignatureDoesNotMatch"


class InvalidAccessKeyId(S3ResponseError):
    default_code = "InvalidAccessKeyId"


class ExpiredToken(S3ResponseError):
    default_code = "ExpiredToken"


class InvalidToken(S3ResponseError):
    default_code = "InvalidToken"


class RequestTimeTooSkewed(S3ResponseError):
    default_code = "RequestTimeTooSkewed"


class NoSuchBucket(S3ResponseError):
    default_code = "NoSuchBucket"


class NoSuchKey(S3ResponseError):
    default_code = "NoSuchKey"


class NoSuchUpload(S3ResponseError):
    default_code = "NoSuchUpload"


class BucketAlreadyExists(S3ResponseError):
    default_code = "BucketAlreadyExists"


class BucketAlreadyOwnedByYou(S3ResponseError):
    default_code = "BucketAlreadyOwnedByYou"


class BucketNotEmpty(S3ResponseError):
    default_code = "BucketNotEmpty"


class InvalidBucketNameError(S3ResponseError):
    default_code = "InvalidBucketName"


class InvalidRange(S3ResponseError):
    default_code = "InvalidRange"


class PreconditionFailed(S3ResponseError):
    default_code = "PreconditionFailed"


class EntityTooLarge(S3ResponseError):
    default_code = "EntityTooLarge"


class EntityTooSmall(S3ResponseError):
    default_code = "EntityTooSmall"


class InvalidPart(S3ResponseError):
    default_code = "InvalidPart"


class PermanentRedirect(S3ResponseError):
    default_code = "PermanentRedirect"


class AuthorizationHeaderMalformed(S3ResponseError):
    default_code = "AuthorizationHeaderMalformed"


class SlowDown(S3ResponseError):
    default_code = "SlowDown"


class ServiceUnavailable(S3ResponseError):
    default_code = "ServiceUnavailable"


class InternalError(S3ResponseError):
    default_code = "InternalError"


class RequestTimeout(S3ResponseError):
    default_code = "RequestTimeout"


_BY_CODE: dict[str, type[S3ResponseError]] = {
    cls.default_code: cls
    for cls in (
        AccessDenied,
        SignatureDoesNotMatch,
        InvalidAccessKeyId,
        ExpiredToken,
        InvalidToken,
        RequestTimeTooSkewed,
        NoSuchBucket,
        NoSuchKey,
        NoSuchUpload,
        BucketAlreadyExists,
        BucketAlreadyOwnedByYou,
        BucketNotEmpty,
        InvalidBucketNameError,
        InvalidRange,
        PreconditionFailed,
        EntityTooLarge,
        EntityTooSmall,
        InvalidPart,
        PermanentRedirect,
        AuthorizationHeaderMalformed,
        SlowDown,
        ServiceUnavailable,
        InternalError,
        RequestTimeout,
        MalformedResponse,
    )
}
_BY_CODE["TokenRefreshRequired"] = ExpiredToken
_BY_CODE["NotFound"] = S3ResponseError  # HEAD without body; refined by status below
_BY_CODE["Forbidden"] = AccessDenied


def error_class(code: str, status: int, *, has_key: bool = False) -> type[S3ResponseError]:
    """Pick the most specific class for an S3 error code (or a bodiless status)."""
    cls = _BY_CODE.get(code)
    if cls is not None and cls is not S3ResponseError:
        return cls
    if status == 404:
        return NoSuchKey if has_key else NoSuchBucket
    if status == 403:
        return AccessDenied
    if status == 301:
        return PermanentRedirect
    if status == 503:
        return ServiceUnavailable
    if status == 500:
        return InternalError
    return S3ResponseError


def make_error(
    status: int,
    code: str = "",
    message: str = "",
    request_id: str | None = None,
    *,
    bucket: str | None = None,
    key: str | None = None,
    region: str | None = None,
) -> S3ResponseError:
    """Build the typed error for a response."""
    cls = error_class(code, status, has_key=bool(key))
    if not code and cls.default_code:
        code = cls.default_code
    if not message and status == 404:
        message = "the object does not exist" if key else "the bucket does not exist"
    if not message and status == 403:
        message = "access denied (check the credentials and the bucket's policy)"
    return cls(status, code, message, request_id, bucket=bucket, key=key, region=region)
