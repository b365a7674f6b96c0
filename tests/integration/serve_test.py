"""`s3tui serve` on loopback with SeaweedFS as the store: every status, counts, passwords,
the JSON API and the upload API."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import aiohttp

from s3tui.services.passwords import PasswordHasher
from tests.support.serve import FAST_SCRYPT, JSON


async def create(serve, **fields) -> dict:
    body = {"bucket": serve.bucket, "key": "reports/q1 résumé.pdf", "expires_in": 3600} | fields
    async with serve.http.post(f"{serve.url}/api/links", json=body, headers=serve.auth()) as r:
        assert r.status == 201, await r.text()
        return await r.json()


async def get(serve, path: str, **kwargs) -> tuple[int, dict, str]:
    async with serve.http.get(serve.url + path, allow_redirects=False, **kwargs) as r:
        return r.status, dict(r.headers), await r.text()


async def test_a_managed_link_redirects_to_the_bytes_with_the_file_name(serve):
    link = await create(serve)
    assert len(link["id"]) >= 22 and link["url"].endswith(f"/s/{link['id']}")
    status, headers, _ = await get(serve, f"/s/{link['id']}")
    assert status == 302
    location = headers["Location"]
    assert location.startswith(serve.endpoint.url) and "X-Amz-Expires=60" in location
    async with serve.http.get(location) as r:  # SeaweedFS checks the signature
        assert r.status == 200
        assert await r.read() == b"%PDF-1.4 quarter one"
        assert "attachment" in r.headers["Content-Disposition"]
        assert "r%C3%A9sum%C3%A9.pdf" in r.headers["Content-Disposition"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


async def test_unknown_expired_revoked_and_used_up_are_refused_clearly(serve):
    status, headers, text = await get(serve, "/s/AAAAAAAAAAAAAAAAAAAAAAAA")
    assert status == 404 and "no such link" in text and "text/html" in headers["Content-Type"]
    status, _, text = await get(serve, "/s/AAAAAAAAAAAAAAAAAAAAAAAA", headers=JSON)
    assert status == 404 and '"error": "unknown"' in text
    status, _, text = await get(serve, "/s/<script>alert(1)</script>")
    assert status == 404 and "<script>" not in text

    short = await create(serve, expires_in=30)
    serve.clock_offset = 31
    status, _, text = await get(serve, f"/s/{short['id']}")
    assert status == 410 and "expired" in text
    serve.clock_offset = 0

    once = await create(serve, max_downloads=1)
    assert (await get(serve, f"/s/{once['id']}"))[0] == 302
    status, _, text = await get(serve, f"/s/{once['id']}", headers=JSON)
    assert status == 410 and "used-up" in text

    gone = await create(serve)
    url = f"{serve.url}/api/links/{gone['id']}/revoke"
    async with serve.http.post(url, headers=serve.auth()) as r:
        assert r.status == 200
    status, _, text = await get(serve, f"/s/{gone['id']}")
    assert status == 410 and "revoked" in text


async def test_50_at_once_on_a_5_download_link_give_exactly_5(serve):
    link = await create(serve, max_downloads=5)
    results = await asyncio.gather(*(get(serve, f"/s/{link['id']}") for _ in range(50)))
    statuses = sorted(status for status, _, _ in results)
    assert statuses.count(302) == 5 and statuses.count(410) == 45


async def test_the_ledger_survives_a_restart_with_counts_intact(serve):
    link = await create(serve, max_downloads=3, note="for the auditors")
    for _ in range(2):
        assert (await get(serve, f"/s/{link['id']}"))[0] == 302
    await serve.restart()
    async with serve.http.get(f"{serve.url}/api/links", headers=serve.auth()) as r:
        mine = {x["id"]: x for x in (await r.json())["links"]}
    assert mine[link["id"]]["downloads"] == 2 and mine[link["id"]]["note"] == "for the auditors"
    assert (await get(serve, f"/s/{link['id']}"))[0] == 302
    assert (await get(serve, f"/s/{link['id']}"))[0] == 410


async def test_passwords_are_asked_checked_and_limited(serve):
    link = await create(serve, password="correct horse")
    status, _, text = await get(serve, f"/s/{link['id']}")
    assert status == 401 and 'type="password"' in text
    url = f"{serve.url}/s/{link['id']}"
    async with serve.http.post(url, data={"password": "nope"}, allow_redirects=False) as r:
        assert r.status == 401 and "Wrong password" in await r.text()
    async with serve.http.post(url, data={"password": "correct horse"}, allow_redirects=False) as r:
        assert r.status == 302
    for _ in range(4):  # five wrong in all
        async with serve.http.post(url, data={"password": "x"}, allow_redirects=False) as r:
            assert r.status == 401
    async with serve.http.post(url, data={"password": "x"}, allow_redirects=False) as r:
        assert r.status == 429 and int(r.headers["Retry-After"]) > 0
    # the ledger never holds the password, only its scrypt hash
    raw = b"".join(p.read_bytes() for p in serve.db.parent.glob("ledger.sqlite3*"))
    assert b"correct horse" not in raw and b"scrypt$" in raw


async def test_wrong_right_and_unknown_cost_one_scrypt_each(serve):
    link = await create(serve, password="pw-1")
    hasher = serve.hasher
    for path, password in (
        (f"/s/{link['id']}", "wrong"),
        (f"/s/{link['id']}", "pw-1"),
        ("/s/AAAAAAAAAAAAAAAAAAAAAAAA", "pw-1"),
    ):
        before = hasher.calls
        async with serve.http.post(
            serve.url + path, data={"password": password}, allow_redirects=False
        ) as r:
            assert r.status in (401, 302, 404)
        assert hasher.calls - before == 1, path


def test_verify_compares_with_compare_digest(monkeypatch):
    import hmac

    seen = []
    real = hmac.compare_digest
    monkeypatch.setattr(hmac, "compare_digest", lambda a, b: seen.append(1) or real(a, b))
    hasher = PasswordHasher(**FAST_SCRYPT)
    stored = hasher.hash("s3cret")
    assert hasher.verify("s3cret", stored) and not hasher.verify("other", stored)
    assert not hasher.verify("s3cret", None) and not hasher.verify("s3cret", "garbage")
    assert len(seen) == 4 and hasher.calls == 5  # one to hash, one per check


async def test_the_api_needs_a_token_and_shows_only_your_own(serve):
    async with serve.http.get(f"{serve.url}/api/links", headers=JSON) as r:
        assert r.status == 401
    async with serve.http.get(f"{serve.url}/api/links", headers=serve.auth("made-up")) as r:
        assert r.status == 401
    mine = await create(serve)
    async with serve.http.get(f"{serve.url}/api/links", headers=serve.auth(serve.other)) as r:
        assert mine["id"] not in {x["id"] for x in (await r.json())["links"]}
    url = f"{serve.url}/api/links/{mine['id']}/revoke"
    async with serve.http.post(url, headers=serve.auth(serve.other)) as r:
        assert r.status == 404  # not bob's to revoke
    async with serve.http.post(
        f"{serve.url}/api/links", json={"bucket": "x", "key": "k"}, headers=serve.auth()
    ) as r:
        assert r.status == 400 and "bucket" in (await r.json())["message"]


async def test_extend_and_purge(serve):
    link = await create(serve, expires_in=30)
    url = f"{serve.url}/api/links/{link['id']}/extend"
    async with serve.http.post(url, json={"expires_in": 30 * 86400}, headers=serve.auth()) as r:
        assert r.status == 200
    serve.clock_offset = 3600  # past the first expiry, inside the new one
    assert (await get(serve, f"/s/{link['id']}"))[0] == 302
    serve.clock_offset = 31 * 86400
    async with serve.http.post(f"{serve.url}/api/links/purge-expired", headers=serve.auth()) as r:
        assert (await r.json())["purged"] >= 1
    assert (await get(serve, f"/s/{link['id']}"))[0] == 404


async def test_creating_links_is_rate_limited_per_owner(serve):
    for _ in range(10):
        await create(serve)
    body = {"bucket": serve.bucket, "key": "reports/q1 résumé.pdf"}
    async with serve.http.post(f"{serve.url}/api/links", json=body, headers=serve.auth()) as r:
        assert r.status == 429 and "Retry-After" in r.headers


async def test_upload_url_checks_type_and_size_and_s3_enforces_the_policy(serve):
    api = f"{serve.url}/api/upload-url"
    bad_type = {"filename": "x.exe", "content_type": "application/x-msdownload", "size": 10}
    async with serve.http.post(api, json=bad_type, headers=serve.auth()) as r:
        assert r.status == 400 and "not accepted" in (await r.json())["message"]
    too_big = {"filename": "x.png", "content_type": "image/png", "size": 4096}
    async with serve.http.post(api, json=too_big, headers=serve.auth()) as r:
        assert r.status == 400 and "at most 1,024 bytes" in (await r.json())["message"]
    ok = {"filename": "../../cat.png", "content_type": "image/png", "size": 8}
    async with serve.http.post(api, json=ok, headers=serve.auth()) as r:
        ticket = await r.json()
    assert ticket["key"].startswith("uploads/") and ticket["key"].endswith(".png")
    assert ".." not in ticket["key"]

    def form(body: bytes) -> aiohttp.FormData:
        data = aiohttp.FormData()
        for name, value in ticket["fields"].items():
            data.add_field(name, value)
        data.add_field("file", body, filename="cat.png", content_type="image/png")
        return data

    async with serve.http.post(ticket["url"], data=form(b"x" * 2048)) as r:
        assert r.status == 400 and "EntityTooLarge" in await r.text()
    async with serve.http.post(ticket["url"], data=form(b"\x89PNG....")) as r:
        assert r.status in (200, 204), await r.text()
    confirm = f"{serve.url}/api/confirm-upload"
    async with serve.http.post(confirm, json={"key": ticket["key"]}, headers=serve.auth()) as r:
        done = await r.json()
    assert done["size"] == 8 and done["content_type"] == "image/png"
    async with serve.http.post(confirm, json={"key": "reports/x"}, headers=serve.auth()) as r:
        assert r.status == 400


async def test_upload_page_and_static_files_have_the_security_headers(serve):
    status, headers, text = await get(serve, "/upload")
    assert status == 200 and 'src="/static/upload.js"' in text
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    status, headers, text = await get(serve, "/static/upload.js")
    assert status == 200 and "textContent" in text and headers["X-Frame-Options"] == "DENY"
    status, _, _ = await get(serve, "/static/../app.py")
    assert status in (403, 404)


class ServeProcess:
    """`s3tui serve` as its own process with a fresh ledger and one API token."""

    def __init__(self, tmp_path: Path, endpoint: str, *extra: str, env: dict | None = None):
        from s3tui.services.seaweed import free_ports

        self.env = {
            **os.environ,
            "S3TUI_CONFIG": str(tmp_path / "config.toml"),
            "S3TUI_DATA_DIR": str(tmp_path / "data"),
            **(env or {}),
        }
        db = str(tmp_path / "ledger.sqlite3")
        self.token = subprocess.run(
            [sys.executable, "-m", "s3tui", "serve", "--db", db, "--add-token", "ci"],
            capture_output=True,
            text=True,
            env=self.env,
            check=True,
        ).stdout.strip()
        self.port = free_ports(1)[0]
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "s3tui",
                "serve",
                "--db",
                db,
                "--port",
                str(self.port),
                "--endpoint-url",
                endpoint,
                *extra,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=self.env,
        )

    def wait_ready(self) -> None:
        import urllib.request

        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz").close()
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(self.proc.stderr.read())


def test_serve_command_stops_cleanly_on_sigterm(seaweed, tmp_path):
    env = {"AWS_ACCESS_KEY_ID": seaweed.access_key, "AWS_SECRET_ACCESS_KEY": seaweed.secret_key}
    serve = ServeProcess(tmp_path, seaweed.url, env=env)
    assert len(serve.token) >= 40
    try:
        serve.wait_ready()
        serve.proc.send_signal(signal.SIGTERM)
        assert serve.proc.wait(timeout=15) == 0
    finally:
        serve.proc.kill()
    out = serve.proc.stdout.read() + serve.proc.stderr.read()
    assert serve.token not in out and seaweed.secret_key not in out


async def test_presign_managed_from_a_script(serve, tmp_path):
    env = {
        **os.environ,
        "S3TUI_SERVER_URL": serve.url,
        "S3TUI_SERVER_TOKEN": serve.token,
        "S3TUI_CONFIG": str(tmp_path / "config.toml"),
        "S3TUI_DATA_DIR": str(tmp_path / "data"),
    }
    uri = f"s3://{serve.bucket}/reports/q1 résumé.pdf"
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "s3tui",
        "presign",
        "--managed",
        uri,
        "--expires",
        "30d",
        "--max-downloads",
        "1",
        "--password-stdin",
        "--note",
        "ci",
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    out, err = await proc.communicate(b"hunter2\n")
    assert proc.returncode == 0, err.decode()
    url = out.decode().strip()
    assert url.startswith(f"{serve.url}/s/")
    link_id = url.rsplit("/", 1)[1]
    status, _, _ = await get(serve, f"/s/{link_id}")
    assert status == 401  # it has the password
    async with serve.http.post(url, data={"password": "hunter2"}, allow_redirects=False) as r:
        assert r.status == 302
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "s3tui",
        "presign",
        "--managed",
        uri,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**env, "S3TUI_SERVER_TOKEN": "wrong-token"},
    )
    out, err = await proc.communicate()
    assert proc.returncode == 1 and b"API token was refused" in err


async def test_clients_are_rate_limited_and_bodies_capped(serve):
    serve.server.per_client.limit = 3
    link = await create(serve)
    statuses = [(await get(serve, f"/s/{link['id']}", headers=JSON))[0] for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    serve.server.per_client.limit = 600
    huge = {"bucket": serve.bucket, "key": "k", "note": "x" * 100_000}
    async with serve.http.post(f"{serve.url}/api/links", json=huge, headers=serve.auth()) as r:
        assert r.status == 413


def test_binding_beyond_loopback_warns(tmp_path):
    from s3tui.cli.serve import is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10")


def test_sigterm_lets_a_request_in_flight_finish(tmp_path):
    """A HEAD that the (scripted, slow) store answers after 1.5 s is still answered."""
    import http.server
    import json
    import threading
    import urllib.request

    class SlowStore(http.server.BaseHTTPRequestHandler):
        def do_HEAD(self):
            time.sleep(1.5)
            self.send_response(200)
            for name, value in (
                ("Content-Length", "8"),
                ("Content-Type", "image/png"),
                ("ETag", '"abc"'),
                ("Last-Modified", "Sun, 29 Nov 2026 00:00:00 GMT"),
            ):
                self.send_header(name, value)
            self.end_headers()

        def log_message(self, *args):
            pass

    store = http.server.ThreadingHTTPServer(("127.0.0.1", 0), SlowStore)
    threading.Thread(target=store.serve_forever, daemon=True).start()
    serve = ServeProcess(
        tmp_path,
        f"http://127.0.0.1:{store.server_address[1]}",
        "--upload-bucket",
        "uploads-bucket",
        env={"AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "SK"},
    )
    proc, port, token = serve.proc, serve.port, serve.token
    answer: dict = {}
    try:
        serve.wait_ready()

        def confirm() -> None:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/api/confirm-upload",
                data=json.dumps({"key": "uploads/2026/11/29/x.png"}).encode(),
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
            with urllib.request.urlopen(request, timeout=10) as r:
                answer.update(json.loads(r.read()), status=r.status)

        caller = threading.Thread(target=confirm)
        caller.start()
        time.sleep(0.5)  # the HEAD is on its way
        proc.send_signal(signal.SIGTERM)
        caller.join(10)
        assert proc.wait(timeout=15) == 0
    finally:
        proc.kill()
        store.shutdown()
    assert answer.get("status") == 200 and answer["size"] == 8, proc.stderr.read()


async def test_forwarded_for_counts_only_behind_a_trusted_proxy(serve):
    link = await create(serve)
    serve.server.per_client.limit = 2

    async def status(forwarded: str) -> int:
        headers = {"X-Forwarded-For": forwarded, **JSON}
        return (await get(serve, f"/s/{link['id']}", headers=headers))[0]

    # not trusted: a client cannot dodge its limit by making up addresses
    assert [await status(f"10.0.0.{i}") for i in range(3)] == [302, 302, 429]
    serve.server.config.trust_proxy = True
    serve.server.per_client = type(serve.server.per_client)(2)
    assert [await status("6.6.6.6, 10.0.0.1") for _ in range(3)] == [302, 302, 429]
    assert await status("6.6.6.6, 10.0.0.2") == 302  # another client, by the proxy's hop


def test_print_cors_names_the_origin_and_the_methods(tmp_path):
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "s3tui",
            "serve",
            "--print-cors",
            "--base-url",
            "https://share.example.com/",
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "S3TUI_CONFIG": str(tmp_path / "c.toml")},
    ).stdout
    assert "<AllowedOrigin>https://share.example.com</AllowedOrigin>" in out
    assert "<AllowedMethod>POST</AllowedMethod>" in out and "<ExposeHeader>ETag" in out
