"""Every kind of link does what it says and nothing more, judged by SeaweedFS."""

from __future__ import annotations

import asyncio
import subprocess
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
from yarl import URL

from s3tui.services.share import (
    Kind,
    ShareOptions,
    content_disposition,
    curl_command,
    make_link,
    sanitize_upload_name,
)


async def fetch(method, url, *, data=None, headers=None):
    async with (
        aiohttp.ClientSession() as session,
        session.request(method, URL(url, encoded=True), data=data, headers=headers or {}) as resp,
    ):
        return resp.status, await resp.read(), dict(resp.headers)


async def sh(command: str, cwd) -> None:
    """Run a copied command line as a user would paste it into a shell."""
    await asyncio.to_thread(
        subprocess.run, command, shell=True, check=True, cwd=cwd, capture_output=True
    )


async def post_form(link, body: bytes, content_type: str):
    form = aiohttp.FormData()
    for k, v in link.form_fields.items():
        form.add_field(k, v)
    form.add_field("file", body, filename="upload.bin", content_type=content_type)
    async with aiohttp.ClientSession() as session, session.post(link.url, data=form) as resp:
        return resp.status, await resp.text()


async def test_download_link_gives_the_bytes_with_the_disposition(seaweed_bucket):
    client, bucket = seaweed_bucket
    body = b"%PDF-1.4 january"
    await client.put_object(
        bucket, "reports/2024/january.pdf", body, content_type="application/pdf"
    )
    link = make_link(
        client,
        bucket,
        "reports/2024/january.pdf",
        ShareOptions(expires_in=3600, download_name="Janvier – résumé.pdf"),
    )
    status, data, headers = await fetch("GET", link.url)
    assert (status, data) == (200, body)
    assert headers["Content-Disposition"] == content_disposition("Janvier – résumé.pdf")
    status, _, _ = await fetch("PUT", link.url, data=b"overwrite?")  # a GET link is not a PUT
    assert status == 403
    assert await client.get_object_bytes(bucket, "reports/2024/january.pdf") == body


async def test_upload_link_accepts_only_its_type_and_its_key(seaweed_bucket):
    client, bucket = seaweed_bucket
    key = "uploads/" + sanitize_upload_name("../My Photo.JPG")
    link = make_link(client, bucket, key, ShareOptions(kind=Kind.UPLOAD, expires_in=1800))
    assert link.headers == {"Content-Type": "image/jpeg"}
    status, _, _ = await fetch("PUT", link.url, data=b"x", headers={"Content-Type": "text/html"})
    assert status == 403
    other = link.url.replace("My%20Photo.JPG", "other.JPG")
    assert (await fetch("PUT", other, data=b"x", headers=link.headers))[0] == 403
    status, _, _ = await fetch("PUT", link.url, data=b"\xff\xd8jpeg", headers=link.headers)
    assert status == 200
    assert (await client.head_object(bucket, key)).content_type == "image/jpeg"
    assert (await fetch("GET", link.url))[0] == 403  # a PUT link does not read


async def test_upload_form_caps_the_size_and_fixes_the_type(seaweed_bucket):
    client, bucket = seaweed_bucket
    link = make_link(
        client,
        bucket,
        "forms/report.pdf",
        ShareOptions(kind=Kind.UPLOAD_FORM, max_size=1000, expires_in=600),
    )
    status, text = await post_form(link, b"%PDF" + b"x" * 2000, "application/pdf")
    assert status == 400 and "EntityTooLarge" in text
    status, _ = await post_form(link, b"%PDF small", "application/pdf")
    assert status == 204
    info = await client.head_object(bucket, "forms/report.pdf")
    assert (info.content_length, info.content_type) == (10, "application/pdf")


async def test_expired_and_tampered_links_are_refused(seaweed_bucket):
    client, bucket = seaweed_bucket
    await client.put_object(bucket, "a.txt", b"A")
    old = make_link(
        client,
        bucket,
        "a.txt",
        ShareOptions(expires_in=60),
        now=datetime.now(UTC) - timedelta(minutes=5),
    )
    assert (await fetch("GET", old.url))[0] == 403
    fresh = make_link(client, bucket, "a.txt", ShareOptions(expires_in=60))
    assert (await fetch("GET", fresh.url))[:2] == (200, b"A")
    tampered = fresh.url.replace("X-Amz-Expires=60", "X-Amz-Expires=6000")
    assert (await fetch("GET", tampered))[0] == 403


@pytest.mark.skipif(
    subprocess.run(["which", "curl"], capture_output=True).returncode != 0,
    reason="curl is not installed",
)
async def test_copied_curl_commands_work(seaweed_bucket, tmp_path):
    client, bucket = seaweed_bucket
    await client.put_object(bucket, "docs/a b.txt", b"curl me")
    get = make_link(client, bucket, "docs/a b.txt", ShareOptions(expires_in=300))
    await sh(curl_command(get), tmp_path)
    assert (tmp_path / "a b.txt").read_bytes() == b"curl me"
    (tmp_path / "new.csv").write_bytes(b"a,b\n")
    put = make_link(client, bucket, "docs/new.csv", ShareOptions(kind=Kind.UPLOAD, expires_in=300))
    await sh(curl_command(put), tmp_path)
    assert (await client.head_object(bucket, "docs/new.csv")).content_type == "text/csv"
    (tmp_path / "f.pdf").write_bytes(b"%PDF form")
    form = make_link(
        client,
        bucket,
        "docs/f.pdf",
        ShareOptions(kind=Kind.UPLOAD_FORM, max_size=100, expires_in=300),
    )
    await sh(curl_command(form), tmp_path)
    assert await client.get_object_bytes(bucket, "docs/f.pdf") == b"%PDF form"
