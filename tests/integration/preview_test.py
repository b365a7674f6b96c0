"""Previews: at most 64 KiB by a ranged GET, text made safe, hex for the rest (moto)."""

from __future__ import annotations

import gzip

from s3tui.services.preview import LIMIT, hex_dump, looks_textual, preview


async def show(client, bucket, key):
    info = await client.head_object(bucket, key)
    return await preview(client, bucket, key, info)


async def test_a_big_text_object_is_read_only_64_kib(moto_bucket):
    client, bucket = moto_bucket
    body = b"".join(b"%06d,measurement,%d\n" % (i, i * 7) for i in range(20_000))
    assert len(body) > 3 * LIMIT
    await client.put_object(bucket, "data/big.csv", body, content_type="text/csv")
    p = await show(client, bucket, "data/big.csv")
    assert (p.kind, p.fetched, p.total, p.truncated) == ("text", LIMIT, len(body), True)
    assert p.body.startswith("000000,measurement,0\n000001,measurement,7\n")
    assert p.lexer in ("text", "csv")


async def test_escape_sequences_in_content_are_made_visible(moto_bucket):
    client, bucket = moto_bucket
    await client.put_object(
        bucket,
        "x.log",
        b"ok\x1b[2J\x1b]52;c;ZXZpbA==\x07\tindent\r\nend\n",
        content_type="text/plain",
    )
    p = await show(client, bucket, "x.log")
    assert p.kind == "text" and "\x1b" not in p.body and "\x07" not in p.body
    assert p.body == "ok␛[2J␛]52;c;ZXZpbA==␇    indent\nend\n"


async def test_binary_and_compressed_objects_get_a_hex_dump(moto_bucket):
    client, bucket = moto_bucket
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
    await client.put_object(bucket, "i.png", png, content_type="image/png")
    p = await show(client, bucket, "i.png")
    assert p.kind == "hex" and p.fetched == len(png)
    assert p.body.splitlines()[0].startswith("00000000  89 50 4e 47 0d 0a 1a 0a")
    assert len(p.body.splitlines()) == 4096 // 16  # the dump stops at 4 KiB
    await client.put_object(bucket, "logs.txt.gz", gzip.compress(b"hello " * 1000))
    assert (await show(client, bucket, "logs.txt.gz")).kind == "hex"


async def test_empty_object(moto_bucket):
    client, bucket = moto_bucket
    await client.put_object(bucket, "empty.txt", b"")
    p = await show(client, bucket, "empty.txt")
    assert (p.kind, p.body, p.fetched) == ("text", "", 0)


def test_classification_and_dump():
    assert looks_textual(b"a,b\n", "text/csv", "a.csv")
    assert looks_textual("héllo".encode(), "binary/octet-stream", "notes")
    assert not looks_textual(b"\x00\x01", "text/plain", "a.txt")
    assert not looks_textual(b"%PDF-1.4", "application/pdf", "a.pdf")
    assert not looks_textual(b"\xff\xfe\xfa" * 100, "binary/octet-stream", "blob")
    assert hex_dump(b"AB\x00") == "00000000  41 42 00" + " " * 39 + "  AB."
