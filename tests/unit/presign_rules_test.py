"""Presign inputs: addressing, parameter sorting, expiry bounds, bad names."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from s3tui.s3 import InvalidBucketName, InvalidKey, S3Client
from s3tui.s3.addressing import Endpoint, locate

WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def presign(client: S3Client, *args, **kwargs) -> str:
    return client.generate_presigned_url(*args, now=WHEN, **kwargs)


@pytest.mark.parametrize(
    ("region", "bucket", "expected"),
    [
        ("us-east-1", "my-bucket", "https://my-bucket.s3.amazonaws.com/a/b.txt"),
        ("eu-west-1", "my-bucket", "https://my-bucket.s3.eu-west-1.amazonaws.com/a/b.txt"),
        ("us-east-1", "my.dotted.bucket", "https://s3.amazonaws.com/my.dotted.bucket/a/b.txt"),
        ("eu-west-1", "my.dotted", "https://s3.eu-west-1.amazonaws.com/my.dotted/a/b.txt"),
        ("cn-north-1", "cnbucket", "https://cnbucket.s3.cn-north-1.amazonaws.com.cn/a/b.txt"),
        ("us-east-1", "Legacy_Bucket", "https://s3.amazonaws.com/Legacy_Bucket/a/b.txt"),
    ],
)
def test_aws_addressing(region, bucket, expected):
    url = presign(S3Client("AK", "SK", region=region), "GET", bucket, "a/b.txt")
    assert url.split("?")[0] == expected


def test_custom_endpoints_use_path_style_and_keep_port_and_scheme():
    client = S3Client("AK", "SK", endpoint_url="http://127.0.0.1:9000/")
    assert presign(client, "GET", "bkt", "k").startswith("http://127.0.0.1:9000/bkt/k?")
    client = S3Client("AK", "SK", endpoint_url="https://minio.example.com:443")
    assert presign(client, "GET", "bkt", "k").startswith("https://minio.example.com/bkt/k?")
    virtual = S3Client(
        "AK", "SK", endpoint_url="https://r2.example.com", addressing_style="virtual"
    )
    assert presign(virtual, "GET", "bkt", "k").startswith("https://bkt.r2.example.com/k?")


def test_endpoint_base_path_is_kept():
    loc = locate("b", "k", region="x", endpoint=Endpoint.parse("https://h.example/s3/"))
    assert loc.url() == "https://h.example/s3/b/k"


@pytest.mark.parametrize(
    ("key", "path"),
    [
        ("a b+c.txt", "/a%20b%2Bc.txt"),
        ("dir//x", "/dir//x"),
        ("../etc/passwd", "/../etc/passwd"),
        ("tilde~ok", "/tilde~ok"),
        ("résumé.pdf", "/r%C3%A9sum%C3%A9.pdf"),
        ("[bold]x[/]", "/%5Bbold%5Dx%5B/%5D"),
        ("q?#&=", "/q%3F%23%26%3D"),
    ],
)
def test_keys_are_encoded_as_aws_requires(key, path):
    url = presign(S3Client("AK", "SK", region="us-east-1"), "GET", "bkt", key)
    assert urlsplit(url).path == path


def test_query_and_header_params_are_sorted_apart():
    url = presign(
        S3Client("AK", "SK"),
        "PUT",
        "bkt",
        "up/photo.jpg",
        params={"Content-Type": "image/jpeg", "x-amz-meta-owner": "u1", "Content-Length": 10},
    )
    q = parse_qs(urlsplit(url).query)
    assert q["X-Amz-SignedHeaders"] == ["content-length;content-type;host;x-amz-meta-owner"]
    assert "Content-Type" not in q
    url = presign(
        S3Client("AK", "SK"),
        "GET",
        "bkt",
        "doc.pdf",
        params={"response-content-disposition": 'attachment; filename="doc.pdf"'},
    )
    q = parse_qs(urlsplit(url).query)
    assert q["response-content-disposition"] == ['attachment; filename="doc.pdf"']
    assert q["X-Amz-SignedHeaders"] == ["host"]


def test_session_token_is_in_the_signed_query():
    url = presign(S3Client("AK", "SK", session_token="TOKEN/+="), "GET", "bkt", "k")
    assert parse_qs(urlsplit(url).query)["X-Amz-Security-Token"] == ["TOKEN/+="]


@pytest.mark.parametrize(
    ("expires", "message"),
    [
        (0, "at least 1 second"),
        (-5, "at least 1 second"),
        (604801, "over 7 days"),
        (10**9, "over 7 days"),
        (1.5, "whole seconds"),
        ("3600", "number of seconds"),
        (True, "number of seconds"),
    ],
)
def test_expiry_out_of_range_is_refused_clearly(expires, message):
    with pytest.raises(ValueError, match=message):
        presign(S3Client("AK", "SK"), "GET", "bkt", "k", expires)


def test_expiry_bounds_are_inclusive():
    client = S3Client("AK", "SK")
    for seconds in (1, 604800, 3600.0):
        url = presign(client, "GET", "bkt", "k", seconds)
        assert parse_qs(urlsplit(url).query)["X-Amz-Expires"] == [str(int(seconds))]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"method": "POST"}, ValueError, "method must be one of"),
        ({"bucket": ""}, InvalidBucketName, "empty"),
        ({"bucket": "a/b"}, InvalidBucketName, "contains '/'"),
        ({"bucket": "no spaces"}, InvalidBucketName, "invalid bucket name"),
        ({"bucket": "ab"}, InvalidBucketName, "invalid bucket name"),
        ({"key": ""}, InvalidKey, "empty"),
        ({"key": "x" * 1025}, InvalidKey, "at most 1024"),
        ({"key": "\ud800"}, InvalidKey, "not valid Unicode"),
        ({"params": {"Bogus": "1"}}, ValueError, "unknown presign parameter 'Bogus'"),
        ({"params": {"X-Amz-Date": "1"}}, ValueError, "set by the signer"),
        ({"params": {"Content-Type": "a\nb"}}, ValueError, "control characters"),
    ],
)
def test_bad_presign_input_is_refused_before_any_link_exists(kwargs, error, message):
    args = {"method": "GET", "bucket": "bkt", "key": "k", "params": None} | kwargs
    with pytest.raises(error, match=message):
        presign(
            S3Client("AK", "SK"), args["method"], args["bucket"], args["key"], params=args["params"]
        )


def test_client_needs_both_keys_and_a_known_style():
    with pytest.raises(ValueError, match="both required"):
        S3Client("", "SK")
    with pytest.raises(ValueError, match="addressing_style"):
        S3Client("AK", "SK", addressing_style="sideways")
    with pytest.raises(ValueError, match="endpoint URL"):
        S3Client("AK", "SK", endpoint_url="ftp://nope")


def test_seed_usage_presign_without_context_manager_does_no_io():
    # The seed document calls generate_presigned_url synchronously, outside `async with`.
    client = S3Client(
        access_key="your-access-key", secret_key="your-secret-key", region="us-east-1"
    )
    url = client.generate_presigned_url(
        method="GET",
        bucket="my-private-bucket",
        key="documents/secret-report.pdf",
        expires_in=3600,
    )
    assert url.startswith("https://my-private-bucket.s3.amazonaws.com/documents/secret-report.pdf?")
    assert client._session is None
