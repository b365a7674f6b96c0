"""A bug ends the app with a short message and a scrubbed report, never a traceback."""

from __future__ import annotations

import pytest

from s3tui.services.config import Settings
from s3tui.services.connection import Connection
from s3tui.ui.app import Services, build_app
from s3tui.ui.messages import OpenBucket
from s3tui.ui.screens.objects import ObjectsScreen
from tests.ui.conftest import SIZE, settle

SECRET = "crash-test-secret-0123456789"


async def test_a_bug_exits_with_a_short_message_and_a_scrubbed_report(
    fixed_s3, tmp_path, monkeypatch, capfd
):
    monkeypatch.setenv("S3TUI_DATA_DIR", str(tmp_path))

    def broken(self):
        secret_key = SECRET  # a local, as Textual's own traceback would print it  # noqa: F841
        raise RuntimeError(f"boom with {SECRET} in the message")

    monkeypatch.setattr(ObjectsScreen, "action_cycle_sort", broken)
    conn = Connection("test", "AK", SECRET, "us-east-1", fixed_s3.url)
    app = build_app(Settings(), Services(conn))
    with pytest.raises(RuntimeError, match="boom"):  # run_test re-raises for the test
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.post_message(OpenBucket("report-sharing"))
            await settle(pilot)
            await pilot.press("o")
            await pilot.pause()
    assert app.return_code == 1
    shown = capfd.readouterr().err  # what the terminal shows after the app exits
    assert "s3tui stopped on an unexpected error: RuntimeError" in shown
    assert "Traceback" not in shown and SECRET not in shown
    reports = list((tmp_path / "crash-reports").iterdir())
    assert len(reports) == 1
    text = reports[0].read_text()
    assert "RuntimeError: boom with *** in the message" in text and SECRET not in text
    assert str(reports[0]) in shown.replace("\n", "")  # wrapped to the terminal width
    assert oct(reports[0].stat().st_mode & 0o777) == "0o600"
