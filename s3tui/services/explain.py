"""Turn client errors into what a user reads: what happened, and what to do about it."""

from __future__ import annotations

from dataclasses import dataclass

from s3tui.s3 import errors as s3e
from s3tui.s3.addressing import InvalidBucketName, InvalidKey


@dataclass(frozen=True, slots=True)
class Explanation:
    """A one-line title and a hint for the user."""

    title: str
    hint: str


def explain(exc: BaseException, where: str = "") -> Explanation:
    """Explain any error the client raises (or a bad input) for a person."""
    at = f" {where}" if where else ""
    if isinstance(exc, s3e.S3TimeoutError):
        return Explanation(
            f"The endpoint did not answer in time{at}",
            "It may be overloaded or unreachable; press r to try again.",
        )
    if isinstance(exc, s3e.S3ConnectionError):
        return Explanation(
            f"Cannot reach the S3 endpoint{at}: {exc}",
            "Check the endpoint URL and the network, then press r to retry.",
        )
    if isinstance(exc, (s3e.SignatureDoesNotMatch, s3e.InvalidAccessKeyId)):
        return Explanation(
            f"The credentials were refused ({exc.code})",
            "Check the access key id and secret of this profile.",
        )
    if isinstance(exc, (s3e.ExpiredToken, s3e.InvalidToken)):
        return Explanation(
            "The session token has expired or is invalid",
            "Refresh your temporary credentials (e.g. aws sso login) and retry.",
        )
    if isinstance(exc, s3e.RequestTimeTooSkewed):
        return Explanation(
            "This machine's clock is too far from the server's",
            "Correct the system time (NTP); signatures depend on it.",
        )
    if isinstance(exc, s3e.AccessDenied):
        return Explanation(
            f"Access denied{at}",
            "These credentials lack permission here (e.g. s3:ListBucket or s3:GetObject).",
        )
    if isinstance(exc, s3e.NoSuchBucket):
        return Explanation(
            f"No such bucket{at}", "It may have been deleted, or the name is mistyped."
        )
    if isinstance(exc, s3e.NoSuchKey):
        return Explanation(
            f"No such object{at}", "It may have been deleted since the listing; press r to refresh."
        )
    if isinstance(exc, s3e.MalformedResponse):
        return Explanation(
            f"The server sent something that is not S3{at}",
            "Is the endpoint URL an S3 API endpoint (not a web console)?",
        )
    if isinstance(exc, s3e.S3ResponseError):
        return Explanation(
            f"The server refused the request{at}: {exc}",
            "Press r to retry; if it persists, check the bucket's settings.",
        )
    if isinstance(exc, (InvalidBucketName, InvalidKey, ValueError)):
        return Explanation(str(exc), "Correct the input and try again.")
    return Explanation(
        f"Unexpected error{at}: {type(exc).__name__}: {exc}",
        "Press r to retry. If it keeps happening, please report it.",
    )
