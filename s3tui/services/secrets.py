"""Secrets in the OS keyring (service ``s3tui``, one entry per profile and field).

Every keyring failure becomes KeyringUnavailable with a message that names the fix; there
is never a fallback to a plain-text file. Calls block (D-Bus): run them in a thread.
"""

from __future__ import annotations

SERVICE = "s3tui"
FIELDS = ("secret_access_key", "session_token", "cloudfront_private_key", "api_token")
# the share server's API token, under a name no profile can have
SERVER_ENTRY = "@share-server"

NO_KEYRING = (
    "No usable keyring to keep secrets in ({why}). Fix it by one of: installing and "
    "unlocking a Secret Service such as gnome-keyring (or KWallet); `pip install "
    "keyrings.alt` if you accept secrets in a local file; or setting AWS_ACCESS_KEY_ID and "
    "AWS_SECRET_ACCESS_KEY for this session. s3tui never writes secrets in plain text itself."
)


class KeyringUnavailable(RuntimeError):
    """The keyring cannot store or read secrets; the message says what to do."""


def _why(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}"[:160] if text else type(exc).__name__


def _username(profile: str, field: str) -> str:
    if field not in FIELDS:
        raise ValueError(f"unknown secret field {field!r}")
    return f"{profile}:{field}"


def _backend():
    try:
        import keyring
        from keyring.backends import fail
    except ImportError as exc:
        raise KeyringUnavailable(NO_KEYRING.format(why="keyring is not installed")) from exc
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        raise KeyringUnavailable(NO_KEYRING.format(why="no recommended backend was found"))
    return keyring


def _call(fn, *args):
    keyring = _backend()
    try:
        return fn(keyring, *args)
    except KeyringUnavailable:
        raise
    except Exception as exc:
        from keyring.errors import PasswordDeleteError

        if isinstance(exc, PasswordDeleteError):
            return None
        raise KeyringUnavailable(NO_KEYRING.format(why=_why(exc))) from None


def get_secret(profile: str, field: str) -> str | None:
    """The stored secret, or None if there is none."""
    return _call(lambda k, u: k.get_password(SERVICE, u), _username(profile, field))


def set_secret(profile: str, field: str, value: str | None) -> None:
    """Store (or, for an empty value, delete) a secret."""
    username = _username(profile, field)
    if value:
        _call(lambda k, u, v: k.set_password(SERVICE, u, v), username, value)
    else:
        delete_secret(profile, field)


def delete_secret(profile: str, field: str) -> None:
    """Remove a secret if present."""
    _call(lambda k, u: k.delete_password(SERVICE, u), _username(profile, field))


def delete_profile_secrets(profile: str) -> None:
    """Remove every secret of a profile."""
    for field in FIELDS:
        delete_secret(profile, field)
