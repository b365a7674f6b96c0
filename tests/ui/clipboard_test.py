"""The real system clipboard (Xvfb + xclip): a keystroke in the app leaves a working link."""

from __future__ import annotations

import asyncio

from tests.conftest import read_x_clipboard
from tests.ui.conftest import SIZE, settle
from tests.ui.share_ui_test import PDF, app_for, fetch, open_reports


async def test_enter_in_the_share_dialog_fills_the_x_clipboard(share_world, xvfb, monkeypatch):
    monkeypatch.setenv("DISPLAY", xvfb)
    _, bucket, _ = share_world
    app = app_for(share_world)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_reports(pilot, bucket)
        await pilot.press("down", "s")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        url = app.clipboard  # what went out as OSC 52
        messages = [n.message for n in app._notifications]
    pasted = await asyncio.to_thread(read_x_clipboard, xvfb)
    assert pasted == url and url.startswith("http")
    assert any("to the clipboard (system and terminal)" in m for m in messages)
    assert await fetch("GET", pasted) == (200, PDF)


async def test_without_a_display_the_app_says_so(share_world, monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    _, bucket, _ = share_world
    app = app_for(share_world)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_reports(pilot, bucket)
        await pilot.press("down", "s")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert app.clipboard.startswith("http")  # OSC 52 still carries it
    assert any("terminal clipboard (OSC 52" in m and "no system clipboard" in m for m in messages)
