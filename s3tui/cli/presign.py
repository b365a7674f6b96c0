"""``s3tui presign``: links from a script, with the app's connection and rules.

Prints one link per key (or JSON/CSV/Markdown), exits 2 with a one-line reason on bad
input and 1 when S3 refuses (missing object with --check, access denied…).
"""

from __future__ import annotations

import asyncio
import sys
from dataclasses import replace
from datetime import UTC, datetime

from s3tui.s3 import S3Client, S3Error, check_bucket, check_key
from s3tui.services.config import Settings
from s3tui.services.connection import Connection
from s3tui.services.expiry import check_link_expiry, parse_duration
from s3tui.services.explain import explain
from s3tui.services.share import (
    FORMATS,
    Kind,
    Link,
    ShareOptions,
    Variant,
    format_links,
    guess_type,
    make_link,
    parse_size,
)


class UsageError(ValueError):
    """Bad input: exit status 2."""


def add_parser(subparsers) -> None:
    """Register ``presign`` on the main parser."""
    p = subparsers.add_parser(
        "presign", help="print presigned links for s3:// URIs", description=__doc__
    )
    p.add_argument("uris", nargs="+", metavar="s3://BUCKET/KEY")
    p.add_argument("--expires", help="lifetime: 90m, 2h, 3d, 1w (default: per-type rules)")
    p.add_argument("--method", choices=("GET", "PUT"), default="GET", type=str.upper)
    p.add_argument("--content-type", help="PUT/POST: the type to sign; GET: response type")
    p.add_argument("--download-name", help="save-as name (Content-Disposition attachment)")
    p.add_argument("--inline", action="store_true", help="open in the browser, not save")
    p.add_argument("--cache-control", help="GET: response Cache-Control")
    p.add_argument("--cloudfront", metavar="NAME", help="a [cloudfront.NAME] from the settings")
    p.add_argument("--post", action="store_true", help="an upload form (POST policy)")
    p.add_argument("--max-size", help="with --post: the size cap, e.g. 10MB")
    p.add_argument("--recursive", action="store_true", help="every key under the prefixes")
    p.add_argument("--check", action="store_true", help="HEAD each object first (GET)")
    p.add_argument("--format", choices=FORMATS, default="lines")
    p.add_argument("--copy", action="store_true", help="also copy the output to the clipboard")
    p.add_argument("--profile", help="an s3tui profile, or an AWS profile from ~/.aws")
    p.add_argument(
        "--managed",
        action="store_true",
        help="a managed link from the share server ([server] url, token in the keyring)",
    )
    p.add_argument("--max-downloads", type=int, help="with --managed: how many downloads")
    p.add_argument(
        "--password-stdin", action="store_true", help="with --managed: read a password from stdin"
    )
    p.add_argument("--note", default="", help="with --managed: a note kept with the link")
    p.add_argument("--endpoint-url")
    p.add_argument("--region")
    p.set_defaults(handler=run)


def parse_uri(text: str, recursive: bool) -> tuple[str, str]:
    """s3://bucket/key → (bucket, key); a prefix (may be empty) with --recursive."""
    if not text.startswith("s3://"):
        raise UsageError(f"not an s3:// URI: {text!r}")
    bucket, _, key = text[5:].partition("/")
    try:
        check_bucket(bucket)
        if not recursive:
            check_key(key)
    except ValueError as exc:
        raise UsageError(f"{text}: {exc}") from None
    return bucket, key


def _options(args, settings: Settings, bucket: str, key: str) -> ShareOptions:
    if args.post and args.method == "PUT":
        raise UsageError("--post and --method PUT are two kinds of upload link: pick one")
    if args.max_size and not args.post:
        raise UsageError("--max-size caps an upload form: add --post (a PUT link cannot)")
    kind = Kind.UPLOAD_FORM if args.post else Kind.UPLOAD if args.method == "PUT" else Kind.DOWNLOAD
    if args.expires:
        seconds = check_link_expiry(parse_duration(args.expires))
    else:
        seconds = settings.expiry.for_key(key)
    options = ShareOptions(
        kind=kind,
        expires_in=seconds,
        download_name=args.download_name,
        inline=args.inline,
        content_type=args.content_type,
        cache_control=args.cache_control,
    )
    if kind is not Kind.DOWNLOAD:
        options.content_type = args.content_type or guess_type(key)
    if args.max_size:
        options.max_size = parse_size(args.max_size)
    if args.cloudfront:
        cf = settings.cloudfront.get(args.cloudfront)
        if cf is None:
            names = ", ".join(settings.cloudfront) or "none configured"
            raise UsageError(f"no [cloudfront.{args.cloudfront}] in the settings ({names})")
        options.cloudfront = cf
        options.variant = Variant.CLOUDFRONT_SIGNED if cf.can_sign else Variant.CLOUDFRONT_REWRITE
    return options


async def _keys(client: S3Client, targets: list[tuple[str, str]], args) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for bucket, key in targets:
        if args.recursive:
            async for page in client.list_objects(bucket, key, delimiter=""):
                out += [(bucket, o.key) for o in page.objects if not o.key.endswith("/")]
        else:
            if args.check and args.method == "GET" and not args.post:
                await client.head_object(bucket, key)
            out.append((bucket, key))
    return out


def make_links(args, connection: Connection, settings: Settings) -> list[Link]:
    """All the links the arguments ask for (lists and HEADs when needed)."""
    targets = [parse_uri(u, args.recursive) for u in args.uris]
    client = connection.client()

    async def resolve() -> list[tuple[str, str]]:
        async with client:
            return await _keys(client, targets, args)

    needs_io = args.recursive or args.check
    pairs = asyncio.run(resolve()) if needs_io else targets
    if args.recursive and not pairs:
        raise S3LookupError("no objects under " + ", ".join(args.uris))
    now = datetime.now(UTC)
    return [make_link(client, b, k, _options(args, settings, b, k), now=now) for b, k in pairs]


class S3LookupError(Exception):
    """Nothing to sign (an empty prefix)."""


def run(args) -> int:
    """Entry point of ``s3tui presign``."""
    try:
        settings = Settings.load()
    except ValueError as exc:
        return _fail(str(exc), 2)
    if args.managed:
        return run_managed(args, settings)
    if args.max_downloads or args.password_stdin or args.note:
        return _fail("--max-downloads, --password-stdin and --note need --managed", 2)
    from s3tui.services.choose import choose_connection
    from s3tui.services.secrets import KeyringUnavailable

    try:
        connection = choose_connection(args.profile)
    except (KeyringUnavailable, ValueError) as exc:
        return _fail(str(exc), 2)
    if connection is None:
        return _fail("no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", 2)
    if args.endpoint_url:
        connection = replace(connection, endpoint_url=args.endpoint_url)
    if args.region:
        connection = replace(connection, region=args.region)
    try:
        links = make_links(args, connection, settings)
    except (UsageError, ValueError) as exc:
        return _fail(str(exc), 2)
    except S3LookupError as exc:
        return _fail(str(exc), 1)
    except S3Error as exc:
        where = ""
        bucket, key = getattr(exc, "bucket", None), getattr(exc, "key", None)
        if bucket:
            where = f"s3://{bucket}/{key or ''}: "
        return _fail(f"{where}{explain(exc).title}", 1)
    text = format_links(links, args.format)
    sys.stdout.write(text)
    _record(links, connection.label)
    if args.copy:
        from s3tui.services.clipboard import copy_to_system

        result = copy_to_system(text)
        print(
            "copied to the clipboard" if result.ok else f"not copied: {result.reason}",
            file=sys.stderr,
        )
    return 0


def server_for_scripts(settings: Settings):
    """$S3TUI_SERVER_URL/$S3TUI_SERVER_TOKEN, else [server] url and the keyring's token."""
    import os

    from s3tui.services.managed_api import ServerAccess
    from s3tui.services.secrets import SERVER_ENTRY, get_secret

    url = os.environ.get("S3TUI_SERVER_URL") or settings.server_url
    if not url:
        raise UsageError("no share server: run `s3tui serve --add-token NAME --save` first")
    token = os.environ.get("S3TUI_SERVER_TOKEN") or get_secret(SERVER_ENTRY, "api_token")
    if not token:
        raise UsageError("no API token for the share server in the keyring")
    return ServerAccess(url, token)


def run_managed(args, settings: Settings) -> int:
    """``presign --managed``: ask the share server for one managed link per URI."""
    import json

    from s3tui.services.managed_api import (
        ManagedApi,
        ManagedApiError,
        ManagedRequest,
        check_managed,
    )
    from s3tui.services.secrets import KeyringUnavailable

    if args.recursive or args.post or args.method != "GET" or args.cloudfront:
        return _fail("--managed makes download links for objects: no --recursive, PUT, --post", 2)
    try:
        access = server_for_scripts(settings)
        password = sys.stdin.readline().rstrip("\n") if args.password_stdin else None
        requests = []
        for uri in args.uris:
            bucket, key = parse_uri(uri, False)
            seconds = parse_duration(args.expires) if args.expires else settings.expiry.for_key(key)
            requests.append(
                check_managed(
                    ManagedRequest(
                        bucket,
                        key,
                        seconds,
                        max_downloads=args.max_downloads,
                        password=password,
                        note=args.note,
                        filename=args.download_name or "",
                    )
                )
            )
        api = ManagedApi(access)
        made = [api.create_from(r) for r in requests]
    except (UsageError, ValueError, KeyringUnavailable) as exc:
        return _fail(str(exc), 2)
    except ManagedApiError as exc:
        return _fail(str(exc), 1)
    if args.format == "json":
        sys.stdout.write(json.dumps(made, indent=2) + "\n")
    else:
        sys.stdout.write("".join(f"{m['url']}\n" for m in made))
    return 0


def _record(links: list[Link], profile: str) -> None:
    from s3tui.services.history import ShareHistory, default_history_path

    try:
        history = ShareHistory(default_history_path())
        for link in links:
            history.record(link, profile)
        history.close()
    except Exception as exc:
        print(
            f"s3tui presign: links not saved in the history ({type(exc).__name__})", file=sys.stderr
        )


def _fail(message: str, code: int) -> int:
    print(f"s3tui presign: {message}", file=sys.stderr)
    return code
