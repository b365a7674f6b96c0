"""Sharing from the app, on SeaweedFS: what lands in the clipboard is a link that works."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import aiohttp
from yarl import URL

from s3tui.services.config import Settings
from s3tui.services.connection import Connection
from s3tui.ui.app import Services, build_app
from s3tui.ui.dialogs.batch import BatchShareDialog
from s3tui.ui.dialogs.share import ShareDialog
from s3tui.ui.messages import OpenBucket
from s3tui.ui.screens.history import HistoryScreen
from s3tui.ui.screens.objects import ObjectsScreen
from tests.ui.conftest import PDF, SIZE, settle


async def fetch(method, url, *, data=None, headers=None):
    async with (
        aiohttp.ClientSession() as session,
        session.request(method, URL(url, encoded=True), data=data, headers=headers or {}) as resp,
    ):
        return resp.status, await resp.read()


def app_for(world, token: str | None = None):
    seaweed, _, history = world
    conn = Connection("test", seaweed.access_key, seaweed.secret_key, "us-east-1", seaweed.url,
                      session_token=token)  # fmt: skip
    return build_app(Settings(), Services(conn, history_path=history))


async def open_reports(pilot, bucket):
    pilot.app.post_message(OpenBucket(bucket, "reports/2024/"))
    await settle(pilot)


async def test_share_download_for_one_hour_copies_a_working_link(share_world):
    _, bucket, _ = share_world
    app = app_for(share_world)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_reports(pilot, bucket)
        await pilot.press("down", "s")  # january.pdf (chart.png sorts first)
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ShareDialog) and dialog.link.key == "reports/2024/january.pdf"
        assert dialog.link.expires_in == 48 * 3600  # the .pdf rule
        await pilot.press("tab", "down", "down", "space")  # Expires: 5 min → 15 min → 1 h
        await pilot.pause()
        assert dialog.link.expires_in == 3600
        await pilot.press("shift+tab", "down", "space", "up", "space")  # upload, then back
        await pilot.pause()
        assert dialog.link.expires_in == 3600  # a chosen lifetime survives a change of kind
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ObjectsScreen)
        url = app.clipboard
        assert parse_qs(urlsplit(url).query)["X-Amz-Expires"] == ["3600"]
    assert await fetch("GET", url) == (200, PDF)


async def test_share_upload_link_for_a_typed_name(share_world):
    _, bucket, _ = share_world
    app = app_for(share_world)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_reports(pilot, bucket)
        await pilot.press("s", "down", "space")  # Kind: Upload (PUT)
        await pilot.pause()
        dialog = app.screen
        assert "type the name of the file" in dialog.problem
        dialog.query_one("#upload-name").value = "../My Photo.JPG"
        await pilot.pause()
        assert dialog.link.key == "reports/2024/_My Photo.JPG"
        assert dialog.link.expires_in == 1800  # uploads default to 30 min, as in the seed
        assert dialog.link.headers == {"Content-Type": "image/jpeg"}
        await pilot.press("enter")
        await settle(pilot)
        url = app.clipboard
    assert (await fetch("PUT", url, data=b"jpg", headers={"Content-Type": "text/plain"}))[0] == 403
    assert (await fetch("PUT", url, data=b"jpg", headers={"Content-Type": "image/jpeg"}))[0] == 200


async def test_expiry_over_seven_days_is_refused_in_the_dialog(share_world):
    _, bucket, _ = share_world
    app = app_for(share_world)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_reports(pilot, bucket)
        await pilot.press("down", "s")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#custom-expiry").value = "8d"
        await pilot.pause()
        assert "longer than 7 days" in str(dialog.query_one("#problem").render())
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog and app.clipboard == ""


async def test_batch_links_as_json(share_world):
    _, bucket, _ = share_world
    app = app_for(share_world)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_reports(pilot, bucket)
        await pilot.press("space", "space", "s")
        await pilot.pause()
        assert isinstance(app.screen, BatchShareDialog)
        await pilot.press("tab", "down", "space")  # Format: json
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        data = json.loads(app.clipboard)
    assert data["reports/2024/january.pdf"]["expires_in_hours"] == 48  # per-type rules
    assert data["reports/2024/chart.png"]["expires_in_hours"] == 168
    assert await fetch("GET", data["reports/2024/january.pdf"]["url"]) == (200, PDF)


async def test_history_lists_links_and_copies_again(share_world):
    _, bucket, history_path = share_world
    app = app_for(share_world)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_reports(pilot, bucket)
        await pilot.press("down", "s")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        first = app.clipboard
        await pilot.press("H")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert [e.url for e in app.screen.entries] == [first]
        app.copy_to_clipboard("something else")
        await pilot.press("enter")
        await settle(pilot)
        assert app.clipboard == first
        await pilot.press("escape")
        assert isinstance(app.screen, ObjectsScreen)
    assert history_path.stat().st_mode & 0o777 == 0o600


async def test_temporary_credentials_are_flagged_and_not_stored(share_world):
    _, bucket, history_path = share_world
    app = app_for(share_world, token="TEMPORARY-SESSION-TOKEN-1234")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)  # SeaweedFS refuses the unknown token: open the dialog directly
        app.push_screen(
            ShareDialog(
                app.client, bucket, "reports/2024/", "reports/2024/january.pdf", now=app.now
            ),
            app.deliver_share,
        )
        await pilot.pause()
        assert "temporary credentials" in str(app.screen.query_one("#warning").render())
        await pilot.press("enter")
        await settle(pilot)
        assert "TEMPORARY-SESSION-TOKEN-1234" in app.clipboard
    assert b"TEMPORARY-SESSION-TOKEN-1234" not in history_path.read_bytes()
