"""The real ``s3tui --demo`` in a real terminal (tmux), driven by keystrokes."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

S3TUI = Path(sys.executable).with_name("s3tui")


class Tmux:
    """One detached tmux session running a command in a 120x36 terminal."""

    def __init__(self, command: str, env: dict[str, str]) -> None:
        self.name = f"s3tui-{uuid.uuid4().hex[:8]}"
        self.env = env
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", self.name, "-x", "120", "-y", "36", command],
            check=True,
            env=env,
        )

    def screen(self) -> str:
        return subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.name],
            capture_output=True,
            text=True,
            env=self.env,
        ).stdout

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True, env=self.env)

    def type(self, text: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, "-l", text], check=True, env=self.env)

    def wait_for(self, text: str, timeout: float = 15.0) -> str:
        """Poll the screen until ``text`` shows (the terminal gives no event to wait on)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; screen was:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True, env=self.env)


@pytest.fixture
def tmux_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "TMUX"))}
    env |= {
        "TERM": "xterm-256color",
        "S3TUI_CONFIG": str(tmp_path / "config.toml"),
        "TMUX_TMPDIR": str(tmp_path),
    }  # a private tmux server for this test
    return env


def test_demo_browse_filter_and_quit(tmp_path, tmux_env):
    done = tmp_path / "exit-status"
    command = (
        f"{shlex.quote(str(S3TUI))} --demo --demo-dir {shlex.quote(str(tmp_path / 'demo'))}; "
        f"echo $? > {shlex.quote(str(done))}; echo EXITED; sleep 60"
    )
    term = Tmux(command, tmux_env)
    try:
        term.wait_for("report-sharing", timeout=30)
        term.keys("Enter")  # buckets are sorted: report-sharing is first
        term.wait_for("s3://report-sharing/")
        term.wait_for("reports/")
        term.keys("/")
        term.type("reports")
        term.keys("Enter", "Enter")  # leave the filter, open the only match
        screen = term.wait_for("2024/")
        assert "s3://report-sharing/reports/" in screen
        term.keys("Enter")
        screen = term.wait_for("january.pdf")
        for month in ("february.pdf", "march.pdf", "april.pdf"):
            assert month in screen
        term.keys("/")
        term.type("march")
        screen = term.wait_for("1 match")
        assert "march.pdf" in screen and "january.pdf" not in screen
        term.keys("Escape")  # alone: ESC and a key sent together read as alt+key
        term.wait_for("january.pdf")
        term.keys("BSpace")
        term.wait_for("s3://report-sharing/reports/\n")
        term.keys("BSpace")
        term.wait_for("images/")
        term.keys("q")
        screen = term.wait_for("EXITED")
        assert done.read_text().strip() == "0"
        assert "Traceback" not in screen
        # the terminal is restored: the alternate screen is gone, the shell output shows
        assert "s3://report-sharing" not in screen
    finally:
        term.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _weed_running(tmp_path):
        time.sleep(0.1)
    assert not _weed_running(tmp_path), "the demo endpoint outlived the app"


def _weed_running(tmp_path: Path) -> bool:
    out = subprocess.run(["pgrep", "-af", "weed mini"], capture_output=True, text=True).stdout
    return str(tmp_path) in out


def test_demo_share_one_hour_link_from_the_clipboard(tmp_path, tmux_env, xvfb):
    import urllib.request
    from urllib.parse import parse_qs, urlsplit

    from tests.conftest import read_x_clipboard

    env = tmux_env | {"DISPLAY": xvfb}
    command = (
        f"{shlex.quote(str(S3TUI))} --demo --demo-dir {shlex.quote(str(tmp_path / 'd'))}"
        f"; echo EXITED; sleep 60"
    )
    term = Tmux(command, env)
    try:
        term.wait_for("report-sharing", timeout=30)
        term.keys("Enter")
        term.wait_for("reports/")
        term.keys("/")
        term.type("reports")
        term.keys("Enter", "Enter")
        term.wait_for("2024/")
        term.keys("Enter")
        term.wait_for("january.pdf")
        term.keys("/")
        term.type("january")
        term.keys("Enter")
        term.wait_for("1 match")
        term.keys("s")
        term.wait_for("Download link: s3://report-sharing/reports/2024/january.pdf")
        term.keys("Tab")
        term.keys("Down")
        term.keys("Down")
        term.keys("Space")  # Expires: 1 h
        term.wait_for("in 1h")
        term.keys("Enter")
        term.wait_for("Copied")
        url = read_x_clipboard(xvfb)
        assert parse_qs(urlsplit(url).query)["X-Amz-Expires"] == ["3600"]
        with urllib.request.urlopen(url, timeout=10) as resp:  # the demo endpoint judges it
            assert resp.read().startswith(b"%PDF-1.4")
        term.keys("q")
        term.wait_for("EXITED")
    finally:
        term.close()
