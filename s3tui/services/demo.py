"""``s3tui --demo``: an embedded SeaweedFS seeded with the seed document's examples.

The data directory is seeded once and reused. Credentials are fresh random values each
run, passed to the server by environment: nothing secret is written to disk. The large
``big/`` prefix is seeded in the background on the first run, so the app opens at once.
"""

from __future__ import annotations

import asyncio
import secrets
import struct
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from s3tui.s3 import S3Client

from .connection import Connection
from .seaweed import SeaweedServer

SEED_VERSION = "2"
BIG_PREFIX = "big/"
BIG_COUNT = 20_000


def _png(width: int = 2, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\xff\x80\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _pdf(title: str) -> bytes:
    text = title.encode("latin-1", "replace")
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% " + text + b"\n%%EOF\n"
    )


MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
CSV = b"date,region,revenue\n2024-01-01,eu,1200\n2024-01-02,us,1350\n2024-01-03,apac,990\n"

# bucket → [(key, bytes, content type)], after the seed document's own examples
DEMO_OBJECTS: dict[str, list[tuple[str, bytes, str]]] = {
    "report-sharing": [
        *[
            (f"reports/2024/{m}.pdf", _pdf(f"{m} report"), "application/pdf")
            for m in ("january", "february", "march", "april")
        ],
        ("images/chart1.png", _png(), "image/png"),
        ("images/chart2.png", _png(3, 3), "image/png"),
        ("data/raw-data.csv", CSV, "text/csv"),
        ("odd names/résumé 2024 (final).pdf", _pdf("resume"), "application/pdf"),
        ("odd names/日本語のファイル.txt", "こんにちは\n".encode(), "text/plain; charset=utf-8"),
        ("odd names/[bold]markup[/] looking.txt", b"[red]not markup[/red]\n", "text/plain"),
        ("odd names/[reverse]not inverted.txt", b"[reverse]plain text\n", "text/plain"),
        ("odd names/plus+and space.txt", b"plus and space\n", "text/plain"),
        ("odd names/escape \x1b[2J clear.txt", b"control characters in the key\n", "text/plain"),
    ],
    "secure-documents": [
        ("public-documents/newsletter.pdf", _pdf("newsletter"), "application/pdf"),
        ("confidential/financial-report.pdf", _pdf("financial report"), "application/pdf"),
        ("temp-files/meeting-recording.mp4", MP4, "video/mp4"),
    ],
    "user-uploads": [],
}
BIG_BUCKET = "report-sharing"


def big_key(i: int) -> str:
    """Key of the i-th object under big/."""
    return f"{BIG_PREFIX}{i:05d}-measurement.csv"


async def seed_small(client: S3Client) -> None:
    """Create the demo buckets and their few objects (idempotent)."""
    existing = {b.name for b in await client.list_buckets()}
    for bucket, objects in DEMO_OBJECTS.items():
        if bucket not in existing:
            await client.create_bucket(bucket)
        for key, data, content_type in objects:
            await client.put_object(bucket, key, data, content_type=content_type)


async def seed_big(
    client: S3Client, count: int = BIG_COUNT, stop: threading.Event | None = None
) -> bool:
    """Put ``count`` small CSV objects under big/; False if stopped before the end."""
    queue = iter(range(count))
    stopped = False

    async def worker() -> None:
        nonlocal stopped
        for i in queue:
            if stop is not None and stop.is_set():
                stopped = True
                return
            body = f"n,value\n{i},{i * 7 % 1000}\n".encode()
            await client.put_object(BIG_BUCKET, big_key(i), body, content_type="text/csv")

    await asyncio.gather(*(worker() for _ in range(32)))
    return not stopped


@dataclass
class Demo:
    """A running demo endpoint and the connection to use it."""

    server: SeaweedServer
    connection: Connection
    seeding: threading.Thread | None
    stop_seeding: threading.Event


def _marker(data: Path) -> Path:
    return data / f"seeded-v{SEED_VERSION}"


@contextmanager
def run_demo(data: Path, big_count: int = BIG_COUNT) -> Iterator[Demo]:
    """Start SeaweedFS on ``data``, seed what is missing, yield, then stop everything."""
    access = "demo-" + secrets.token_hex(6)
    secret = secrets.token_urlsafe(24)
    server = SeaweedServer.start(data / "seaweed", access, secret)
    conn = Connection("demo", access, secret, "us-east-1", server.endpoint_url)
    stop = threading.Event()
    thread = None
    try:
        if not _marker(data).exists():
            asyncio.run(_with_client(conn, seed_small))

            def background() -> None:
                async def seed(client: S3Client) -> bool:
                    return await seed_big(client, big_count, stop)

                try:
                    if asyncio.run(_with_client(conn, seed)):
                        _marker(data).write_text("ok\n")
                except Exception:
                    pass

            thread = threading.Thread(target=background, name="demo-seed", daemon=True)
            thread.start()
        yield Demo(server, conn, thread, stop)
    finally:
        stop.set()
        if thread is not None:
            thread.join(timeout=10)
        server.stop()


async def _with_client(conn: Connection, fn):
    async with conn.client(max_connections=64) as client:
        return await fn(client)
