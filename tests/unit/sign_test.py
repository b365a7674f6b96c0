"""SigV4 pinned by AWS's published examples and by botocore on random inputs."""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from unittest import mock
from urllib.parse import parse_qsl, urlsplit

import botocore.session
import pytest
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials as BotoCredentials
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from s3tui.s3 import S3Client
from s3tui.s3.addressing import aws_endpoint_host, is_dns_compatible
from s3tui.s3.signer import (
    EMPTY_SHA256,
    UNSIGNED_PAYLOAD,
    Credentials,
    canonical_query,
    presign_url,
    sha256_hex,
    sign_headers,
)

AWS_KEY = "AKIAIOSFODNN7EXAMPLE"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
AWS_DAY = datetime(2013, 5, 24, tzinfo=UTC)


def test_aws_published_presign_example():
    url = presign_url(
        method="GET",
        scheme="https",
        host="examplebucket.s3.amazonaws.com",
        path="/test.txt",
        credentials=Credentials(AWS_KEY, AWS_SECRET),
        region="us-east-1",
        now=AWS_DAY,
        expires=86400,
    )
    assert url == (
        "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
        "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
        "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
        "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
    )


def test_client_reproduces_aws_example_through_public_api():
    client = S3Client(AWS_KEY, AWS_SECRET, region="us-east-1")
    url = client.generate_presigned_url("GET", "examplebucket", "test.txt", 86400, now=AWS_DAY)
    assert url.startswith("https://examplebucket.s3.amazonaws.com/test.txt?")
    assert url.endswith(
        "X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
    )


def test_aws_published_header_example_get_object_with_range():
    headers = sign_headers(
        method="GET",
        host="examplebucket.s3.amazonaws.com",
        path="/test.txt",
        headers={"Range": "bytes=0-9"},
        payload_hash=EMPTY_SHA256,
        credentials=Credentials(AWS_KEY, AWS_SECRET),
        region="us-east-1",
        now=AWS_DAY,
    )
    assert headers["Authorization"] == (
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
        "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
        "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
    )


def test_signing_time_must_be_aware():
    with pytest.raises(ValueError, match="timezone-aware"):
        presign_url(
            method="GET",
            scheme="https",
            host="h",
            path="/k",
            credentials=Credentials("a", "b"),
            region="us-east-1",
            now=datetime(2020, 1, 1),
            expires=60,
        )


def test_credentials_repr_masks_secrets():
    text = repr(Credentials("AKIDVISIBLE", "very-secret-value", "token-value"))
    assert "AKIDVISIBLE" in text
    assert "very-secret-value" not in text and "token-value" not in text
    client = S3Client("AKIDVISIBLE", "very-secret-value", session_token="token-value")
    assert "very-secret-value" not in repr(client) and "token-value" not in repr(client)


# -- botocore as the oracle -------------------------------------------------------------

REGIONS = ["us-east-1", "us-west-2", "eu-central-1", "ap-southeast-2", "sa-east-1"]
SPECIAL = [*" +~!'(*)%/&=?#$,;:@[]\"<>^`{|}\\", "//", "é", "日本", "🙂", "\u00a0", ".."]
key_chars = st.one_of(
    st.sampled_from(SPECIAL),
    st.characters(blacklist_categories=("Cs",), max_codepoint=0x1FFFF),
)
keys = st.lists(key_chars, min_size=1, max_size=40).map("".join)
buckets = st.sampled_from(["examplebucket", "my-bucket-01", "dotted.bucket.name", "abc"])
times = st.datetimes(
    min_value=datetime(2015, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
).map(lambda d: d.replace(microsecond=0))
tokens = st.sampled_from(
    [None, "FwoGZXIvYXdzEJr//////////wEaDH+token/with=odd+chars", "IQoJb3JpZ2luX2VjEA=="]
)
endpoints = st.sampled_from([None, "http://127.0.0.1:9000", "https://minio.example.com"])

GET_PARAMS = {
    "ResponseContentDisposition": 'attachment; filename="r\u00e9sum\u00e9 (1).pdf"',
    "ResponseContentType": "application/pdf",
    "ResponseCacheControl": "public, max-age=3600",
    "VersionId": "3/L4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY",
}
PUT_PARAMS = {
    "ContentType": "image/jpeg",
    "CacheControl": "no-cache",
    "ContentDisposition": "inline",
    "Metadata": {"owner": "user-123", "note": "a b"},
}
OPS = {"GET": "get_object", "PUT": "put_object", "HEAD": "head_object", "DELETE": "delete_object"}


BOTO_SESSION = botocore.session.get_session()  # one session: the S3 model loads once


@functools.lru_cache(maxsize=128)
def boto_client(region: str, token: str | None, endpoint: str | None, style: str):
    session = BOTO_SESSION
    return session.create_client(
        "s3",
        region_name=region,
        aws_access_key_id=AWS_KEY,
        aws_secret_access_key=AWS_SECRET,
        aws_session_token=token,
        endpoint_url=endpoint,
        config=Config(signature_version="s3v4", s3={"addressing_style": style}),
    )


def boto_presign(region, token, endpoint, method, bucket, key, expires, params, when):
    """botocore's URL for the same request, pointed at the host we use.

    For AWS we use the regional endpoint (``BUCKET.s3.REGION.amazonaws.com``) where
    botocore's presigner picks the global one; the host is part of what is signed, so
    botocore is given our host and judged on the signature.
    """
    if endpoint is None:
        style = "virtual" if is_dns_compatible(bucket) and "." not in bucket else "path"
        client = boto_client(region, token, "https://" + aws_endpoint_host(region), style)
    else:
        client = boto_client(region, token, endpoint, "path")
    with mock.patch("botocore.auth.get_current_datetime", return_value=when.replace(tzinfo=None)):
        return client.generate_presigned_url(
            OPS[method], Params={"Bucket": bucket, "Key": key, **params}, ExpiresIn=expires
        )


def split_url(url: str):
    parts = urlsplit(url)
    return parts.scheme, parts.netloc, parts.path, sorted(parse_qsl(parts.query))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    method=st.sampled_from(list(OPS)),
    bucket=buckets,
    key=keys,
    region=st.sampled_from(REGIONS),
    token=tokens,
    endpoint=endpoints,
    when=times,
    expires=st.integers(1, 604800),
    data=st.data(),
)
def test_presigned_urls_match_botocore(
    method, bucket, key, region, token, endpoint, when, expires, data
):
    pool = PUT_PARAMS if method == "PUT" else GET_PARAMS if method in ("GET", "HEAD") else {}
    chosen = data.draw(st.lists(st.sampled_from(sorted(pool)), unique=True)) if pool else []
    params = {name: pool[name] for name in chosen}
    ours = S3Client(
        AWS_KEY, AWS_SECRET, region=region, endpoint_url=endpoint, session_token=token
    ).generate_presigned_url(method, bucket, key, expires, params, now=when)
    theirs = boto_presign(region, token, endpoint, method, bucket, key, expires, params, when)
    assert split_url(ours) == split_url(theirs)


def test_put_content_type_becomes_a_signed_header_like_botocore():
    when = datetime(2024, 2, 29, 12, 0, 0, tzinfo=UTC)
    ours = S3Client(AWS_KEY, AWS_SECRET).generate_presigned_url(
        "PUT",
        "user-uploads",
        "uploads/user-123/profile-photo.jpg",
        1800,
        {"Content-Type": "image/jpeg"},
        now=when,
    )
    theirs = boto_presign(
        "us-east-1",
        None,
        None,
        "PUT",
        "user-uploads",
        "uploads/user-123/profile-photo.jpg",
        1800,
        {"ContentType": "image/jpeg"},
        when,
    )
    assert split_url(ours) == split_url(theirs)
    assert dict(split_url(ours)[3])["X-Amz-SignedHeaders"] == "content-type;host"


# -- header signing against botocore's S3SigV4Auth --------------------------------------

header_sets = st.fixed_dictionaries(
    {},
    optional={
        "content-type": st.sampled_from(["text/plain", "application/json; charset=utf-8"]),
        "range": st.sampled_from(["bytes=0-99", "bytes=100-"]),
        "x-amz-meta-note": st.text(alphabet="abc XYZ-_.", min_size=1, max_size=20),
        "content-md5": st.just("1B2M2Y8AsgTpgAmY7PhCfg=="),
    },
)
queries = st.lists(
    st.tuples(
        st.sampled_from(["prefix", "delimiter", "continuation-token", "list-type", "uploadId"]),
        st.text(max_size=12),
    ),
    unique_by=lambda kv: kv[0],
    max_size=4,
)


@settings(max_examples=300, deadline=None)
@given(
    method=st.sampled_from(["GET", "PUT", "HEAD", "DELETE", "POST"]),
    key=keys,
    region=st.sampled_from(REGIONS),
    token=tokens,
    when=times,
    headers=header_sets,
    query=queries,
    body=st.binary(max_size=64),
)
def test_authorization_headers_match_botocore(
    method, key, region, token, when, headers, query, body
):
    client = S3Client(
        AWS_KEY,
        AWS_SECRET,
        region=region,
        endpoint_url="http://127.0.0.1:9000",
        session_token=token,
    )
    loc = client.locate("examplebucket", key)
    url = loc.url(canonical_query(query))
    ours = sign_headers(
        method=method,
        host=loc.host,
        path=loc.path,
        query=query,
        headers=headers,
        payload_hash=sha256_hex(body),
        credentials=Credentials(AWS_KEY, AWS_SECRET, token),
        region=region,
        now=when,
    )
    request = AWSRequest(method=method, url=url, headers=dict(headers), data=body)
    request.context["timestamp"] = when.strftime("%Y%m%dT%H%M%SZ")
    boto_creds = BotoCredentials(AWS_KEY, AWS_SECRET, token)
    with mock.patch("botocore.auth.get_current_datetime", return_value=when.replace(tzinfo=None)):
        S3SigV4Auth(boto_creds, "s3", region).add_auth(request)
    assert ours["Authorization"] == request.headers["Authorization"]
    assert ours["x-amz-content-sha256"] == request.headers["X-Amz-Content-SHA256"]


def test_unsigned_payload_header_signature_matches_botocore():
    when = datetime(2025, 6, 1, 8, 30, tzinfo=UTC)
    ours = sign_headers(
        method="PUT",
        host="bkt.s3.amazonaws.com",
        path="/big.bin",
        headers={"content-length": "10"},
        payload_hash=UNSIGNED_PAYLOAD,
        credentials=Credentials(AWS_KEY, AWS_SECRET),
        region="us-east-1",
        now=when,
    )
    request = AWSRequest(
        method="PUT",
        url="https://bkt.s3.amazonaws.com/big.bin",
        headers={"content-length": "10", "X-Amz-Content-SHA256": UNSIGNED_PAYLOAD},
        data=b"0123456789",
    )
    request.context["payload_signing_enabled"] = False
    with mock.patch("botocore.auth.get_current_datetime", return_value=when.replace(tzinfo=None)):
        # SigV4Auth (not the S3 subclass) keeps the header we set, as UNSIGNED-PAYLOAD needs.
        from botocore.auth import SigV4Auth

        SigV4Auth(BotoCredentials(AWS_KEY, AWS_SECRET), "s3", "us-east-1").add_auth(request)
    assert ours["Authorization"] == request.headers["Authorization"]
