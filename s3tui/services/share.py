"""Share links: what to make (kind, expiry, options) and the link itself, without widgets."""

from __future__ import annotations

import csv
import io
import json
import mimetypes
import re
import shlex
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from urllib.parse import quote

from s3tui.s3 import S3Client, check_key

from .cloudfront import CloudFrontConfig, distribution_url, rewrite_host, signed_url
from .expiry import ExpiryRules, check_link_expiry, describe


class Kind(StrEnum):
    """What a link lets its holder do."""

    DOWNLOAD = "download"  # presigned GET
    UPLOAD = "upload"  # presigned PUT of one new key, content type signed
    UPLOAD_FORM = "upload-form"  # presigned POST policy: type fixed, size capped


class Variant(StrEnum):
    """Where the link points."""

    S3 = "s3"
    CLOUDFRONT_REWRITE = "cloudfront-rewrite"  # the seed's host swap (needs forwarding)
    CLOUDFRONT_SIGNED = "cloudfront-signed"  # a real CloudFront signed URL


@dataclass
class ShareOptions:
    """Everything the share dialog or ``s3tui presign`` asks for."""

    kind: Kind = Kind.DOWNLOAD
    expires_in: int = 3600
    download_name: str | None = None  # save-as name (attachment)
    inline: bool = False  # open in the browser instead of saving
    content_type: str | None = None  # GET: override the response type; PUT/POST: signed
    cache_control: str | None = None
    max_size: int | None = None  # upload form cap in bytes
    variant: Variant = Variant.S3
    cloudfront: CloudFrontConfig | None = None
    starts_at: datetime | None = None  # CloudFront custom policy
    ip_range: str | None = None  # CloudFront custom policy


@dataclass
class Link:
    """A link made for someone: what it is, until when, and how to use it."""

    bucket: str
    key: str
    kind: Kind
    variant: Variant
    method: str
    url: str
    created_at: datetime
    expires_at: datetime
    headers: dict[str, str] = field(default_factory=dict)  # the uploader must send these
    form_fields: dict[str, str] = field(default_factory=dict)  # upload form only
    allows: str = ""
    warning: str = ""

    @property
    def expires_in(self) -> int:
        """Lifetime in seconds."""
        return int((self.expires_at - self.created_at).total_seconds())


# -- names, types and dispositions ----------------------------------------------------------
_RESERVED = re.compile(r'[<>:"|?*\\/\x00-\x1f\x7f]')
_WINDOWS = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}
MAX_NAME_BYTES = 200


def sanitize_upload_name(name: str) -> str:
    """A safe object name from what a user typed: no separators, '..', control or reserved
    characters, no leading dots or spaces, at most 200 bytes; ValueError if nothing is left."""
    text = unicodedata.normalize("NFC", str(name))
    text = text.replace("/", "_").replace("\\", "_")
    text = _RESERVED.sub("_", text)
    text = re.sub(r"\.{2,}", ".", text).strip(" .")
    stem = text.split(".", 1)[0].lower()
    if stem in _WINDOWS:
        text = f"_{text}"
    encoded = text.encode("utf-8")
    if len(encoded) > MAX_NAME_BYTES:
        _, dot, ext = text.rpartition(".")
        ext = f".{ext}" if dot and len(ext.encode()) <= 16 else ""
        keep = MAX_NAME_BYTES - len(ext.encode())
        text = encoded[:keep].decode("utf-8", "ignore").rstrip(" .") + ext
    if not text or set(text) <= {"_"}:
        raise ValueError(f"{name!r} is not usable as a file name: type letters or digits")
    return text


def parse_size(text: str) -> int:
    """'10MB', '512k', '1GiB', '2048' → bytes; ValueError says what is expected."""
    raw = text.strip().lower().replace(" ", "").removesuffix("ib").removesuffix("b")
    units = {"k": 1024, "m": 1024**2, "g": 1024**3}
    if raw and raw[-1] in units and raw[:-1].replace(".", "", 1).isdigit():
        return int(float(raw[:-1]) * units[raw[-1]])
    if raw.isdigit():
        return int(raw)
    raise ValueError(f"cannot read {text!r} as a size: use e.g. 10MB, 512k or 2048")


def guess_type(name: str) -> str:
    """Content type from the file name (application/octet-stream if unknown)."""
    guessed, _ = mimetypes.guess_type(name, strict=False)
    return guessed or "application/octet-stream"


def content_disposition(filename: str, inline: bool = False) -> str:
    """RFC 6266: an ASCII ``filename`` fallback plus ``filename*=UTF-8''…`` when needed."""
    kind = "inline" if inline else "attachment"
    clean = "".join(c for c in filename if c >= " " and c != "\x7f")
    ascii_name = unicodedata.normalize("NFKD", clean).encode("ascii", "ignore").decode()
    ascii_name = ascii_name.replace("\\", "_").replace('"', "'").strip() or "download"
    value = f'{kind}; filename="{ascii_name}"'
    if ascii_name != clean:
        value += f"; filename*=UTF-8''{quote(clean, safe='')}"
    return value


def basename(key: str) -> str:
    """The last path segment of a key (the key itself if it ends with '/')."""
    return key.rstrip("/").rsplit("/", 1)[-1] or key


# -- making links ---------------------------------------------------------------------------
def _allows(kind: Kind, options: ShareOptions, key: str, content_type: str | None) -> str:
    if kind is Kind.DOWNLOAD:
        return f"Anyone with the link can download {basename(key)} (read only)."
    if kind is Kind.UPLOAD:
        return (
            f"Anyone with the link can upload one file to this exact key, with "
            f"Content-Type {content_type}; any size up to 5 GB; an existing object is "
            "replaced."
        )
    cap = f"at most {options.max_size:,} bytes" if options.max_size else "any size"
    return f"A browser form can upload one file ({content_type}, {cap}) to this key."


def make_link(
    client: S3Client, bucket: str, key: str, options: ShareOptions, now: datetime | None = None
) -> Link:
    """Build the link ``options`` describe for bucket/key (no I/O: presigning is local)."""
    check_key(key)
    seconds = check_link_expiry(options.expires_in)
    now = now or datetime.now(UTC)
    expires_at = now + timedelta(seconds=seconds)
    kind, variant = options.kind, options.variant
    warning = ""
    if client.has_session_token:
        warning = (
            "These are temporary credentials: the link stops working when their "
            "session ends, even before its own expiry."
        )
    if kind is Kind.DOWNLOAD:
        params: dict[str, object] = {}
        if options.download_name or options.inline:
            name = options.download_name or basename(key)
            params["response-content-disposition"] = content_disposition(name, options.inline)
        if options.content_type:
            params["response-content-type"] = options.content_type
        if options.cache_control:
            params["response-cache-control"] = options.cache_control
        if variant is Variant.CLOUDFRONT_SIGNED:
            cf = _need_cloudfront(options, signing=True)
            url = signed_url(
                distribution_url(cf.domain, key),
                cf.key_pair_id,
                cf.load_private_key(),
                expires_at,
                starts_at=options.starts_at,
                ip_range=options.ip_range,
            )
            if params:
                warning = (warning + " " if warning else "") + (
                    "Download options do not apply to CloudFront signed URLs (set them on "
                    "the distribution's behaviour)."
                )
        else:
            url = client.generate_presigned_url("GET", bucket, key, seconds, params, now=now)
            if variant is Variant.CLOUDFRONT_REWRITE:
                cf = _need_cloudfront(options)
                url = rewrite_host(url, cf.domain, bucket)
                warning = (warning + " " if warning else "") + (
                    "This is the S3 link with CloudFront's host: it works only if the "
                    "distribution forwards the query string and the origin's Host header."
                )
        return Link(
            bucket,
            key,
            kind,
            variant,
            "GET",
            url,
            now,
            expires_at,
            allows=_allows(kind, options, key, None),
            warning=warning.strip(),
        )
    if variant is not Variant.S3:
        raise ValueError("upload links go to S3 directly; CloudFront variants are for downloads")
    content_type = options.content_type or guess_type(key)
    if kind is Kind.UPLOAD:
        headers = {"Content-Type": content_type}
        if options.cache_control:
            headers["Cache-Control"] = options.cache_control
        url = client.generate_presigned_url("PUT", bucket, key, seconds, headers, now=now)
        return Link(
            bucket,
            key,
            kind,
            variant,
            "PUT",
            url,
            now,
            expires_at,
            headers=headers,
            allows=_allows(kind, options, key, content_type),
            warning=warning,
        )
    cap = (0, options.max_size) if options.max_size else None
    post = client.generate_presigned_post(
        bucket, key, seconds, content_type=content_type, content_length_range=cap, now=now
    )
    return Link(
        bucket,
        key,
        kind,
        variant,
        "POST",
        post.url,
        now,
        expires_at,
        form_fields=post.fields,
        allows=_allows(kind, options, key, content_type),
        warning=warning,
    )


def _need_cloudfront(options: ShareOptions, signing: bool = False) -> CloudFrontConfig:
    cf = options.cloudfront
    if cf is None:
        raise ValueError("no CloudFront distribution is configured for this bucket")
    if signing and not cf.can_sign:
        raise ValueError(f"CloudFront {cf.name!r} has no key pair id and private key to sign with")
    return cf


# -- batches ---------------------------------------------------------------------------------
def batch_links(
    client: S3Client,
    bucket: str,
    keys: list[str],
    rules: ExpiryRules,
    expiry: int | None,
    now: datetime,
) -> list[Link]:
    """Download links for ``keys``: one lifetime for all, or each by its type's rule."""
    return [
        make_link(
            client, bucket, key, ShareOptions(expires_in=expiry or rules.for_key(key)), now=now
        )
        for key in keys
    ]


# -- what gets copied -----------------------------------------------------------------------
def curl_command(link: Link) -> str:
    """A ready curl command line for the link."""
    if link.method == "GET":
        return f"curl -fL -o {shlex.quote(basename(link.key))} {shlex.quote(link.url)}"
    if link.method == "PUT":
        headers = " ".join(f"-H {shlex.quote(f'{k}: {v}')}" for k, v in link.headers.items())
        return (
            f"curl -f -X PUT {headers} --upload-file {shlex.quote(basename(link.key))} "
            f"{shlex.quote(link.url)}"
        )
    fields = " ".join(f"-F {shlex.quote(f'{k}={v}')}" for k, v in link.form_fields.items())
    return f"curl -f {fields} -F file=@{shlex.quote(basename(link.key))} {shlex.quote(link.url)}"


def s3_uri(bucket: str, key: str) -> str:
    """s3://bucket/key."""
    return f"s3://{bucket}/{key}"


def https_url(client: S3Client, bucket: str, key: str) -> str:
    """The plain (unsigned) object URL: works only for public objects."""
    return client.locate(bucket, key).url()


def html_form(link: Link) -> str:
    """A minimal HTML upload form for an upload-form link (fields in order, file last)."""
    from html import escape

    inputs = "".join(
        f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">'
        for k, v in link.form_fields.items()
    )
    return (
        f'<form action="{escape(link.url)}" method="post" enctype="multipart/form-data">'
        f'{inputs}<input type="file" name="file"><button>Upload</button></form>'
    )


FORMATS = ("lines", "json", "csv", "markdown")


def format_links(links: list[Link], fmt: str = "lines") -> str:
    """Links as lines, JSON (``{key: {url, expires_in_hours}}`` as the seed), CSV or Markdown."""
    if fmt == "lines":
        return "".join(f"{link.url}\n" for link in links)
    if fmt == "json":
        data = {
            link.key: {
                "url": link.url,
                "expires_in_hours": round(link.expires_in / 3600, 2),
                "expires_at": link.expires_at.isoformat(),
            }
            for link in links
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["key", "url", "expires_at", "expires_in"])
        for link in links:
            writer.writerow(
                [link.key, link.url, link.expires_at.isoformat(), describe(link.expires_in)]
            )
        return out.getvalue()
    if fmt == "markdown":
        rows = ["| file | link | expires |", "|---|---|---|"]
        for link in links:
            name = basename(link.key).replace("|", "\\|").replace("[", "\\[").replace("]", "\\]")
            when = link.expires_at.strftime("%Y-%m-%d %H:%M UTC")
            rows.append(f"| {name} | [download](<{link.url}>) | {when} |")
        return "\n".join(rows) + "\n"
    raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
