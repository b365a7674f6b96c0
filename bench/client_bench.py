"""S3 client benchmark: presign time per URL and listing parse time per key, ours vs
botocore in the same run, and memory while listing 100,000 keys.

Run: python bench/client_bench.py   (exit status 1 if a target is missed)
Targets (issue 2): presign and parse each >= 10x faster than botocore; listing memory flat.
"""

from __future__ import annotations

import asyncio
import gc
import hashlib
import hmac
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.listing_server import page_xml, start_in_process
from s3tui.s3 import S3Client
from s3tui.s3.xmlparse import parse_list_objects

KEY, SECRET = "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
OBJECT_KEYS = [f"reports/2024/{i:05d} quarterly report ü+.pdf" for i in range(2000)]


def best_of(fn, repeat: int = 5) -> float:
    """Best wall time of several runs (the least disturbed by the machine)."""
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def bench_presign() -> tuple[float, float, float]:
    ours = S3Client(KEY, SECRET, region="eu-west-1")
    params = {"response-content-disposition": 'attachment; filename="report.pdf"'}

    def run_ours():
        for k in OBJECT_KEYS:
            ours.generate_presigned_url("GET", "report-sharing", k, 3600, params)

    import botocore.session
    from botocore.config import Config

    boto = botocore.session.get_session().create_client(
        "s3",
        region_name="eu-west-1",
        aws_access_key_id=KEY,
        aws_secret_access_key=SECRET,
        config=Config(signature_version="s3v4"),
    )
    boto_keys = OBJECT_KEYS[:400]

    def run_boto():
        for k in boto_keys:
            boto.generate_presigned_url(
                "get_object",
                Params={
                    "Bucket": "report-sharing",
                    "Key": k,
                    "ResponseContentDisposition": params["response-content-disposition"],
                },
                ExpiresIn=3600,
            )

    run_boto()  # warm botocore's caches (endpoint rules, models)
    ours_us = best_of(run_ours) / len(OBJECT_KEYS) * 1e6
    boto_us = best_of(run_boto) / len(boto_keys) * 1e6
    key = b"k" * 32

    def floor():
        for k in OBJECT_KEYS:
            h = hashlib.sha256(k.encode()).hexdigest()
            hmac.new(key, h.encode(), hashlib.sha256).hexdigest()

    return ours_us, boto_us, best_of(floor) / len(OBJECT_KEYS) * 1e6


def bench_parse() -> tuple[float, float]:
    body = page_xml(1000, 0, 1000)

    import botocore.session
    from botocore.parsers import RestXMLParser

    model = botocore.session.get_session().get_service_model("s3")
    shape = model.operation_model("ListObjectsV2").output_shape
    parser = RestXMLParser()
    response = {"body": body, "headers": {}, "status_code": 200}
    assert len(parser.parse(response, shape)["Contents"]) == 1000
    assert len(parse_list_objects(body).objects) == 1000
    # Same measure for both: the best single parse of the page (GC included).
    ours = best_of(lambda: parse_list_objects(body), repeat=30) / 1000 * 1e6
    boto = best_of(lambda: parser.parse(response, shape), repeat=10) / 1000 * 1e6
    return ours, boto


async def list_all(endpoint: str) -> tuple[int, float, int]:
    """List every key; returns (keys, seconds, tracemalloc peak bytes during the listing)."""
    async with S3Client(KEY, SECRET, endpoint_url=endpoint) as client:
        gc.collect()
        tracemalloc.start()
        t0 = time.perf_counter()
        count = 0
        async for page in client.list_objects("bench", prefix="big/", delimiter=""):
            count += len(page.objects)
        elapsed = time.perf_counter() - t0
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return count, elapsed, peak


def bench_listing_memory() -> list[tuple[int, float, int]]:
    results = []
    for total in (10_000, 100_000):
        proc, endpoint = start_in_process(total)
        try:
            results.append(asyncio.run(list_all(endpoint)))
        finally:
            proc.terminate()
            proc.join()
    return results


def main() -> int:
    ok = True
    ours, boto, floor = bench_presign()
    ratio = boto / ours
    ok &= ratio >= 10
    print("presign GET (µs per URL)")
    print(f"  s3tui     {ours:8.1f}")
    print(f"  botocore  {boto:8.1f}   ratio botocore/s3tui = {ratio:.1f}x  (target >= 10x)")
    print(f"  HMAC+SHA-256 floor {floor:.1f}")

    ours_k, boto_k = bench_parse()
    ratio = boto_k / ours_k
    ok &= ratio >= 10
    print("ListObjectsV2 page parse (µs per key, 1,000-key page)")
    print(f"  s3tui     {ours_k:8.2f}")
    print(f"  botocore  {boto_k:8.2f}   ratio botocore/s3tui = {ratio:.1f}x  (target >= 10x)")

    (n1, t1, p1), (n2, t2, p2) = bench_listing_memory()
    flat = p2 < 1.5 * p1
    ok &= flat and n1 == 10_000 and n2 == 100_000
    print("listing from a loopback server (pages streamed, Python heap peak)")
    print(f"  {n1:>7,} keys  {t1:6.2f} s  peak {p1 / 2**20:6.2f} MiB")
    print(
        f"  {n2:>7,} keys  {t2:6.2f} s  peak {p2 / 2**20:6.2f} MiB   "
        f"{'flat' if flat else 'GROWS'} (100k/10k = {p2 / p1:.2f})"
    )
    print("RESULT:", "all targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
