"""Non-secret settings from a TOML file (``S3TUI_CONFIG`` or the user's config dir)."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

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
        return settings
