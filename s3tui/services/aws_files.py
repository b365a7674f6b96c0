"""The AWS conventions: environment variables and ~/.aws/{credentials,config}.

Precedence follows the AWS CLI: an explicit profile name (``--profile``) reads that
profile; otherwise AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY win over AWS_PROFILE, which
names the profile to read (else ``default``). In the files, credentials from
``credentials`` win over those in ``config``; ``config`` names profiles ``[profile x]``
(but ``[default]``). Region: AWS_REGION, AWS_DEFAULT_REGION, then the profile's. Endpoint:
AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, then the profile's ``s3 = endpoint_url`` or
``endpoint_url``.
"""

from __future__ import annotations

import configparser
import os
from collections.abc import Mapping
from pathlib import Path

from .connection import Connection


def _paths(env: Mapping[str, str], home: Path | None) -> tuple[Path, Path]:
    base = (home or Path.home()) / ".aws"
    creds = Path(env.get("AWS_SHARED_CREDENTIALS_FILE") or base / "credentials").expanduser()
    config = Path(env.get("AWS_CONFIG_FILE") or base / "config").expanduser()
    return creds, config


def _read(path: Path) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser()
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read {path}: {exc}") from None
    return parser


def _nested(value: str) -> dict[str, str]:
    """The indented sub-section of a config value (``s3 =\\n  endpoint_url = …``)."""
    out = {}
    for line in value.splitlines():
        name, sep, val = line.partition("=")
        if sep:
            out[name.strip()] = val.strip()
    return out


def aws_profiles(env: Mapping[str, str] | None = None, home: Path | None = None) -> dict[str, dict]:
    """Every profile in the two files, merged: name → settings (credentials file wins)."""
    env = os.environ if env is None else env
    creds_path, config_path = _paths(env, home)
    merged: dict[str, dict] = {}
    config = _read(config_path)
    for section in config.sections():
        name = section.removeprefix("profile ").strip() if section != "default" else "default"
        if section.startswith("profile ") or section == "default":
            merged.setdefault(name, {}).update(dict(config.items(section)))
    creds = _read(creds_path)
    for section in creds.sections():
        merged.setdefault(section.strip(), {}).update(dict(creds.items(section)))
    return merged


def _endpoint(settings: Mapping[str, str]) -> str | None:
    nested = _nested(settings.get("s3", ""))
    return nested.get("endpoint_url") or settings.get("endpoint_url") or None


def resolve(
    env: Mapping[str, str] | None = None, profile: str | None = None, home: Path | None = None
) -> Connection | None:
    """The connection the AWS CLI would use, or None if it would find no credentials."""
    env = os.environ if env is None else env
    profiles = aws_profiles(env, home)
    explicit = profile is not None
    name = profile or env.get("AWS_PROFILE") or env.get("AWS_DEFAULT_PROFILE") or "default"
    settings = profiles.get(name, {})
    if explicit and not settings:
        raise ValueError(f"no AWS profile named {name!r} in ~/.aws/credentials or ~/.aws/config")
    access = secret = token = None
    label = f"aws:{name}"
    if not explicit and env.get("AWS_ACCESS_KEY_ID") and env.get("AWS_SECRET_ACCESS_KEY"):
        access, secret = env["AWS_ACCESS_KEY_ID"].strip(), env["AWS_SECRET_ACCESS_KEY"].strip()
        token = env.get("AWS_SESSION_TOKEN") or env.get("AWS_SECURITY_TOKEN") or None
        label = "environment"
    elif settings.get("aws_access_key_id") and settings.get("aws_secret_access_key"):
        access = settings["aws_access_key_id"]
        secret = settings["aws_secret_access_key"]
        token = settings.get("aws_session_token") or settings.get("aws_security_token") or None
    if not access or not secret:
        return None
    region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or settings.get("region")
    endpoint = env.get("AWS_ENDPOINT_URL_S3") or env.get("AWS_ENDPOINT_URL") or _endpoint(settings)
    style = _nested(settings.get("s3", "")).get("addressing_style", "auto")
    return Connection(
        label,
        access,
        secret,
        region or "us-east-1",
        endpoint,
        token,
        style if style in ("auto", "virtual", "path") else "auto",
    )
