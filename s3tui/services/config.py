"""Non-secret settings from a TOML file (``S3TUI_CONFIG`` or the user's config dir)."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

from .cloudfront import CloudFrontConfig
from .expiry import ExpiryRules, parse_duration

APP = "s3tui"


def config_path() -> Path:
    """Where settings live: $S3TUI_CONFIG, else <user config dir>/s3tui/config.toml."""
    override = os.environ.get("S3TUI_CONFIG")
    return Path(override) if override else Path(user_config_dir(APP)) / "config.toml"


def data_dir() -> Path:
    """The user's data directory for s3tui (demo data, history)."""
    override = os.environ.get("S3TUI_DATA_DIR")
    return Path(override) if override else Path(user_data_dir(APP))


@dataclass
class Settings:
    """What the user may set; every field has a sensible default."""

    page_size: int = 1000
    keymap: dict[str, str] = field(default_factory=dict)  # binding id → keys
    theme: str = "textual-dark"
    expiry: ExpiryRules = field(default_factory=ExpiryRules)
    history_max_age: int = 30 * 86400  # expired links are purged after this long
    cloudfront: dict[str, CloudFrontConfig] = field(default_factory=dict)
    server_url: str = ""  # a running `s3tui serve` for managed links ([server] url)

    def cloudfront_for(self, bucket: str) -> CloudFrontConfig | None:
        """The distribution configured in front of ``bucket``, if any."""
        return next((cf for cf in self.cloudfront.values() if cf.bucket == bucket), None)

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        """Read the TOML file; a missing file gives defaults, a broken one raises ValueError."""
        path = path or config_path()
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ValueError(f"cannot read settings from {path}: {exc}") from None
        ui = raw.get("ui", {})
        settings = cls()
        if isinstance(ui.get("page_size"), int) and 1 <= ui["page_size"] <= 1000:
            settings.page_size = ui["page_size"]
        if isinstance(ui.get("theme"), str):
            settings.theme = ui["theme"]
        keymap = raw.get("keymap", {})
        if isinstance(keymap, dict):
            settings.keymap = {str(k): str(v) for k, v in keymap.items() if isinstance(v, str)}
        share = raw.get("share", {})
        try:
            if isinstance(share.get("expiry"), dict):
                settings.expiry = ExpiryRules.from_mapping(share["expiry"])
            if "history_max_age" in share:
                settings.history_max_age = parse_duration(str(share["history_max_age"]))
        except ValueError as exc:
            raise ValueError(f"{path}: [share] {exc}") from None
        server = raw.get("server", {})
        if isinstance(server, dict) and isinstance(server.get("url"), str):
            if not server["url"].startswith(("http://", "https://")):
                raise ValueError(f"{path}: [server] url must start with http:// or https://")
            settings.server_url = server["url"]
        for name, table in raw.get("cloudfront", {}).items():
            if not isinstance(table, dict) or not table.get("domain"):
                raise ValueError(f"{path}: [cloudfront.{name}] needs a domain")
            settings.cloudfront[name] = CloudFrontConfig(
                name=name,
                domain=str(table["domain"]),
                bucket=str(table.get("bucket", "")),
                key_pair_id=str(table.get("key_pair_id", "")),
                private_key_path=str(table.get("private_key_path", "")),
            )
        return settings
