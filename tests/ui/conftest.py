"""Fixtures for driving the real app headless (App.run_test) against real endpoints."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from s3tui.services.config import Settings
from s3tui.services.connection import Connection
from s3tui.ui.app import S3TuiApp, Services, build_app
from tests.support.fixed_s3 import FixedS3, FixedS3Thread

PDF = b"%PDF-1.4 january report"
SNAPSHOT_PORT = 28537  # fixed so the endpoint shown in the header is the same every run
SIZE = (120, 36)


FIXED_NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def make_app(
    endpoint: str,
    *,
    access_key: str = "fixed-key",
    secret_key: str = "fixed-secret",
    settings: Settings | None = None,
    label: str = "test",
    history_path: Path | None = None,
    fixed_clock: bool = False,
) -> S3TuiApp:
    """The app as users get it, from the one factory, on ``endpoint``."""
    conn = Connection(label, access_key, secret_key, "us-east-1", endpoint)
    clock = (lambda: FIXED_NOW) if fixed_clock else None
    return build_app(settings or Settings(), Services(conn, history_path=history_path, clock=clock))


@pytest.fixture(scope="session")
def fixed_s3() -> Iterator[FixedS3Thread]:
    """Fixed data with fixed dates on a fixed loopback port (for snapshots)."""
    server = FixedS3Thread(FixedS3(), port=SNAPSHOT_PORT).start()
    yield server
    server.stop()


async def settle(pilot) -> None:
    """Wait until every worker is done and the screen has caught up."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def static_text(app, static) -> str:
    """The plain text a Static shows (tables included), as rendered by the app's console."""
    return "".join(seg.text for seg in app.console.render(static.content))


@pytest.fixture
async def share_world(seaweed, tmp_path):
    """A SeaweedFS bucket with reports/2024/{january.pdf,chart.png}; history in tmp."""
    bucket = f"share-{uuid.uuid4().hex[:10]}"
    async with seaweed.client() as client:
        await client.create_bucket(bucket)
        await client.put_object(bucket, "reports/2024/january.pdf", PDF,
                                content_type="application/pdf")  # fmt: skip
        await client.put_object(
            bucket, "reports/2024/chart.png", b"\x89PNG", content_type="image/png"
        )
    return seaweed, bucket, tmp_path / "history.sqlite3"
