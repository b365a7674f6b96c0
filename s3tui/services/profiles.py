"""s3tui profiles: settings in the TOML config, secrets in the OS keyring, never the file.

``[profiles.NAME]`` holds endpoint_url, region, addressing_style and access_key_id;
``active_profile`` names the one used by default. The secret access key and any session
token go to the keyring (see secrets.py). Keyring calls block: call these in a thread.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import tomli_w

from . import secrets
from .config import config_path
from .connection import Connection

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
STYLES = ("auto", "virtual", "path")


@dataclass
class Profile:
    """A named account and endpoint (no secret in here)."""

    name: str
    access_key_id: str
    endpoint_url: str = ""
    region: str = "us-east-1"
    addressing_style: str = "auto"

    def check(self) -> Profile:
        """Return self, or raise ValueError naming what is wrong."""
        if not _NAME.match(self.name):
            raise ValueError("a profile name is 1-64 letters, digits, '.', '_' or '-'")
        if not self.access_key_id.strip():
            raise ValueError("an access key id is required")
        if self.endpoint_url and not re.match(r"^https?://[^\s/]+", self.endpoint_url):
            raise ValueError(
                f"the endpoint must look like https://host[:port]; got {self.endpoint_url!r}"
            )
        if self.addressing_style not in STYLES:
            raise ValueError(f"addressing style must be one of {', '.join(STYLES)}")
        return self

    def table(self) -> dict[str, str]:
        """The TOML table for the config file (secrets are not fields of a Profile)."""
        out = {
            "access_key_id": self.access_key_id,
            "region": self.region or "us-east-1",
            "addressing_style": self.addressing_style,
        }
        if self.endpoint_url:
            out["endpoint_url"] = self.endpoint_url
        return out


@dataclass
class ProfileStore:
    """Profiles in the config file at ``path``."""

    path: Path = field(default_factory=config_path)

    def _load(self) -> dict:
        try:
            return tomllib.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ValueError(f"cannot read settings from {self.path}: {exc}") from None

    def _save(self, data: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            tomli_w.dump(data, fh)
        tmp.replace(self.path)

    def set_server_url(self, url: str) -> None:
        """Point the app at a share server (``[server] url``; the token is in the keyring)."""
        data = self._load()
        data.setdefault("server", {})["url"] = url
        self._save(data)

    def profiles(self) -> list[Profile]:
        """Every profile, by name."""
        tables = self._load().get("profiles", {})
        out = []
        for name, t in sorted(tables.items()):
            if isinstance(t, dict):
                out.append(
                    Profile(
                        name,
                        str(t.get("access_key_id", "")),
                        str(t.get("endpoint_url", "")),
                        str(t.get("region", "us-east-1")),
                        str(t.get("addressing_style", "auto")),
                    )
                )
        return out

    def get(self, name: str) -> Profile | None:
        """The profile called ``name``."""
        return next((p for p in self.profiles() if p.name == name), None)

    @property
    def active(self) -> str | None:
        """The name of the default profile, if set and present."""
        name = self._load().get("active_profile")
        return name if isinstance(name, str) and self.get(name) else None

    def set_active(self, name: str) -> None:
        """Make ``name`` the default profile."""
        data = self._load()
        data["active_profile"] = name
        self._save(data)

    def save(
        self, profile: Profile, secret_access_key: str | None, session_token: str | None = None
    ) -> None:
        """Add or replace a profile: secrets into the keyring first, then the file.

        A None secret keeps the stored one (editing other fields)."""
        profile.check()
        if secret_access_key is not None:
            if not secret_access_key.strip():
                raise ValueError("a secret access key is required")
            secrets.set_secret(profile.name, "secret_access_key", secret_access_key.strip())
            secrets.set_secret(profile.name, "session_token", (session_token or "").strip())
        elif secrets.get_secret(profile.name, "secret_access_key") is None:
            raise ValueError(f"profile {profile.name!r} has no secret access key yet")
        data = self._load()
        data.setdefault("profiles", {})[profile.name] = profile.table()
        data.setdefault("active_profile", profile.name)
        self._save(data)

    def remove(self, name: str) -> None:
        """Delete a profile and its secrets."""
        data = self._load()
        if name not in data.get("profiles", {}):
            raise ValueError(f"no profile named {name!r}")
        secrets.delete_profile_secrets(name)
        del data["profiles"][name]
        if data.get("active_profile") == name:
            rest = sorted(data["profiles"])
            if rest:
                data["active_profile"] = rest[0]
            else:
                data.pop("active_profile")
        self._save(data)

    def connection(self, name: str) -> Connection:
        """The connection for a profile, its secrets read from the keyring."""
        profile = self.get(name)
        if profile is None:
            raise ValueError(f"no profile named {name!r}")
        secret = secrets.get_secret(name, "secret_access_key")
        if not secret:
            raise ValueError(f"profile {name!r} has no secret in the keyring: edit it to set one")
        token = secrets.get_secret(name, "session_token")
        return Connection(
            name,
            profile.access_key_id,
            secret,
            profile.region or "us-east-1",
            profile.endpoint_url or None,
            token,
            profile.addressing_style,
        )
