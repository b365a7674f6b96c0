"""Real S3 endpoints on loopback, started once per test session.

- SeaweedFS (``weed mini``) verifies SigV4, expiry and signed headers as AWS does: every
  signing and link test goes through it.
- moto in server mode answers the broad S3 API quickly (it checks no signature).
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from s3tui.s3 import RetryPolicy, S3Client
from s3tui.services.seaweed import SeaweedServer

# Dates on screen are local time: pin the zone so snapshots match on every machine.
os.environ["TZ"] = "UTC"
time.tzset()

ACCESS_KEY = "s3tui-test-key"
SECRET_KEY = "s3tui-test-secret-0123456789abcdef"
READER_KEY = "s3tui-reader"
READER_SECRET = "s3tui-reader-secret-abcdef0123456789"
FAST_RETRY = RetryPolicy(max_attempts=3, base=0.01, cap=0.05)


@dataclass(frozen=True)
class Endpoint:
    """A running S3 endpoint and the keys it accepts."""

    url: str
    access_key: str
    secret_key: str

    def client(self, **kwargs) -> S3Client:
        """A client for this endpoint (fast retries unless told otherwise)."""
        kwargs.setdefault("retry", FAST_RETRY)
        return S3Client(self.access_key, self.secret_key, endpoint_url=self.url, **kwargs)


@pytest.fixture(scope="session")
def seaweed(tmp_path_factory) -> Iterator[Endpoint]:
    """A SeaweedFS S3 endpoint with an admin key and a read-only key."""
    data = tmp_path_factory.mktemp("seaweed")
    server = SeaweedServer.start(data, ACCESS_KEY, SECRET_KEY, readers={READER_KEY: READER_SECRET})
    try:
        yield Endpoint(server.endpoint_url, ACCESS_KEY, SECRET_KEY)
    finally:
        server.stop()


@pytest.fixture(scope="session")
def seaweed_reader(seaweed) -> Endpoint:
    """The same SeaweedFS, with credentials that may only read and list."""
    return Endpoint(seaweed.url, READER_KEY, READER_SECRET)


@pytest.fixture(scope="session")
def moto() -> Iterator[Endpoint]:
    """moto's S3 in server mode on a free loopback port."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield Endpoint(f"http://{host}:{port}", "moto-key", "moto-secret")
    finally:
        server.stop()


@pytest.fixture
def bucket_name() -> str:
    """A fresh, valid bucket name."""
    return f"t-{uuid.uuid4().hex[:20]}"


@pytest.fixture
async def moto_bucket(moto, bucket_name):
    """A client on moto plus an empty bucket created for this test."""
    async with moto.client() as client:
        await client.create_bucket(bucket_name)
        yield client, bucket_name


@pytest.fixture
async def seaweed_bucket(seaweed, bucket_name):
    """A client on SeaweedFS plus an empty bucket created for this test."""
    async with seaweed.client() as client:
        await client.create_bucket(bucket_name)
        yield client, bucket_name


@pytest.fixture(scope="session")
def xvfb() -> Iterator[str]:
    """A real X display (Xvfb) for the system clipboard; yields its DISPLAY value."""
    import shutil
    import subprocess
    from pathlib import Path

    if shutil.which("Xvfb") is None or shutil.which("xclip") is None:
        pytest.skip("Xvfb and xclip are not installed (apt-get install xvfb xclip)")
    number = next(
        n
        for n in range(90, 200)
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists()
    )
    proc = subprocess.Popen(
        ["Xvfb", f":{number}", "-nolisten", "tcp", "-screen", "0", "800x600x24"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    socket = Path(f"/tmp/.X11-unix/X{number}")
    for _ in range(100):
        if socket.exists():
            break
        time.sleep(0.05)
    try:
        yield f":{number}"
    finally:
        proc.terminate()  # xclip's selection owners end with the server
        proc.wait(10)


def read_x_clipboard(display: str) -> str:
    """What another program on the display pastes (xclip, as a user's paste would)."""
    import subprocess

    env = {**os.environ, "DISPLAY": display}
    return subprocess.run(
        ["xclip", "-o", "-selection", "clipboard"],
        env=env,
        capture_output=True,
        text=True,
        timeout=10,
    ).stdout


@pytest.fixture
def secret_service():
    """The real Secret Service; in CI its absence is a failure, not a skip."""
    import keyring

    backend = keyring.get_keyring()
    if type(backend).__module__ != "keyring.backends.SecretService":
        if os.environ.get("CI"):
            pytest.fail(f"no Secret Service in CI (backend {backend!r}): see scripts/test")
        pytest.skip("no Secret Service here: run through scripts/test")
    return backend


@pytest.fixture
async def serve(seaweed, seaweed_bucket, tmp_path):
    """The real server on loopback over SeaweedFS, with tokens for alice and bob, one PDF
    in the bucket and uploads (at most 1 KiB) enabled into it."""
    import aiohttp

    from s3tui.server.app import ServeConfig
    from s3tui.server.uploads import UploadRules
    from tests.support.serve import Running

    client, bucket = seaweed_bucket
    await client.put_object(bucket, "reports/q1 résumé.pdf", b"%PDF-1.4 quarter one")
    config = ServeConfig(uploads=UploadRules(bucket=bucket, max_bytes=1024))
    running = Running(seaweed, tmp_path / "ledger.sqlite3", config)
    await running.start()
    async with aiohttp.ClientSession() as http:
        running.http, running.bucket = http, bucket
        yield running
    await running.stop()
