"""A peek into an object before sharing it: the first 64 KiB by a ranged GET, never more.

Text is shown with control characters made visible (an object's bytes must not drive the
terminal); anything else as a hex dump of its start.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from s3tui.s3 import ObjectInfo, S3Client

from .text import visible

LIMIT = 64 * 1024
HEX_LIMIT = 4 * 1024
TEXT_TYPES = (
    "text/",
    "application/json",
    "application/xml",
    "application/x-yaml",
    "application/yaml",
    "application/javascript",
    "application/x-ndjson",
)
TEXT_SUFFIXES = {
    ".txt",
    ".csv",
    ".tsv",
    ".json",
    ".md",
    ".log",
    ".yaml",
    ".yml",
    ".xml",
    ".html",
    ".py",
    ".js",
    ".ts",
    ".toml",
    ".ini",
    ".cfg",
    ".sql",
    ".sh",
    ".ndjson",
    ".jsonl",
}
COMPRESSED = {".gz", ".zip", ".bz2", ".xz", ".zst", ".7z", ".tgz"}


@dataclass(frozen=True)
class Preview:
    """What to show: text (already safe to display) or a hex dump, and how much was read."""

    kind: str  # "text" | "hex"
    body: str
    fetched: int  # bytes actually downloaded
    total: int  # the object's size
    lexer: str  # a Pygments lexer name for text ("text" if none)

    @property
    def truncated(self) -> bool:
        """True when the object is longer than what was read."""
        return self.fetched < self.total


def looks_textual(data: bytes, content_type: str, key: str) -> bool:
    """Decide text or binary from the type, the name and the bytes themselves."""
    suffix = PurePosixPath(key).suffix.lower()
    if suffix in COMPRESSED or "gzip" in content_type or "zip" in content_type:
        return False
    if b"\x00" in data[:8192]:
        return False
    declared = content_type.startswith(TEXT_TYPES) or suffix in TEXT_SUFFIXES
    try:
        data[:8192].decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(data[:8192]) - 4:  # a cut multi-byte char at the end is fine
            return False
    return declared or not content_type.startswith(
        ("image/", "video/", "audio/", "application/pdf")
    )


def hex_dump(data: bytes) -> str:
    """Offset, 16 bytes in hex, and their printable ASCII, one line per 16 bytes."""
    lines = []
    for offset in range(0, len(data), 16):
        chunk = data[offset : offset + 16]
        hexes = " ".join(f"{b:02x}" for b in chunk)
        text = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
        lines.append(f"{offset:08x}  {hexes:<47}  {text}")
    return "\n".join(lines)


def lexer_for(key: str) -> str:
    """A Pygments lexer name for the key's extension ('text' when unknown)."""
    try:
        from pygments.lexers import get_lexer_for_filename
        from pygments.util import ClassNotFound
    except ImportError:
        return "text"
    try:
        return get_lexer_for_filename(PurePosixPath(key).name).aliases[0]
    except (ClassNotFound, IndexError):
        return "text"


async def preview(client: S3Client, bucket: str, key: str, info: ObjectInfo) -> Preview:
    """Fetch at most 64 KiB of the object's start and prepare it for display."""
    data = b""
    if info.content_length:
        last = min(info.content_length, LIMIT) - 1
        chunks: list[bytes] = []
        received = 0
        async with client.get_object(bucket, key, range=(0, last)) as obj:
            async for chunk in obj.iter_chunks(16 * 1024):
                chunks.append(chunk)
                received += len(chunk)
                if received >= LIMIT:  # a server that ignores Range: stop reading anyway
                    break
        data = b"".join(chunks)[:LIMIT]
    if looks_textual(data, info.content_type, key):
        text = data.decode("utf-8", "replace").replace("\r\n", "\n")
        safe = "\n".join(visible(line).replace("␉", "    ") for line in text.split("\n"))
        return Preview("text", safe, len(data), info.content_length, lexer_for(key))
    return Preview("hex", hex_dump(data[:HEX_LIMIT]), len(data), info.content_length, "text")
