"""Managed links from the app: made in the share dialog, revoked and extended in the history,
against the real `s3tui serve` over SeaweedFS — and the next request sees each change."""

from __future__ import annotations

import pytest
from textual.widgets import Input, RadioButton

from s3tui.services.config import Settings
from s3tui.services.connection import Connection
from s3tui.services.managed_api import ServerAccess
from s3tui.ui.app import Services, build_app
from s3tui.ui.dialogs.confirm import ConfirmDialog
from s3tui.ui.dialogs.prompt import PromptDialog
from s3tui.ui.dialogs.share import ShareDialog
from s3tui.ui.messages import OpenBucket
from s3tui.ui.screens.history import HistoryScreen
from s3tui.ui.widgets.managed_table import ManagedTable
from tests.ui.conftest import SIZE, settle


@pytest.fixture
def app(serve, seaweed, tmp_path):
    conn = Connection("test", seaweed.access_key, seaweed.secret_key, "us-east-1", seaweed.url)
    access = ServerAccess(serve.url, serve.token)
    services = Services(conn, history_path=tmp_path / "history.sqlite3", server=access)
    return build_app(Settings(), services)


async def until(pilot, check, what: str):
    for _ in range(300):
        value = check()
        if value:
            return value
        await pilot.pause(0.02)
    raise AssertionError(f"never: {what}")


async def follow(serve, link_id: str) -> int:
    async with serve.http.get(f"{serve.url}/s/{link_id}", allow_redirects=False) as r:
        return r.status


async def api_links(serve) -> list[dict]:
    async with serve.http.get(f"{serve.url}/api/links", headers=serve.auth()) as r:
        return (await r.json())["links"]


async def test_make_a_managed_link_then_revoke_and_extend_from_the_history(app, serve):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.post_message(OpenBucket(serve.bucket, "reports/"))
        await settle(pilot)
        await pilot.press("s")
        dialog = await until(pilot, lambda: isinstance(app.screen, ShareDialog), "share dialog")
        dialog = app.screen
        dialog.query_one("#k-managed", RadioButton).value = True
        dialog.query_one("#max-downloads", Input).value = "2"
        dialog.query_one("#note", Input).value = "for <b>Ann</b>"
        await pilot.pause()
        text = str(dialog.query_one("#meta").content)
        assert "at most 2 download(s)" in text and "no 7-day cap" in text
        await pilot.press("enter")
        await until(
            pilot,
            lambda: any("managed link" in n.message for n in app._notifications),
            "the copy notification",
        )
        (made,) = await api_links(serve)
        assert made["max_downloads"] == 2 and made["note"] == "for <b>Ann</b>"
        assert await follow(serve, made["id"]) == 302

        await pilot.press("H")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen), "history")
        table = app.screen.query_one(ManagedTable)
        await until(pilot, lambda: table.row_count == 1, "the managed row")
        assert "1/2" in str(table.get_row_at(0)[2]) and "live" in str(table.get_row_at(0)[0])
        table.focus()
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, PromptDialog), "extend prompt")
        app.screen.query_one(Input).value = "30d"
        await pilot.press("enter")
        await until(
            pilot,
            lambda: any("expires in 30d" in n.message for n in app._notifications),
            "extended",
        )
        serve.clock_offset = 20 * 86400  # past a day, inside the new 30 days
        assert await follow(serve, made["id"]) == 302
        serve.clock_offset = 0
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "revoke question")
        await pilot.press("y")
        await until(
            pilot, lambda: any(n.message == "Revoked." for n in app._notifications), "revoked"
        )
        assert await follow(serve, made["id"]) == 410
        await until(pilot, lambda: "revoked" in str(table.get_row_at(0)[0]), "row shows revoked")


async def test_an_unreachable_server_is_a_message_not_a_crash(seaweed, tmp_path):
    from s3tui.services.seaweed import free_ports

    conn = Connection("test", seaweed.access_key, seaweed.secret_key, "us-east-1", seaweed.url)
    access = ServerAccess(f"http://127.0.0.1:{free_ports(1)[0]}", "t" * 40)
    app = build_app(Settings(), Services(conn, history_path=tmp_path / "h.sqlite3", server=access))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("H")
        await until(
            pilot,
            lambda: any("cannot reach the share server" in n.message for n in app._notifications),
            "the message",
        )
        assert app.is_running
