"""Batch share benchmark: 10,000 marked objects → links (per-type rules) → each format,
against botocore making the same presigned GETs in the same run.

Run: python bench/share_bench.py   (exit status 1 if a target is missed)
Target (issue 4): 10,000 links made and formatted in under 0.5 s.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from s3tui.s3 import S3Client
from s3tui.services.expiry import ExpiryRules
from s3tui.services.share import FORMATS, format_links
from s3tui.ui.dialogs.batch import batch_links

KEY, SECRET = "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
N = 10_000
EXT = (".pdf", ".png", ".csv")
KEYS = [f"reports/2024/{i:05d} report{EXT[i % 3]}" for i in range(N)]


def best(fn, repeat=3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> int:
    client = S3Client(KEY, SECRET, region="eu-west-1")
    rules = ExpiryRules()
    now = datetime.now(UTC)
    results = {}
    for fmt in FORMATS:
        results[fmt] = best(
            lambda f=fmt: format_links(
                batch_links(client, "report-sharing", KEYS, rules, None, now), f
            )
        )

    import botocore.session

    boto = botocore.session.get_session().create_client(
        "s3", region_name="eu-west-1", aws_access_key_id=KEY, aws_secret_access_key=SECRET
    )
    boto.generate_presigned_url("get_object", Params={"Bucket": "report-sharing", "Key": "x"})

    def boto_links():
        for key in KEYS:
            boto.generate_presigned_url(
                "get_object",
                Params={"Bucket": "report-sharing", "Key": key},
                ExpiresIn=rules.for_key(key),
            )

    boto_s = best(boto_links, repeat=1)
    worst = max(results.values())
    print(f"{N:,} batch links (per-type expiry) made and formatted")
    for fmt, seconds in results.items():
        print(f"  s3tui {fmt:<9} {seconds * 1000:7.0f} ms")
    print(
        f"  botocore (links only, no formatting) {boto_s * 1000:7.0f} ms   "
        f"ratio botocore/s3tui(worst format) = {boto_s / worst:.1f}x"
    )
    ok = worst < 0.5
    print(f"  {'ok  ' if ok else 'MISS'} under 0.5 s for every format")
    print("RESULT:", "all targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
