"""CloudFront signed URLs: byte-identical to botocore's CloudFrontSigner, and verifiable."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from botocore.signers import CloudFrontSigner
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from s3tui.s3 import S3Client
from s3tui.services.cloudfront import CloudFrontConfig, rewrite_host, signed_url
from s3tui.services.share import ShareOptions, Variant, make_link

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EXPIRES = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
STARTS = datetime(2026, 4, 30, 8, 0, tzinfo=UTC)
URL = "https://d1234567890.cloudfront.net/media/videos/product%20demo.mp4"


def rsa_signer(message: bytes) -> bytes:
    return KEY.sign(message, padding.PKCS1v15(), hashes.SHA1())


def unb64(text: str) -> bytes:
    return base64.b64decode(text.replace("-", "+").replace("_", "=").replace("~", "/"))


def test_canned_policy_matches_botocore():
    ours = signed_url(URL, "K2JCJMDEHXQW5F", KEY, EXPIRES)
    theirs = CloudFrontSigner("K2JCJMDEHXQW5F", rsa_signer).generate_presigned_url(
        URL, date_less_than=EXPIRES
    )
    assert ours == theirs
    assert "Expires=1777636800&" in ours


@pytest.mark.parametrize(
    ("starts", "ip"), [(STARTS, None), (None, "203.0.113.0/24"), (STARTS, "198.51.100.7/32")]
)
def test_custom_policy_matches_botocore(starts, ip):
    ours = signed_url(URL, "K2JCJMDEHXQW5F", KEY, EXPIRES, starts_at=starts, ip_range=ip)
    signer = CloudFrontSigner("K2JCJMDEHXQW5F", rsa_signer)
    policy = signer.build_policy(URL, EXPIRES, date_greater_than=starts, ip_address=ip)
    theirs = signer.generate_presigned_url(URL, policy=policy)
    assert ours == theirs


def test_signature_verifies_with_the_public_key():
    url = signed_url(URL, "KID", KEY, EXPIRES, starts_at=STARTS, ip_range="203.0.113.9")
    q = parse_qs(urlsplit(url).query)
    policy = unb64(q["Policy"][0])
    KEY.public_key().verify(unb64(q["Signature"][0]), policy, padding.PKCS1v15(), hashes.SHA1())
    statement = json.loads(policy)["Statement"][0]
    assert statement["Resource"] == URL
    assert statement["Condition"]["IpAddress"] == {"AWS:SourceIp": "203.0.113.9/32"}
    assert statement["Condition"]["DateGreaterThan"] == {"AWS:EpochTime": int(STARTS.timestamp())}


def test_rewrite_host_variant_for_both_addressing_styles():
    virtual = "https://cdn-content.s3.amazonaws.com/media/a.jpg?X-Amz-Signature=abc"
    assert rewrite_host(virtual, "d1.cloudfront.net", "cdn-content") == (
        "https://d1.cloudfront.net/media/a.jpg?X-Amz-Signature=abc"
    )
    path = "http://127.0.0.1:9000/cdn-content/media/a.jpg?X-Amz-Signature=abc"
    assert rewrite_host(path, "d1.cloudfront.net", "cdn-content") == (
        "https://d1.cloudfront.net/media/a.jpg?X-Amz-Signature=abc"
    )


def test_share_variants_and_key_from_a_pem_file(tmp_path):
    pem = tmp_path / "cf.pem"
    pem.write_bytes(
        KEY.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cf = CloudFrontConfig("cdn", "d1234567890.cloudfront.net", "cdn-content", "KID", str(pem))
    client = S3Client("AK", "SK")
    now = datetime(2026, 4, 30, 12, tzinfo=UTC)
    signed = make_link(
        client,
        "cdn-content",
        "media/videos/product demo.mp4",
        ShareOptions(expires_in=86400, variant=Variant.CLOUDFRONT_SIGNED, cloudfront=cf),
        now=now,
    )
    assert signed.url == signed_url(URL, "KID", KEY, EXPIRES)
    rewritten = make_link(
        client,
        "cdn-content",
        "media/a.jpg",
        ShareOptions(variant=Variant.CLOUDFRONT_REWRITE, cloudfront=cf),
        now=now,
    )
    assert rewritten.url.startswith("https://d1234567890.cloudfront.net/media/a.jpg?X-Amz-")
    assert "forwards the query string" in rewritten.warning
    broken = CloudFrontConfig("cdn", "d1.cloudfront.net", "b-b", "KID", str(tmp_path / "none.pem"))
    with pytest.raises(ValueError, match="cannot read the CloudFront key"):
        make_link(
            client, "b-b", "k", ShareOptions(variant=Variant.CLOUDFRONT_SIGNED, cloudfront=broken)
        )
