"""The seed document's examples, run against SeaweedFS with only the import changed."""

from __future__ import annotations

import json

from s3tui.s3 import S3Client
from tests.ui.share_ui_test import fetch


async def test_seed_upload_then_confirm_flow(seaweed, bucket_name):
    client = S3Client(
        access_key=seaweed.access_key,
        secret_key=seaweed.secret_key,
        region="us-east-1",
        endpoint_url=seaweed.url,
    )
    async with client:
        await client.create_bucket(bucket_name)
    # /api/get-upload-url: a PUT link with the type and the exact size signed
    body = b"\x89PNG fake image"
    upload_url = client.generate_presigned_url(
        method="PUT",
        bucket=bucket_name,
        key="uploads/2026/11/28/abc.png",
        expires_in=3600,
        params={"Content-Type": "image/png", "Content-Length": str(len(body))},
    )
    status, _ = await fetch("PUT", upload_url, data=body, headers={"Content-Type": "image/png"})
    assert status == 200
    # /api/confirm-upload: HEAD, read as a mapping as the seed does
    async with client:
        metadata = await client.head_object(bucket=bucket_name, key="uploads/2026/11/28/abc.png")
    assert metadata["content_length"] == len(body)
    assert metadata["content_type"] == "image/png"
    assert metadata["last_modified"]


async def test_seed_secure_share_and_batch_urls(seaweed, bucket_name):
    client = S3Client(
        access_key=seaweed.access_key, secret_key=seaweed.secret_key, endpoint_url=seaweed.url
    )
    files = ["reports/2024/january.pdf", "images/chart1.png", "data/raw-data.csv"]
    async with client:
        await client.create_bucket(bucket_name)
        for key in files:
            await client.put_object(bucket_name, key, key.encode())
    batch_urls = {}
    for file_key in files:  # the seed's per-type expiry
        if file_key.endswith(".pdf"):
            expires_in = 48 * 3600
        elif file_key.endswith(".png"):
            expires_in = 7 * 24 * 3600
        else:
            expires_in = 24 * 3600
        url = client.generate_presigned_url(
            method="GET",
            bucket=bucket_name,
            key=file_key,
            expires_in=expires_in,
            params={
                "response-content-disposition": f'attachment; filename="{file_key.split("/")[-1]}"'
            },
        )
        batch_urls[file_key] = {"url": url, "expires_in_hours": expires_in // 3600}
    assert json.loads(json.dumps(batch_urls))["images/chart1.png"]["expires_in_hours"] == 168
    for key, entry in batch_urls.items():
        assert await fetch("GET", entry["url"]) == (200, key.encode())
