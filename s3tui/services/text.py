"""Untrusted text from a bucket made safe to show: control characters become visible."""

from __future__ import annotations

import re

# C0/C1 controls, DEL, and the bidi controls that can make text lie about its order.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _show(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟ (control pictures): ESC is ␛, LF is ␊
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def visible(text: str) -> str:
    """Return ``text`` with every control or bidi character replaced by a visible stand-in."""
    return _UNSAFE.sub(_show, text)


def human_size(size: int) -> str:
    """1536 → '1.5 KiB'; bytes below 1 KiB are shown exactly."""
    if size < 1024:
        return f"{size} B"
    value = float(size)
    for unit in ("KiB", "MiB", "GiB", "TiB", "PiB"):
        value /= 1024
        if value < 1024 or unit == "PiB":
            return f"{value:.1f} {unit}"
    raise AssertionError("unreachable")
