"""``s3tui presign`` as a script runs it: a real process, real SeaweedFS, real output."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.ui.share_ui_test import fetch

S3TUI = [sys.executable, "-m", "s3tui"]


@pytest.fixture
def cli_env(seaweed, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DISPLAY"))}
    env |= {
        "AWS_ACCESS_KEY_ID": seaweed.access_key,
        "AWS_SECRET_ACCESS_KEY": seaweed.secret_key,
        "AWS_ENDPOINT_URL": seaweed.url,
        "S3TUI_CONFIG": str(tmp_path / "config.toml"),
        "S3TUI_DATA_DIR": str(tmp_path / "data"),
    }
    return env


@pytest.fixture
async def cli_bucket(seaweed):
    bucket = f"cli-{uuid.uuid4().hex[:10]}"
    async with seaweed.client() as client:
        await client.create_bucket(bucket)
        for key in ("reports/2024/january.pdf", "reports/2024/march.pdf", "images/chart1.png"):
            await client.put_object(bucket, key, f"bytes of {key}".encode())
    return bucket


async def presign(env, *args) -> subprocess.CompletedProcess:
    return await asyncio.to_thread(
        subprocess.run,
        [*S3TUI, "presign", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


async def test_lines_for_several_keys_work_and_follow_the_rules(cli_env, cli_bucket):
    out = await presign(
        cli_env,
        f"s3://{cli_bucket}/reports/2024/january.pdf",
        f"s3://{cli_bucket}/images/chart1.png",
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == 2
    assert "X-Amz-Expires=172800" in lines[0] and "X-Amz-Expires=604800" in lines[1]
    assert await fetch("GET", lines[0]) == (200, b"bytes of reports/2024/january.pdf")


async def test_recursive_json_like_the_seed(cli_env, cli_bucket):
    out = await presign(
        cli_env, f"s3://{cli_bucket}/reports/", "--recursive", "--expires", "2h", "--format", "json"
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert sorted(data) == ["reports/2024/january.pdf", "reports/2024/march.pdf"]
    assert data["reports/2024/march.pdf"]["expires_in_hours"] == 2
    assert await fetch("GET", data["reports/2024/march.pdf"]["url"]) == (
        200,
        b"bytes of reports/2024/march.pdf",
    )


async def test_put_and_post_links(cli_env, cli_bucket):
    out = await presign(cli_env, f"s3://{cli_bucket}/up/photo.jpg", "--method", "PUT")
    url = out.stdout.strip()
    assert (await fetch("PUT", url, data=b"x", headers={"Content-Type": "image/jpeg"}))[0] == 200
    out = await presign(
        cli_env, f"s3://{cli_bucket}/up/a.pdf", "--post", "--max-size", "1KB", "--format", "csv"
    )
    assert out.returncode == 0 and out.stdout.startswith("key,url,expires_at,expires_in\n")


async def test_inline_download_name(cli_env, cli_bucket):
    out = await presign(
        cli_env,
        f"s3://{cli_bucket}/reports/2024/january.pdf",
        "--download-name",
        "Janvier.pdf",
        "--inline",
        "--format",
        "markdown",
    )
    assert out.returncode == 0
    assert "inline%3B%20filename%3D%22Janvier.pdf%22" in out.stdout
    assert out.stdout.startswith("| file | link | expires |\n|---|---|---|\n| january.pdf |")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["bucket/key"], 2, "not an s3:// URI: 'bucket/key'"),
        (["s3://ok-bucket/k", "--expires", "8d"], 2, "longer than 7 days"),
        (["s3://ok-bucket/k", "--expires", "soon"], 2, "cannot read 'soon' as a duration"),
        (["s3://Bad Bucket/k"], 2, "invalid bucket name"),
        (["s3://ok-bucket/"], 2, "object key is empty"),
        (["s3://ok-bucket/k", "--max-size", "1MB"], 2, "add --post"),
        (["s3://ok-bucket/k", "--cloudfront", "cdn"], 2, "no [cloudfront.cdn] in the settings"),
    ],
)
async def test_bad_input_is_one_clear_line(cli_env, args, code, message):
    out = await presign(cli_env, *args)
    assert out.returncode == code
    assert out.stdout == ""
    assert out.stderr.count("\n") == 1 and message in out.stderr
    assert "Traceback" not in out.stderr


async def test_check_refuses_a_missing_object(cli_env, cli_bucket):
    out = await presign(cli_env, f"s3://{cli_bucket}/reports/missing.pdf", "--check")
    assert out.returncode == 1 and out.stdout == ""
    assert out.stderr == f"s3tui presign: s3://{cli_bucket}/reports/missing.pdf: No such object\n"
    ok = await presign(cli_env, f"s3://{cli_bucket}/reports/2024/march.pdf", "--check")
    assert ok.returncode == 0


async def test_links_are_recorded_in_the_history(cli_env, cli_bucket):
    await presign(cli_env, f"s3://{cli_bucket}/images/chart1.png")
    from s3tui.services.history import ShareHistory

    history = ShareHistory(Path(cli_env["S3TUI_DATA_DIR"]) / "history.sqlite3")
    assert [e.key for e in history.entries()] == ["images/chart1.png"]
    history.close()


async def test_no_credentials(cli_env):
    env = {k: v for k, v in cli_env.items() if not k.startswith("AWS_")}
    out = await presign(env, "s3://ok-bucket/k")
    assert out.returncode == 2 and "no credentials" in out.stderr
