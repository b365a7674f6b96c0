"""Link lifetimes: presets, typed durations ('90m', '2h', '3d', '1w') and per-type rules."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

MAX_SIGV4 = 7 * 24 * 3600
PRESETS: tuple[tuple[str, int], ...] = (
    ("5 min", 300),
    ("15 min", 900),
    ("1 h", 3600),
    ("6 h", 6 * 3600),
    ("24 h", 24 * 3600),
    ("7 d", MAX_SIGV4),
)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_PART = re.compile(r"(\d+)\s*([smhdw])", re.IGNORECASE)


def parse_duration(text: str) -> int:
    """'90m' → 5400; '1h30m', '3d', '1w', '45s' or plain seconds; ValueError says why not."""
    raw = str(text).strip().lower().replace(" ", "")
    if not raw:
        raise ValueError("give a duration such as 90m, 2h, 3d or 1w")
    if raw.isdigit():
        seconds = int(raw)
    else:
        parts = _PART.findall(raw)
        if not parts or "".join(n + u for n, u in parts) != raw:
            raise ValueError(f"cannot read {text!r} as a duration: use e.g. 90m, 2h, 3d or 1w")
        seconds = sum(int(n) * _UNITS[u] for n, u in parts)
    if seconds < 1:
        raise ValueError("a link must live at least 1 second")
    return seconds


def check_link_expiry(seconds: int) -> int:
    """Refuse what a SigV4 presigned link cannot do (over 7 days), saying why."""
    if seconds > MAX_SIGV4:
        raise ValueError(
            f"{describe(seconds)} is longer than 7 days, the most a presigned S3 link can "
            "live (AWS SigV4 limit); use 7d or less, or a managed link"
        )
    if seconds < 1:
        raise ValueError("a link must live at least 1 second")
    return seconds


def describe(seconds: int) -> str:
    """5400 → '1h30m'; 604800 → '7d'."""
    out, rest = [], int(seconds)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if rest >= size:
            out.append(f"{rest // size}{unit}")
            rest %= size
    return "".join(out) or "0s"


@dataclass
class ExpiryRules:
    """Default lifetime per file type (the seed's example: .pdf 48 h, .png 7 d, else 24 h)."""

    default: int = 24 * 3600
    by_suffix: dict[str, int] = field(
        default_factory=lambda: {".pdf": 48 * 3600, ".png": 7 * 86400}
    )

    def for_key(self, key: str) -> int:
        """The lifetime for ``key`` by its extension (case-insensitive)."""
        suffix = PurePosixPath(key).suffix.lower()
        return self.by_suffix.get(suffix, self.default)

    @classmethod
    def from_mapping(cls, raw: dict) -> ExpiryRules:
        """From a ``[share.expiry]`` table: ``default = "24h"``, ``".pdf" = "48h"``…"""
        rules = cls()
        if not raw:
            return rules
        rules.by_suffix = {}
        for name, value in raw.items():
            seconds = check_link_expiry(parse_duration(str(value)))
            if name == "default":
                rules.default = seconds
            else:
                suffix = name if name.startswith(".") else f".{name}"
                rules.by_suffix[suffix.lower()] = seconds
        return rules
