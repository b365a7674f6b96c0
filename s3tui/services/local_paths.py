"""Where an object key may land on this disk: always inside the chosen folder.

Keys are untrusted: ``../../etc/x``, ``/abs``, backslashes, NUL, Windows device names and
over-long names are mapped to safe relative paths, and the caller is told when a name had
to change.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

_BAD_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"|?*\\]')
_DEVICES = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}
MAX_SEGMENT_BYTES = 255


@dataclass(frozen=True)
class LocalTarget:
    """A key's safe place under the destination, and whether its name changed."""

    key: str
    path: Path
    renamed: bool


def _segment(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = _BAD_CHARS.sub("_", text).strip(" ")
    if text in ("", ".", ".."):
        return "_"
    text = text.rstrip(".") or "_"  # Windows drops trailing dots; keep names stable
    if text.split(".", 1)[0].lower() in _DEVICES:
        text = "_" + text
    encoded = text.encode("utf-8")
    if len(encoded) > MAX_SEGMENT_BYTES:
        suffix = PurePosixPath(text).suffix
        suffix = suffix if len(suffix.encode()) <= 16 else ""
        keep = MAX_SEGMENT_BYTES - len(suffix.encode())
        text = encoded[:keep].decode("utf-8", "ignore") + suffix
    return text


def relative_path(key: str, strip_prefix: str = "") -> PurePosixPath:
    """The safe relative path for ``key`` (``strip_prefix`` removed first)."""
    rest = key[len(strip_prefix) :] if strip_prefix and key.startswith(strip_prefix) else key
    parts = [p for p in rest.replace("\\", "/").split("/") if p != ""]
    segments = [_segment(p) for p in parts] or ["_"]
    return PurePosixPath(*segments)


def target_for(destination: Path, key: str, strip_prefix: str = "") -> LocalTarget:
    """Map ``key`` under ``destination``; it can never point outside it."""
    root = destination.resolve()
    rel = relative_path(key, strip_prefix)
    path = (root / rel).resolve()
    if path != root and root not in path.parents:  # a symlink inside the folder, say
        raise ValueError(f"{key!r} would land outside {root}")
    natural = key[len(strip_prefix) :] if strip_prefix and key.startswith(strip_prefix) else key
    return LocalTarget(key, path, str(rel) != natural)
