"""Which credentials a run uses: an explicit profile, the environment, the active s3tui
profile, then the AWS files (AWS_PROFILE or default). Keyring reads block: not on a loop."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from . import aws_files
from .connection import Connection
from .profiles import ProfileStore


def choose_connection(
    profile: str | None = None,
    env: Mapping[str, str] | None = None,
    store: ProfileStore | None = None,
    home: Path | None = None,
) -> Connection | None:
    """The connection to use, or None when there are no credentials anywhere.

    Raises ValueError for a profile that does not exist, KeyringUnavailable when an s3tui
    profile's secret cannot be read.
    """
    env = os.environ if env is None else env
    store = store or ProfileStore()
    named = profile or env.get("AWS_PROFILE") or None
    if named and store.get(named) is not None:
        return store.connection(named)
    if profile:
        return aws_files.resolve(env, profile, home)
    if env.get("AWS_ACCESS_KEY_ID") and env.get("AWS_SECRET_ACCESS_KEY"):
        return aws_files.resolve(env, None, home)
    if store.active and not env.get("AWS_PROFILE"):
        return store.connection(store.active)
    return aws_files.resolve(env, None, home)
