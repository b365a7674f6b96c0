"""``s3tui``: open the terminal browser (``--demo`` runs it on an embedded local S3)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from s3tui import __version__
from s3tui.services.state import default_state_path

NO_CREDENTIALS = (
    "No credentials found.\n\n"
    "Press a to add a profile (the secret goes to the OS keyring), or set "
    "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (plus AWS_REGION, and AWS_ENDPOINT_URL for "
    "MinIO, R2, B2, Wasabi or Ceph), or keep them in ~/.aws/credentials.\n\n"
    "To look around first, run:  s3tui --demo\n"
    "It starts a local S3 endpoint with sample buckets; nothing leaves this machine.\n\n"
    "Press q to quit."
)


def parser() -> argparse.ArgumentParser:
    """The command line."""
    p = argparse.ArgumentParser(prog="s3tui", description=__doc__)
    p.add_argument("--version", action="version", version=f"s3tui {__version__}")
    p.add_argument(
        "--demo",
        action="store_true",
        help="run on an embedded local S3 endpoint seeded with sample buckets",
    )
    p.add_argument("--demo-dir", type=Path, help="where the demo keeps its data")
    p.add_argument("--endpoint-url", help="S3 endpoint (MinIO, R2, …); default AWS")
    p.add_argument("--region", help="region to sign for (default from AWS_REGION or us-east-1)")
    p.add_argument("--profile", help="an s3tui profile, or an AWS profile from ~/.aws")
    from s3tui.cli import presign, profile, serve

    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    presign.add_parser(sub)
    profile.add_parser(sub)
    serve.add_parser(sub)
    return p


def fail(message: str, code: int = 2) -> int:
    """One clear line on stderr, no traceback."""
    print(f"s3tui: {message}", file=sys.stderr)
    return code


def server_access(settings):
    """The share server from the settings and its token from the keyring, if both exist."""
    from s3tui.services.managed_api import ServerAccess
    from s3tui.services.secrets import SERVER_ENTRY, KeyringUnavailable, get_secret

    if not settings.server_url:
        return None
    try:
        token = get_secret(SERVER_ENTRY, "api_token")
    except KeyringUnavailable:
        return None
    return ServerAccess(settings.server_url, token) if token else None


def run_app(connection, problem: str = "") -> int:
    """Build and run the app; returns the exit status."""
    from s3tui.services.config import Settings
    from s3tui.ui.app import Services, build_app

    try:
        settings = Settings.load()
    except ValueError as exc:
        return fail(str(exc))
    server = server_access(settings)
    services = Services(connection, problem, state_path=default_state_path(), server=server)
    app = build_app(settings, services)
    app.run()
    return app.return_code or 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``s3tui`` command."""
    args = parser().parse_args(argv)
    if getattr(args, "handler", None) is not None:
        return args.handler(args)
    from dataclasses import replace

    if args.demo:
        from s3tui.services.config import data_dir
        from s3tui.services.demo import run_demo
        from s3tui.services.seaweed import SeaweedUnavailable

        try:
            with run_demo(args.demo_dir or data_dir() / "demo") as demo:
                return run_app(demo.connection)
        except SeaweedUnavailable as exc:
            return fail(f"the demo endpoint could not start: {exc}", 1)
        except OSError as exc:
            return fail(f"the demo could not start: {exc}", 1)
    from s3tui.services.choose import choose_connection
    from s3tui.services.secrets import KeyringUnavailable

    try:
        connection = choose_connection(args.profile)
    except KeyringUnavailable as exc:
        return run_app(None, str(exc))
    except ValueError as exc:
        return fail(str(exc))
    if connection is not None:
        if args.endpoint_url:
            connection = replace(connection, endpoint_url=args.endpoint_url)
        if args.region:
            connection = replace(connection, region=args.region)
    return run_app(connection, NO_CREDENTIALS)


if __name__ == "__main__":
    sys.exit(main())
