"""Transfer benchmark: a 1 GiB file up to and down from SeaweedFS on loopback.

Each run happens in a fresh process so its peak RSS is its own: s3tui's
``upload_file``/``download_file`` against boto3's managed transfer (``upload_file`` /
``download_file`` with its default TransferConfig: 8 MiB parts, 10 threads) on the same
endpoint, in the same run, alternating so neither gets a warmer disk cache.

Run: python bench/transfer_bench.py [--size-mib 1024] [--rounds 3]
Targets (issue 6): throughput at least boto3's; peak RSS < 150 MB for the 1 GiB file.
Exit status 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

KEY, SECRET = "bench-key", "bench-secret-0123456789"
BUCKET = "transfer-bench"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(tool: str, op: str, endpoint: str, path: str, key: str) -> dict:
    """One transfer in this process; returns seconds and peak RSS."""
    baseline = _peak_mb()
    if tool == "s3tui":
        from s3tui.s3 import S3Client

        async def run() -> float:
            async with S3Client(KEY, SECRET, region="us-east-1", endpoint_url=endpoint) as c:
                t0 = time.perf_counter()
                if op == "upload":
                    await c.upload_file(BUCKET, key, path)
                else:
                    await c.download_file(BUCKET, key, path)
                return time.perf_counter() - t0

        seconds = asyncio.run(run())
    else:
        import boto3
        from botocore.config import Config

        s3 = boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id=KEY,
            aws_secret_access_key=SECRET,
            region_name="us-east-1",
            config=Config(s3={"addressing_style": "path"}),
        )
        t0 = time.perf_counter()
        if op == "upload":
            s3.upload_file(path, BUCKET, key)
        else:
            s3.download_file(BUCKET, key, path)
        seconds = time.perf_counter() - t0
    return {"seconds": seconds, "peak_rss_mb": _peak_mb(), "import_rss_mb": baseline}


def run_child(tool: str, op: str, endpoint: str, path: Path, key: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", tool, op, endpoint, str(path), key],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode:
        raise SystemExit(f"{tool} {op} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def make_file(path: Path, size: int) -> str:
    """Random bytes (incompressible), written in 16 MiB blocks; returns the MD5."""
    digest = hashlib.md5()
    block = os.urandom(16 << 20)
    with path.open("wb") as fh:
        for offset in range(0, size, len(block)):
            piece = block[: min(len(block), size - offset)]
            # vary every block so no part is a copy of another
            piece = offset.to_bytes(8, "big") + piece[8:]
            fh.write(piece)
            digest.update(piece)
    return digest.hexdigest()


def md5_of(path: Path) -> str:
    digest = hashlib.md5()
    with path.open("rb") as fh:
        while chunk := fh.read(8 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    size = args.size_mib << 20

    from s3tui.s3 import S3Client
    from s3tui.services.seaweed import SeaweedServer

    with tempfile.TemporaryDirectory(prefix="s3tui-transfer-bench-") as tmp:
        work = Path(tmp)
        source = work / "source.bin"
        print(f"writing a {args.size_mib} MiB file …", flush=True)
        expected = make_file(source, size)
        with SeaweedServer.start(work / "weed", KEY, SECRET) as weed:
            endpoint = weed.endpoint_url

            async def create() -> None:
                async with S3Client(KEY, SECRET, region="us-east-1", endpoint_url=endpoint) as c:
                    await c.create_bucket(BUCKET)

            asyncio.run(create())
            results: dict[tuple[str, str], list[dict]] = {}
            for rnd in range(args.rounds):
                order = ("s3tui", "boto3") if rnd % 2 == 0 else ("boto3", "s3tui")
                for tool in order:
                    key = f"{tool}/big.bin"
                    up = run_child(tool, "upload", endpoint, source, key)
                    results.setdefault((tool, "upload"), []).append(up)
                    target = work / f"down-{tool}.bin"
                    down = run_child(tool, "download", endpoint, target, key)
                    results.setdefault((tool, "download"), []).append(down)
                    if md5_of(target) != expected:
                        print(f"{tool}: downloaded bytes differ from the source")
                        return 1
                    target.unlink()
                    print(
                        f"  round {rnd + 1} {tool:5}: up {size / up['seconds'] / 2**20:7.1f} MiB/s"
                        f"  down {size / down['seconds'] / 2**20:7.1f} MiB/s",
                        flush=True,
                    )

    ok = True
    print(f"\n{args.size_mib} MiB on loopback SeaweedFS, median of {args.rounds} rounds:")
    for op in ("upload", "download"):
        rate = {
            tool: size / statistics.median(r["seconds"] for r in results[(tool, op)]) / 2**20
            for tool in ("s3tui", "boto3")
        }
        rss = {tool: max(r["peak_rss_mb"] for r in results[(tool, op)]) for tool in rate}
        ratio = rate["s3tui"] / rate["boto3"]
        print(
            f"  {op:8}: s3tui {rate['s3tui']:7.1f} MiB/s, peak RSS {rss['s3tui']:5.1f} MB"
            f" | boto3 {rate['boto3']:7.1f} MiB/s, peak RSS {rss['boto3']:5.1f} MB"
            f" | throughput ×{ratio:.2f}"
        )
        if ratio < 1.0:
            print(f"    MISSED: {op} slower than boto3")
            ok = False
        if rss["s3tui"] >= 150:
            print(f"    MISSED: {op} peak RSS ≥ 150 MB")
            ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) == 7 and sys.argv[1] == "--child":
        print(json.dumps(child(*sys.argv[2:])))
    else:
        sys.exit(main())
