"""A known secret, through the app and the CLI (list, share, an error): it appears in no
file they wrote and in nothing they printed."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid

from s3tui.services.config import Settings
from s3tui.services.profiles import Profile, ProfileStore
from s3tui.ui.app import Services, build_app
from s3tui.ui.messages import OpenBucket
from tests.ui.conftest import SIZE, settle


def cli(args, env):
    return subprocess.run(
        [sys.executable, "-m", "s3tui", *args], env=env, capture_output=True, text=True, timeout=60
    )


async def test_the_secret_is_nowhere(secret_service, seaweed, tmp_path, monkeypatch, capfd):
    secret = seaweed.secret_key
    monkeypatch.setenv("S3TUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("S3TUI_CONFIG", str(tmp_path / "config.toml"))
    name = f"leak-{os.getpid()}"
    bucket = f"leak-{uuid.uuid4().hex[:10]}"
    store = ProfileStore(tmp_path / "config.toml")
    await asyncio.to_thread(store.save, Profile(name, seaweed.access_key, seaweed.url), secret)
    async with seaweed.client() as client:
        await client.create_bucket(bucket)
        await client.put_object(bucket, "doc.pdf", b"%PDF")

    conn = await asyncio.to_thread(store.connection, name)
    app = build_app(
        Settings(), Services(conn, history_path=tmp_path / "data" / "h.sqlite3", profiles=store)
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)  # list buckets
        app.post_message(OpenBucket(bucket))
        await settle(pilot)
        await pilot.press("s")  # share doc.pdf
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        app.post_message(OpenBucket("no-such-bucket-" + uuid.uuid4().hex[:6]))  # error path
        await settle(pilot)
        await pilot.press("P")  # the profile list
        await pilot.pause()
        app.save_screenshot("app.svg", path=str(tmp_path))
        await pilot.press("escape")
        assert repr(conn).count(secret) == 0 and repr(app.client).count(secret) == 0

    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    printed = []
    for args in (
        ["profile", "list"],
        ["profile", "test", name],
        ["presign", "--profile", name, f"s3://{bucket}/doc.pdf"],
        ["presign", "--profile", name, "--check", f"s3://{bucket}/missing.pdf"],
    ):
        out = cli(args, env)
        printed += [out.stdout, out.stderr]
    assert "missing.pdf: No such object" in printed[-1]  # the error path ran
    captured = capfd.readouterr()
    printed += [captured.out, captured.err]

    assert all(secret not in text for text in printed)
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"config.toml", "h.sqlite3", "app.svg", "history.sqlite3"}
    assert [p for p in files if secret.encode() in p.read_bytes()] == []
    await asyncio.to_thread(store.remove, name)
