"""A ListObjectsV2 endpoint on loopback serving N synthetic keys, in its own process.

It answers only what a listing needs (GET /bucket?list-type=2 with max-keys,
continuation-token, prefix) and checks no signature: it exists so benchmarks can list
100,000 keys without first uploading them. Run: python bench/listing_server.py N PORT
"""

from __future__ import annotations

import multiprocessing
import socket
import sys
import time
from xml.sax.saxutils import escape

from aiohttp import web

NS = "http://s3.amazonaws.com/doc/2006-03-01/"


def key_name(i: int) -> str:
    return f"big/{i:07d}-report-{i % 97:02d}.csv"


def contents(i: int) -> str:
    return (
        f"<Contents><Key>{escape(key_name(i))}</Key>"
        f"<LastModified>2024-0{1 + i % 9}-1{i % 10}T12:34:56.000Z</LastModified>"
        f"<ETag>&quot;{i:032x}&quot;</ETag><Size>{i * 37 % 1_000_000}</Size>"
        "<StorageClass>STANDARD</StorageClass></Contents>"
    )


def page_xml(total: int, start: int, max_keys: int) -> bytes:
    end = min(total, start + max_keys)
    truncated = end < total
    token = f"<NextContinuationToken>t{end}</NextContinuationToken>" if truncated else ""
    body = "".join(contents(i) for i in range(start, end))
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="{NS}">'
        f"<Name>bench</Name><Prefix>big/</Prefix><KeyCount>{end - start}</KeyCount>"
        f"<MaxKeys>{max_keys}</MaxKeys><IsTruncated>{'true' if truncated else 'false'}"
        f"</IsTruncated>{token}{body}</ListBucketResult>"
    ).encode()


def make_app(total: int) -> web.Application:
    cache: dict[tuple[int, int], bytes] = {}

    async def listing(request: web.Request) -> web.Response:
        token = request.query.get("continuation-token", "t0")
        max_keys = int(request.query.get("max-keys", "1000"))
        start = int(token[1:])
        if (start, max_keys) not in cache:
            cache[(start, max_keys)] = page_xml(total, start, max_keys)
        return web.Response(body=cache[(start, max_keys)], content_type="application/xml")

    app = web.Application()
    app.router.add_get("/{bucket}", listing)
    return app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(total: int, port: int) -> None:
    web.run_app(make_app(total), host="127.0.0.1", port=port, print=None, access_log=None)


def start_in_process(total: int) -> tuple[multiprocessing.Process, str]:
    """Start the server in a child process; returns it and its endpoint URL."""
    port = free_port()
    proc = multiprocessing.Process(target=serve, args=(total, port), daemon=True)
    proc.start()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.05)
    proc.terminate()
    raise RuntimeError("listing server did not start")


if __name__ == "__main__":
    serve(int(sys.argv[1]), int(sys.argv[2]))
