"""The upload page in a real headless Chromium (Playwright), uploading straight to SeaweedFS."""

from __future__ import annotations

import re

import pytest
from playwright import async_api as playwright

from s3tui.s3 import S3Client

CHROMIUM = "/usr/bin/chromium"  # Debian's; `playwright install` is never run
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
async def page():
    async with playwright.async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield await browser.new_page()
        finally:
            await browser.close()


async def upload(page, serve, name: str, mime: str, body: bytes) -> str:
    """Open /upload, pick the file, send it; the text the page ends with."""
    await page.goto(f"{serve.url}/upload")
    await page.fill("#token", serve.token)
    await page.set_input_files("#file", files=[{"name": name, "mimeType": mime, "buffer": body}])
    await page.click("#send")
    # a locator, not wait_for_function: the page's CSP (rightly) forbids the eval that uses
    final = re.compile(r"^(Uploaded|Not uploaded)")
    await page.locator("#result", has_text=final).wait_for(timeout=20_000)
    return await page.text_content("#result")


async def uploaded_keys(client: S3Client, bucket: str) -> list[str]:
    return [o.key async for p in client.list_objects(bucket, "uploads/", "") for o in p.objects]


async def test_a_picked_file_goes_to_the_bucket_with_its_type(serve, page, seaweed):
    body = b"\x89PNG\r\n\x1a\n" + bytes(range(200))
    result = await upload(page, serve, "cat photo.png", "image/png", body)
    assert result.startswith("Uploaded uploads/"), result
    assert "208 bytes, image/png" in result
    assert await page.get_attribute("#progress", "value") == "100"
    assert (await page.text_content("#percent")) == "100 %"
    async with seaweed.client() as client:
        (key,) = await uploaded_keys(client, serve.bucket)
        assert key.endswith(".png") and key in result
        info = await client.head_object(serve.bucket, key)
        assert info.content_type == "image/png"
        assert await client.get_object_bytes(serve.bucket, key) == body


async def test_a_disallowed_type_is_refused_and_the_page_says_why(serve, page, seaweed):
    result = await upload(page, serve, "setup.exe", "application/x-msdownload", b"MZ" * 10)
    assert result.startswith("Not uploaded") and "not accepted" in result
    big = await upload(page, serve, "big.png", "image/png", b"\x89PNG" + b"\0" * 4096)
    assert big.startswith("Not uploaded") and "at most 1,024 bytes" in big
    async with seaweed.client() as client:
        assert await uploaded_keys(client, serve.bucket) == []
