"""One snapshot per screen and state, from fixed data (pytest-textual-snapshot).

Update after a deliberate change with: scripts/test tests/ui/snapshot_test.py --snapshot-update
"""

from __future__ import annotations

import pytest

from s3tui.ui.messages import OpenBucket
from tests.support.transfers_demo import fill_transfers
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


@pytest.fixture
def profile_store(tmp_path):
    from s3tui.services.profiles import ProfileStore

    path = tmp_path / "config.toml"
    path.write_text(
        'active_profile = "work-minio"\n'
        '[profiles.aws-prod]\naccess_key_id = "AKIAIOSFODNN7EXAMPLE"\nregion = "eu-west-1"\n'
        'addressing_style = "auto"\n'
        '[profiles.work-minio]\naccess_key_id = "minio-admin"\nregion = "us-east-1"\n'
        'addressing_style = "path"\nendpoint_url = "https://minio.example.internal:9000"\n'
    )
    return ProfileStore(path)


def test_profile_list(snap_compare, fixed_s3, profile_store):
    app = make_app(fixed_s3.url, label="work-minio")
    app.services.profiles = profile_store

    async def run(pilot):
        await settle(pilot)
        await pilot.press("P")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_profile_form_new(snap_compare, tmp_path):
    from s3tui.__main__ import NO_CREDENTIALS
    from s3tui.services.config import Settings
    from s3tui.services.profiles import ProfileStore
    from s3tui.ui.app import Services, build_app

    app = build_app(
        Settings(), Services(None, NO_CREDENTIALS, profiles=ProfileStore(tmp_path / "c.toml"))
    )

    async def run(pilot):
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        for wid, value in (
            ("name", "work-minio"),
            ("access", "minio-admin"),
            ("secret", "not-shown-anywhere"),
        ):
            pilot.app.screen.query_one(f"#{wid}").value = value
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_no_keyring_message(snap_compare, tmp_path, monkeypatch):
    import keyring
    from keyring.backends import fail

    from s3tui.__main__ import NO_CREDENTIALS
    from s3tui.services.config import Settings
    from s3tui.services.profiles import ProfileStore
    from s3tui.ui.app import Services, build_app

    monkeypatch.setattr(keyring.core, "_keyring_backend", fail.Keyring())
    app = build_app(
        Settings(), Services(None, NO_CREDENTIALS, profiles=ProfileStore(tmp_path / "c.toml"))
    )

    async def run(pilot):
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        for wid, value in (("name", "home-r2"), ("access", "r2-key"), ("secret", "r2-secret")):
            pilot.app.screen.query_one(f"#{wid}").value = value
        await pilot.press("ctrl+s")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_preview_text(snap_compare, app):
    run = opened("report-sharing", "data/", "p")
    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_preview_hex(snap_compare, app):
    run = opened("report-sharing", "images/", "p")
    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_delete_confirmation(snap_compare, app):
    run = opened("report-sharing", "reports/2024/", "space", "space", "D")
    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_transfer_panel(snap_compare, app):
    async def run_before(pilot) -> None:
        await opened("report-sharing", "reports/2024/")(pilot)
        fill_transfers(pilot.app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_conflict_dialog(snap_compare, app):
    from s3tui.ui.dialogs.conflict import ConflictDialog

    async def run_before(pilot) -> None:
        await opened("report-sharing", "reports/2024/")(pilot)
        pilot.app.push_screen(ConflictDialog("/home/me/Downloads/march.pdf", "2024/march.pdf", 3))
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_share_managed(snap_compare, share_app):
    from s3tui.services.managed_api import ServerAccess

    share_app.services.server = ServerAccess("https://share.example.com", "not-shown")

    async def run(pilot):
        await opened("report-sharing", "reports/2024/", "end", "s")(pilot)
        screen = pilot.app.screen
        screen.query_one("#k-managed").value = True
        screen.query_one("#max-downloads").value = "3"
        screen.query_one("#link-password").value = "secret pass"
        screen.query_one("#note").value = "for the auditors"
        await pilot.pause()

    assert snap_compare(share_app, terminal_size=SIZE, run_before=run)
