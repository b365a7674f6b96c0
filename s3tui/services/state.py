"""Small things remembered between runs (the last download folder); not settings."""

from __future__ import annotations

import json
import os
from pathlib import Path

from .config import data_dir


def default_state_path() -> Path:
    """<data dir>/state.json."""
    return data_dir() / "state.json"


def load_state(path: Path) -> dict[str, str]:
    """What was remembered; an unreadable file is as good as none."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in raw.items() if isinstance(v, str)} if isinstance(raw, dict) else {}


def remember(path: Path, **values: str) -> None:
    """Merge ``values`` into the file (written whole, then renamed into place)."""
    state = load_state(path) | values
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(json.dumps(state, indent=1), encoding="utf-8")
    tmp.replace(path)
