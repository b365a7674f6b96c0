"""``s3tui serve``: managed share links and the upload API, for browsers, apps and scripts.

Binds to loopback unless told otherwise; put TLS in front (a reverse proxy) before binding
it anywhere else. Ctrl-C or SIGTERM stop it after the requests in flight have finished.
"""

from __future__ import annotations

import ipaddress
import sys
import time
from dataclasses import replace

from s3tui.services.history import default_history_path
from s3tui.services.managed import ManagedLinks


def add_parser(subparsers) -> None:
    """Register ``serve`` on the main parser."""
    p = subparsers.add_parser("serve", help="run the managed-link server", description=__doc__)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--profile", help="an s3tui profile, or an AWS profile from ~/.aws")
    p.add_argument("--endpoint-url")
    p.add_argument("--region")
    p.add_argument("--base-url", default="", help="the public URL links start with")
    p.add_argument("--db", help="the ledger (default: the share history file)")
    p.add_argument("--upload-bucket", default="", help="enable /upload into this bucket")
    p.add_argument("--max-upload", type=int, default=100 * 1024 * 1024, help="bytes")
    p.add_argument("--redirect-ttl", type=int, default=60, help="seconds (default 60)")
    p.add_argument("--requests-per-minute", type=int, default=600, help="per client; 0: none")
    p.add_argument("--creates-per-minute", type=int, default=10, help="per token owner")
    p.add_argument(
        "--trust-proxy",
        action="store_true",
        help="behind a reverse proxy: limit clients by X-Forwarded-For's last address",
    )
    p.add_argument("--add-token", metavar="OWNER", help="print a new API token and exit")
    p.add_argument(
        "--save",
        action="store_true",
        help="with --add-token: keep the token in the keyring and point s3tui at this server",
    )
    p.add_argument("--print-cors", action="store_true", help="print the bucket CORS rule")
    p.set_defaults(handler=run)


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def add_token(args, db) -> int:
    """Make an API token; print it, or with --save keep it for the app and presign."""
    from s3tui.services.profiles import ProfileStore
    from s3tui.services.secrets import SERVER_ENTRY, KeyringUnavailable, set_secret

    links = ManagedLinks(db)
    try:
        token = links.add_token(args.add_token, time.time())
    except ValueError as exc:
        print(f"s3tui serve: {exc}", file=sys.stderr)
        return 2
    finally:
        links.close()
    if not args.save:
        print(token)
        return 0
    url = args.base_url.rstrip("/") or f"http://{args.host}:{args.port}"
    try:
        set_secret(SERVER_ENTRY, "api_token", token)
        ProfileStore().set_server_url(url)
    except (KeyringUnavailable, ValueError, OSError) as exc:
        print(f"s3tui serve: the token was made but not saved: {exc}", file=sys.stderr)
        return 1
    print(f"A token for {args.add_token} is in the keyring; s3tui will use {url}.")
    return 0


def run(args) -> int:
    """Entry point of ``s3tui serve``."""
    from pathlib import Path

    from s3tui.server.uploads import cors_rule

    db = Path(args.db) if args.db else default_history_path()
    if args.print_cors:
        origin = args.base_url.rstrip("/") or f"http://{args.host}:{args.port}"
        print(cors_rule(origin))
        return 0
    if args.add_token:
        return add_token(args, db)
    from s3tui.services.choose import choose_connection

    try:
        connection = choose_connection(args.profile)
    except ValueError as exc:
        print(f"s3tui serve: {exc}", file=sys.stderr)
        return 2
    if connection is None:
        print(
            "s3tui serve: no credentials; add a profile with `s3tui profile add`", file=sys.stderr
        )
        return 2
    if args.endpoint_url:
        connection = replace(connection, endpoint_url=args.endpoint_url)
    if args.region:
        connection = replace(connection, region=args.region)
    if not is_loopback(args.host):
        print(
            f"s3tui serve: warning: listening on {args.host} without TLS; put a TLS proxy in "
            "front, passwords and tokens would otherwise cross the network in clear",
            file=sys.stderr,
        )
    return serve(args, connection, db)


def serve(args, connection, db) -> int:
    """Run until Ctrl-C or SIGTERM; requests in flight are finished first."""
    from aiohttp import web

    from s3tui.server.app import ServeConfig, Server, build_server
    from s3tui.server.uploads import UploadRules

    config = ServeConfig(
        base_url=args.base_url,
        redirect_ttl=args.redirect_ttl,
        requests_per_minute=args.requests_per_minute,
        creates_per_minute=args.creates_per_minute,
        trust_proxy=args.trust_proxy,
        uploads=UploadRules(bucket=args.upload_bucket, max_bytes=args.max_upload),
    )
    server = Server(config, connection.client(), ManagedLinks(db))
    print(f"s3tui serve: http://{args.host}:{args.port} (ledger {db})", flush=True)
    web.run_app(
        build_server(server),
        host=args.host,
        port=args.port,
        shutdown_timeout=10,
        print=None,
        access_log=None,
    )
    return 0
