"""``s3tui profile list|add|edit|remove|import|test``: profiles from scripts.

Secrets are read from a prompt (hidden) or, when stdin is not a terminal, from its first
line; they go to the OS keyring and nowhere else.
"""

from __future__ import annotations

import asyncio
import getpass
import sys

from s3tui.s3 import S3Error
from s3tui.services import aws_files
from s3tui.services.explain import explain
from s3tui.services.profiles import STYLES, Profile, ProfileStore
from s3tui.services.secrets import KeyringUnavailable


def add_parser(subparsers) -> None:
    """Register ``profile`` on the main parser."""
    p = subparsers.add_parser("profile", help="manage profiles (secrets in the OS keyring)")
    sub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    sub.add_parser("list", help="list profiles (and AWS profiles that can be imported)")
    for name in ("add", "edit"):
        a = sub.add_parser(name, help=f"{name} a profile; the secret is asked for")
        a.add_argument("name")
        a.add_argument("--access-key-id", required=name == "add")
        a.add_argument("--endpoint-url", help="empty for AWS")
        a.add_argument("--region")
        a.add_argument("--addressing-style", choices=STYLES)
        a.add_argument("--session-token", action="store_true", help="also ask for a token")
        if name == "edit":
            a.add_argument("--secret", action="store_true", help="also replace the secret")
    r = sub.add_parser("remove", help="delete a profile and its secrets")
    r.add_argument("name")
    i = sub.add_parser("import", help="copy AWS profiles (~/.aws, environment) into the keyring")
    i.add_argument("aws_profiles", nargs="*", help="AWS profile names (default: all)")
    i.add_argument("--as", dest="rename", help="name for the s3tui profile (one import)")
    i.add_argument("--from-env", action="store_true", help="import the AWS_* variables")
    t = sub.add_parser("test", help="list buckets with a profile and say what failed")
    t.add_argument("name", nargs="?")
    u = sub.add_parser("use", help="make a profile the default")
    u.add_argument("name")
    c = sub.add_parser(
        "cloudfront-key",
        help="store a CloudFront private key (PEM on stdin) "
        'in the keyring, for [cloudfront.NAME] private_key_path = "keyring"',
    )
    c.add_argument("name", help="the NAME of [cloudfront.NAME] in the settings")
    c.add_argument("--remove", action="store_true", help="delete it instead")
    p.set_defaults(handler=run)


def _ask(prompt: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\n")


def run(args) -> int:
    """Entry point of ``s3tui profile``."""
    store = ProfileStore()
    try:
        return ACTIONS[args.action](args, store)
    except KeyringUnavailable as exc:
        print(f"s3tui profile: {exc}", file=sys.stderr)
        return 3
    except ValueError as exc:
        print(f"s3tui profile: {exc}", file=sys.stderr)
        return 2


def _list(args, store: ProfileStore) -> int:
    active = store.active
    for p in store.profiles():
        mark = "*" if p.name == active else " "
        print(f"{mark} {p.name}\t{p.endpoint_url or 'AWS'}\t{p.region}\t{p.access_key_id}")
    names = sorted(aws_files.aws_profiles())
    if names:
        print(
            "AWS profiles (s3tui --profile NAME uses them; import copies them): " + ", ".join(names)
        )
    return 0


def _add(args, store: ProfileStore) -> int:
    if store.get(args.name) is not None:
        raise ValueError(f"profile {args.name!r} exists: use edit")
    profile = Profile(
        args.name,
        args.access_key_id,
        args.endpoint_url or "",
        args.region or "us-east-1",
        args.addressing_style or "auto",
    ).check()
    secret = _ask("Secret access key: ")
    token = _ask("Session token: ") if args.session_token else None
    store.save(profile, secret, token)
    print(f"saved profile {args.name} (secret in the OS keyring)")
    return 0


def _edit(args, store: ProfileStore) -> int:
    profile = store.get(args.name)
    if profile is None:
        raise ValueError(f"no profile named {args.name!r}")
    for attr in ("access_key_id", "endpoint_url", "region", "addressing_style"):
        value = getattr(args, attr)
        if value is not None:
            setattr(profile, attr, value)
    secret = _ask("Secret access key: ") if args.secret else None
    token = _ask("Session token: ") if args.session_token else None
    if token is not None and secret is None:
        raise ValueError("a new session token comes with its secret: add --secret")
    store.save(profile, secret, token)
    print(f"saved profile {args.name}")
    return 0


def _remove(args, store: ProfileStore) -> int:
    store.remove(args.name)
    print(f"removed profile {args.name} and its secrets")
    return 0


def _import(args, store: ProfileStore) -> int:
    if args.from_env:
        conn = aws_files.resolve(None, None)
        if conn is None or conn.label != "environment":
            raise ValueError("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")
        sources = {args.rename or "env": conn}
    else:
        available = aws_files.aws_profiles()
        names = args.aws_profiles or sorted(available)
        if args.rename and len(names) != 1:
            raise ValueError("--as names one imported profile: give one AWS profile name")
        sources = {}
        for name in names:
            conn = aws_files.resolve({}, name)  # the files only, not the environment
            if conn is None:
                print(f"skipped {name}: it has no access key (SSO or a role?)", file=sys.stderr)
                continue
            sources[args.rename or name] = conn
    for name, conn in sources.items():
        profile = Profile(
            name, conn.access_key, conn.endpoint_url or "", conn.region, conn.addressing_style
        )
        store.save(profile, conn.secret_key, conn.session_token)
        print(f"imported {name}")
    return 0 if sources else 2


def _test(args, store: ProfileStore) -> int:
    name = args.name or store.active
    if name is None:
        raise ValueError("no profile given and none is active")
    conn = store.connection(name)

    async def probe() -> int:
        async with conn.client() as client:
            return len(await client.list_buckets())

    try:
        count = asyncio.run(probe())
    except S3Error as exc:
        why = explain(exc)
        print(f"s3tui profile: {name}: {why.title}. {why.hint}", file=sys.stderr)
        return 1
    print(f"{name}: OK, {count} bucket{'s' if count != 1 else ''} visible at {conn.where}")
    return 0


def _use(args, store: ProfileStore) -> int:
    if store.get(args.name) is None:
        raise ValueError(f"no profile named {args.name!r}")
    store.set_active(args.name)
    print(f"{args.name} is now the default profile")
    return 0


def _cloudfront_key(args, store: ProfileStore) -> int:
    from s3tui.services.cloudfront import keyring_owner, parse_private_key
    from s3tui.services.secrets import delete_secret, set_secret

    owner = keyring_owner(args.name)
    if args.remove:
        delete_secret(owner, "cloudfront_private_key")
        print(f"removed the CloudFront key of {args.name} from the keyring")
        return 0
    pem = sys.stdin.read()
    parse_private_key(pem.encode())  # refuse anything that is not an RSA private key
    set_secret(owner, "cloudfront_private_key", pem)
    print(
        f"stored the CloudFront key of {args.name} in the keyring; set "
        f'private_key_path = "keyring" in [cloudfront.{args.name}]'
    )
    return 0


ACTIONS = {
    "list": _list,
    "add": _add,
    "edit": _edit,
    "remove": _remove,
    "import": _import,
    "test": _test,
    "use": _use,
    "cloudfront-key": _cloudfront_key,
}
