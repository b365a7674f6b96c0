"""One snapshot per screen and state, from fixed data (pytest-textual-snapshot).

Update after a deliberate change with: scripts/test tests/ui/snapshot_test.py --snapshot-update
"""

from __future__ import annotations

import pytest

from s3tui.ui.messages import OpenBucket
from tests.ui.conftest import SIZE, make_app, settle


def opened(bucket: str, prefix: str = "", *keys: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.post_message(OpenBucket(bucket, prefix))
        await settle(pilot)
        if keys:
            await pilot.press(*keys)
            await settle(pilot)

    return run_before


@pytest.fixture
def app(fixed_s3):
    return make_app(fixed_s3.url, label="demo")


def test_buckets(snap_compare, app):
    async def loaded(pilot):
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=loaded)


def test_objects_root(snap_compare, app):
    assert snap_compare(app, terminal_size=SIZE, run_before=opened("report-sharing"))


def test_objects_filtered(snap_compare, app):
    run = opened("report-sharing", "reports/2024/", "slash", "m", "a")
    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_objects_sorted_by_size_with_marks(snap_compare, app):
    run = opened("report-sharing", "reports/2024/", "o", "home", "space", "space")
    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_details(snap_compare, app):
    run = opened("report-sharing", "reports/2024/", "end", "i")
    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_error_access_denied(snap_compare, app):
    assert snap_compare(app, terminal_size=SIZE, run_before=opened("forbidden-bucket"))


def test_empty_bucket(snap_compare, app):
    assert snap_compare(app, terminal_size=SIZE, run_before=opened("user-uploads"))


def test_untrusted_names(snap_compare, app):
    assert snap_compare(app, terminal_size=SIZE, run_before=opened("report-sharing", "odd names/"))


def test_help(snap_compare, app):
    run = opened("report-sharing", "", "question_mark")
    assert snap_compare(app, terminal_size=SIZE, run_before=run)


@pytest.fixture
def share_app(fixed_s3, tmp_path):
    return make_app(
        fixed_s3.url, label="demo", fixed_clock=True, history_path=tmp_path / "history.sqlite3"
    )


def test_share_download(snap_compare, share_app):
    run = opened("report-sharing", "reports/2024/", "end", "s")
    assert snap_compare(share_app, terminal_size=SIZE, run_before=run)


def test_share_upload(snap_compare, share_app):
    async def run(pilot):
        await opened("report-sharing", "reports/2024/", "s", "down", "space")(pilot)
        pilot.app.screen.query_one("#upload-name").value = "Q1 summary.csv"
        await pilot.pause()

    assert snap_compare(share_app, terminal_size=SIZE, run_before=run)


def test_share_upload_form(snap_compare, share_app):
    async def run(pilot):
        await opened("report-sharing", "reports/2024/", "s", "down", "down", "space")(pilot)
        pilot.app.screen.query_one("#upload-name").value = "scan.pdf"
        await pilot.pause()

    assert snap_compare(share_app, terminal_size=SIZE, run_before=run)


def test_share_batch(snap_compare, share_app):
    run = opened("report-sharing", "reports/2024/", "space", "space", "space", "s")
    assert snap_compare(share_app, terminal_size=SIZE, run_before=run)


def test_history(snap_compare, share_app):
    async def run(pilot):
        keys = ("end", "s", "enter", "home", "s", "enter", "H")
        await opened("report-sharing", "reports/2024/", *keys)(pilot)
        pilot.app.clear_notifications()  # the clipboard toast differs with the machine
        await pilot.pause()

    assert snap_compare(share_app, terminal_size=SIZE, run_before=run)
