"""Regenerate screenshots/*.svg from the app factory and fixed data (never by hand).

Run: python scripts/screenshots.py
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["TZ"] = "UTC"
time.tzset()

from s3tui.services.config import Settings  # noqa: E402
from s3tui.services.connection import Connection  # noqa: E402
from s3tui.ui.app import Services, build_app  # noqa: E402
from s3tui.ui.messages import OpenBucket  # noqa: E402
from tests.support.fixed_s3 import FixedS3, FixedS3Thread  # noqa: E402
from tests.support.transfers_demo import fill_transfers  # noqa: E402

OUT = ROOT / "screenshots"
NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
PORT = 28538
# name → (bucket or None for the buckets screen, prefix, keys to press)
SHOTS = {
    "01-buckets": (None, "", []),
    "02-objects": ("report-sharing", "", []),
    "03-reports-filtered": ("report-sharing", "reports/2024/", ["slash", "m", "a", "r"]),
    "04-details": ("report-sharing", "reports/2024/", ["end", "i"]),
    "05-marked-sorted": ("report-sharing", "reports/2024/", ["o", "home", "space", "space"]),
    "06-untrusted-names": ("report-sharing", "odd names/", []),
    "07-big-prefix": ("report-sharing", "big/", ["pagedown"]),
    "08-access-denied": ("forbidden-bucket", "", []),
    "09-help": ("report-sharing", "", ["question_mark"]),
    "10-share-download": ("report-sharing", "reports/2024/", ["end", "s"]),
    "11-share-batch": ("report-sharing", "reports/2024/", ["space", "space", "space", "s"]),
    "12-transfers": ("report-sharing", "reports/2024/", ["fill-transfers"]),
}


async def shoot(endpoint: str, name: str, bucket: str | None, prefix: str, keys: list[str]) -> None:
    conn = Connection("demo", "fixed-key", "fixed-secret", "us-east-1", endpoint)
    history = OUT / ".history.sqlite3"  # thrown away below: screenshots leave no ledger
    app = build_app(Settings(), Services(conn, history_path=history, clock=lambda: NOW))
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        if bucket:
            app.post_message(OpenBucket(bucket, prefix))
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
        for key in keys:
            if key == "fill-transfers":  # a batch in every state, on a fixed clock
                fill_transfers(app)
            else:
                await pilot.press(key)
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.save_screenshot(f"{name}.svg", path=str(OUT))
    for leftover in OUT.glob(".history.sqlite3*"):
        leftover.unlink()


def main() -> None:
    OUT.mkdir(exist_ok=True)
    server = FixedS3Thread(FixedS3(), port=PORT).start()
    try:
        for name, (bucket, prefix, keys) in SHOTS.items():
            asyncio.run(shoot(server.url, name, bucket, prefix, keys))
            print(f"screenshots/{name}.svg")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
