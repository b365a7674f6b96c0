"""XML bodies: S3's namespaced documents, servers that drop the namespace, broken bodies."""

from __future__ import annotations

import pytest

from s3tui.s3 import MalformedResponse
from s3tui.s3.models import parse_timestamp
from s3tui.s3.xmlparse import (
    build_delete_body,
    parse_delete_result,
    parse_error,
    parse_list_buckets,
    parse_list_objects,
    parse_location,
)

NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"'
LISTING = f"""<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult {NS}>
  <Name>report-sharing</Name><Prefix>reports%2F</Prefix><KeyCount>3</KeyCount>
  <MaxKeys>1000</MaxKeys><Delimiter>%2F</Delimiter><IsTruncated>true</IsTruncated>
  <EncodingType>url</EncodingType>
  <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
  <Contents><Key>reports%2Fjan+uary%2B1.pdf</Key><LastModified>2024-01-31T10:00:00.000Z</LastModified>
    <ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag><Size>1024</Size>
    <StorageClass>STANDARD_IA</StorageClass></Contents>
  <Contents><Key>reports%2Fctl%01x%5Bbold%5D</Key><LastModified>2024-02-01T00:00:00Z</LastModified>
    <ETag>"abc-2"</ETag><Size>0</Size></Contents>
  <CommonPrefixes><Prefix>reports%2F2024%2F</Prefix></CommonPrefixes>
  <CommonPrefixes><Prefix>reports%2F%C3%A9t%C3%A9%2F</Prefix></CommonPrefixes>
</ListBucketResult>""".encode()


def test_listing_page_is_decoded():
    page = parse_list_objects(LISTING)
    assert [o.key for o in page.objects] == ["reports/jan uary+1.pdf", "reports/ctl\x01x[bold]"]
    first = page.objects[0]
    assert (first.size, first.etag, first.storage_class) == (
        1024,
        '"9b2cf535f27731c974343645a3985328"',
        "STANDARD_IA",
    )
    assert first.last_modified == "2024-01-31T10:00:00.000Z"
    assert first.modified.isoformat() == "2024-01-31T10:00:00+00:00"
    assert page.objects[1].storage_class == "STANDARD"
    assert page.prefixes == ["reports/2024/", "reports/été/"]
    assert page.is_truncated is True
    assert page.next_token == "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM="


def test_listing_without_namespace_or_encoding():
    body = (
        b"<ListBucketResult><IsTruncated>false</IsTruncated>"
        b"<Contents><Key>a+b &amp; c</Key><Size>5</Size></Contents></ListBucketResult>"
    )
    page = parse_list_objects(body)
    assert [o.key for o in page.objects] == ["a+b & c"]  # not URL-encoded: '+' stays
    assert page.is_truncated is False and page.next_token is None


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"   ",
        LISTING[: len(LISTING) // 2],  # truncated mid-document
        b"<html><body>502 Bad Gateway</body></html>",
        b"not xml at all \x00\xff",
        b"<ListBucketResult><Contents><Size>many</Size></Contents></ListBucketResult>",
    ],
)
def test_malformed_listing_is_a_typed_error(body):
    with pytest.raises(MalformedResponse) as info:
        parse_list_objects(body)
    assert info.value.code == "MalformedResponse"
    assert "listing" in str(info.value) or "ListBucketResult" in str(info.value)


def test_error_body():
    body = (
        b"<?xml version='1.0' encoding='UTF-8'?><Error><Code>NoSuchKey</Code>"
        b"<Message>The specified key does not exist.</Message><Key>x</Key>"
        b"<RequestId>4442587FB7D0A2F9</RequestId></Error>"
    )
    info = parse_error(body)
    assert info["Code"] == "NoSuchKey" and info["RequestId"] == "4442587FB7D0A2F9"
    assert parse_error(b"<html/>") == {}
    assert parse_error(b"garbage") == {}


def test_buckets_and_location():
    body = f"""<ListAllMyBucketsResult {NS}><Owner><ID>x</ID></Owner><Buckets>
      <Bucket><Name>b1</Name><CreationDate>2019-12-11T23:32:47+00:00</CreationDate></Bucket>
      <Bucket><Name>b2</Name><CreationDate>2020-01-01T00:00:00.000Z</CreationDate>
      <BucketRegion>eu-west-2</BucketRegion></Bucket></Buckets></ListAllMyBucketsResult>""".encode()
    buckets = parse_list_buckets(body)
    assert [(b.name, b.region) for b in buckets] == [("b1", None), ("b2", "eu-west-2")]
    assert buckets[0].created.year == 2019
    assert parse_location(f"<LocationConstraint {NS}/>".encode()) == "us-east-1"
    assert (
        parse_location(f"<LocationConstraint {NS}>EU</LocationConstraint>".encode()) == "eu-west-1"
    )
    loc = f"<LocationConstraint {NS}>ap-south-1</LocationConstraint>".encode()
    assert parse_location(loc) == "ap-south-1"


def test_delete_round_trip_escapes_keys():
    body = build_delete_body(["a&b", "<c>", "d]]>"])
    assert b"<Key>a&amp;b</Key>" in body and b"<Key>&lt;c&gt;</Key>" in body
    result = parse_delete_result(
        f"<DeleteResult {NS}><Deleted><Key>a&amp;b</Key></Deleted><Error><Key>&lt;c&gt;</Key>"
        f"<Code>AccessDenied</Code><Message>no</Message></Error></DeleteResult>".encode()
    )
    assert result.deleted == ["a&b"]
    assert [(e.key, e.code) for e in result.errors] == [("<c>", "AccessDenied")]


def test_timestamps():
    assert (
        parse_timestamp("Wed, 12 Oct 2022 17:50:00 GMT").isoformat() == "2022-10-12T17:50:00+00:00"
    )
    assert parse_timestamp("") is None
    assert parse_timestamp("yesterday") is None
