"""Managed-link redirects per second from `s3tui serve`, with a load generator in another process.

The real `s3tui serve` runs in its own process (ledger on disk, rate limiter on with a
limit the load cannot reach, every request counted by an UPDATE); a second process keeps
64 connections busy on GET /s/{id} for 10 s and records each latency. The peer, measured
the same way in the same run, is a bare aiohttp.web handler that answers every request
with the same 302: the ceiling for any aiohttp server here.

Run: python bench/serve_bench.py [--seconds 10]
Targets (issue 7): ≥ 2,000 redirects/s and p99 < 20 ms on the 2-core machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CONNECTIONS = 32


async def load(url: str, seconds: float) -> dict:
    """Keep CONNECTIONS requests in flight for ``seconds``; statuses and latencies."""
    import aiohttp

    latencies: list[float] = []
    statuses: dict[int, int] = {}
    stop = time.perf_counter() + seconds
    connector = aiohttp.TCPConnector(limit=CONNECTIONS)
    async with aiohttp.ClientSession(connector=connector) as http:

        async def worker() -> None:
            while time.perf_counter() < stop:
                t0 = time.perf_counter()
                async with http.get(url, allow_redirects=False) as r:
                    await r.read()
                    statuses[r.status] = statuses.get(r.status, 0) + 1
                latencies.append(time.perf_counter() - t0)

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CONNECTIONS)))
        elapsed = time.perf_counter() - t0
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99)] * 1000,
        "statuses": statuses,
    }


def bare_server(port: int) -> None:
    """The peer: aiohttp.web answering every request with the same 302."""
    from aiohttp import web

    async def handle(_request: web.Request) -> web.Response:
        raise web.HTTPFound("http://127.0.0.1:9/bucket/key?X-Amz-Signature=0")

    app = web.Application()
    app.router.add_get("/s/{id}", handle)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


def wait_up(url: str) -> None:
    for _ in range(100):
        try:
            with urllib.request.urlopen(url):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{url} never answered")


def run_load(url: str, seconds: float) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--load", url, str(seconds)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    from s3tui.services.managed import ManagedLinks
    from s3tui.services.seaweed import free_ports

    results = {}
    with tempfile.TemporaryDirectory(prefix="s3tui-serve-bench-") as tmp:
        db = Path(tmp) / "ledger.sqlite3"
        links = ManagedLinks(db)
        link = links.create(
            bucket="bench-bucket",
            key="reports/q1.pdf",
            owner="bench",
            expires_in=3600,
            now=time.time(),
        )
        links.close()
        ours, bare = free_ports(2)
        env = {
            **os.environ,
            "AWS_ACCESS_KEY_ID": "bench-key",
            "AWS_SECRET_ACCESS_KEY": "bench-secret",
            "S3TUI_CONFIG": str(Path(tmp) / "config.toml"),
            "S3TUI_DATA_DIR": tmp,
        }
        servers = {
            "s3tui serve": (
                [
                    sys.executable,
                    "-m",
                    "s3tui",
                    "serve",
                    "--db",
                    str(db),
                    "--port",
                    str(ours),
                    "--endpoint-url",
                    "http://127.0.0.1:9",
                    "--requests-per-minute",
                    "100000000",
                ],
                f"http://127.0.0.1:{ours}/s/{link.id}",
                f"http://127.0.0.1:{ours}/healthz",
            ),
            "bare aiohttp": (
                [sys.executable, __file__, "--bare", str(bare)],
                f"http://127.0.0.1:{bare}/s/x",
                None,
            ),
        }
        for name, (cmd, url, health) in servers.items():
            proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL)
            try:
                if health:
                    wait_up(health)
                else:
                    time.sleep(1.5)
                run_load(url, 1.0)  # warm-up
                results[name] = run_load(url, args.seconds)
            finally:
                proc.terminate()
                proc.wait(timeout=15)
        links = ManagedLinks(db)
        found = links.get(link.id)
        counted = found[0].downloads if found else -1
        links.close()

    ok = True
    print(f"{args.seconds:.0f} s of GET /s/{{id}} with {CONNECTIONS} connections, 2 processes:")
    for name, r in results.items():
        print(
            f"  {name:12}: {r['rps']:7.0f} redirects/s  p50 {r['p50_ms']:5.1f} ms"
            f"  p99 {r['p99_ms']:5.1f} ms  statuses {r['statuses']}"
        )
    ours_r, bare_r = results["s3tui serve"], results["bare aiohttp"]
    print(f"  ratio to the bare aiohttp peer: ×{ours_r['rps'] / bare_r['rps']:.2f}")
    total = sum(ours_r["statuses"].values())
    print(f"  downloads counted in the ledger: {counted:,} (≥ the {total:,} measured)")
    if set(ours_r["statuses"]) != {"302"}:
        print("  MISSED: not every answer was a redirect")
        ok = False
    if ours_r["rps"] < 2000:
        print("  MISSED: fewer than 2,000 redirects/s")
        ok = False
    if ours_r["p99_ms"] >= 20:
        print("  MISSED: p99 ≥ 20 ms")
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--load":
        print(json.dumps(asyncio.run(load(sys.argv[2], float(sys.argv[3])))))
    elif len(sys.argv) == 3 and sys.argv[1] == "--bare":
        bare_server(int(sys.argv[2]))
    else:
        sys.exit(main())
