"""Big prefixes stream, errors stay in place, untrusted names render literally."""

from __future__ import annotations

import pytest

from s3tui.services.config import Settings
from s3tui.ui.messages import OpenBucket
from s3tui.ui.screens.buckets import BucketsScreen
from s3tui.ui.screens.objects import ObjectsScreen
from s3tui.ui.widgets.object_list import ObjectList
from tests.support.fixed_s3 import FixedS3, FixedS3Thread
from tests.ui.conftest import SIZE, make_app, settle


@pytest.fixture
def slow_s3():
    """Fixed data whose listing pages after the first take 0.3 s each."""
    server = FixedS3Thread(FixedS3(page_delay=0.3)).start()
    yield server
    server.stop()


def status(app) -> str:
    return str(app.screen.query_one("#status").render())


def screen_lines(app) -> list[str]:
    table = app.screen.query_one(ObjectList)
    return [table.render_line(y).text for y in range(min(len(table.rows), 30))]


async def wait_for(pilot, condition, rounds: int = 200) -> None:
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("condition not reached")


async def test_big_prefix_shows_first_page_while_the_rest_streams(slow_s3):
    app = make_app(slow_s3.url, settings=Settings(page_size=500))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.post_message(OpenBucket("report-sharing", "big/"))
        table = None

        def first_rows() -> bool:
            nonlocal table
            if not isinstance(app.screen, ObjectsScreen):
                return False
            table = app.screen.query_one(ObjectList)
            return len(table.rows) > 0

        await wait_for(pilot, first_rows)
        assert len(table.rows) == 500 and not app.screen.listing.complete
        assert "loading… 500 so far" in status(app)
        await pilot.press("down", "down")  # responsive while loading
        assert table.cursor == 2
        await settle(pilot)
        assert len(table.rows) == 2500 and app.screen.listing.complete
        assert table.cursor == 2  # the cursor stayed put as rows streamed in
        assert status(app).startswith("0 folders · 2,500 objects")


async def test_leaving_the_folder_stops_the_listing(slow_s3):
    app = make_app(slow_s3.url, settings=Settings(page_size=100))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.post_message(OpenBucket("report-sharing", "big/"))
        await wait_for(
            pilot, lambda: isinstance(app.screen, ObjectsScreen) and len(app.screen.listing) > 0
        )
        big = app.screen.listing
        await pilot.press("backspace")
        await settle(pilot)
        assert app.screen.prefix == ""
        served = slow_s3.server.pages_served
        await pilot.pause(0.7)
        assert not big.complete and len(big) < 2500
        assert slow_s3.server.pages_served == served  # nothing more was fetched


async def test_access_denied_is_shown_in_place(fixed_s3):
    app = make_app(fixed_s3.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.post_message(OpenBucket("forbidden-bucket"))
        await settle(pilot)
        assert app.screen.has_class("failed")
        text = str(app.screen.query_one("#error").render())
        assert "Access denied at s3://forbidden-bucket/" in text
        assert "Backspace" in text
        await pilot.press("backspace")
        await settle(pilot)
        assert isinstance(app.screen, BucketsScreen)


async def test_missing_bucket_via_goto(fixed_s3):
    app = make_app(fixed_s3.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await pilot.pause()
        app.screen.query_one("#prompt-input").value = "s3://no-such-bucket/x/"
        await pilot.press("enter")
        await settle(pilot)
        assert "No such bucket" in str(app.screen.query_one("#error").render())


async def test_endpoint_down_then_retry(fixed_s3):
    from tests.conftest import FAST_RETRY

    app = make_app("http://127.0.0.1:9")
    # the app makes its client lazily: give it one with fast retries
    app._client = app.services.connection.client(retry=FAST_RETRY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.has_class("failed")
        text = str(app.screen.query_one("#bucket-error").render())
        assert "Cannot reach the S3 endpoint" in text and "127.0.0.1:9" in text
        # the endpoint comes back: r retries on the same screen
        app._client = app.services.connection.client()
        app._client._endpoint = type(app._client._endpoint).parse(fixed_s3.url)
        await pilot.press("r")
        await settle(pilot)
        assert not app.screen.has_class("failed")
        keys = [row.value for row in app.screen.query_one("#buckets").rows]
        assert "report-sharing" in keys


async def test_untrusted_names_render_literally(fixed_s3):
    app = make_app(fixed_s3.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.post_message(OpenBucket("report-sharing", "odd names/"))
        await settle(pilot)
        lines = "\n".join(screen_lines(app))
        assert "[bold]markup[/" in lines  # a folder: the key has a '/' inside the markup
        assert "[reverse]not inverted.txt" in lines  # markup shown, not applied
        assert "escape ␛[2J clear.txt" in lines  # ESC made visible, never sent raw
        assert "line␊break.txt" in lines  # a newline in a key stays on its row
        assert "<U+202E>txt.exe" in lines  # bidi override cannot reorder the name
        assert "\x1b" not in lines and "\u202e" not in lines
        crumb = str(app.screen.query_one("#breadcrumb").render())
        assert crumb == "s3://report-sharing/odd names/"


async def test_no_credentials_screen_says_what_to_do():
    from s3tui.__main__ import NO_CREDENTIALS
    from s3tui.ui.app import Services, build_app

    app = build_app(Settings(), Services(None, NO_CREDENTIALS))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = str(app.screen.query_one("#problem").render())
        assert "AWS_ACCESS_KEY_ID" in text and "s3tui --demo" in text
        await pilot.press("q")
    assert app.return_code == 0


async def test_refused_credentials_say_what_to_check(seaweed):
    app = make_app(seaweed.url, access_key=seaweed.access_key, secret_key="not-the-secret")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, BucketsScreen) and app.screen.has_class("failed")
        text = str(app.screen.query_one("#bucket-error").render())
        assert "The credentials were refused (SignatureDoesNotMatch)" in text
        assert "access key id and secret" in text
        assert "not-the-secret" not in text


def key_event(ch: str):
    from textual import events

    names = {"/": "slash", ":": "colon", "-": "minus", " ": "space"}
    return events.Key(names.get(ch, ch), ch)


async def test_keys_typed_in_one_burst_after_g_reach_the_goto_dialog(fixed_s3):
    # a terminal delivers a fast typist's or a paste's keys together: none may be lost
    # to the list's bindings ("s" would open the share dialog, "r" refresh…)
    from s3tui.ui.dialogs.goto import GotoDialog

    app = make_app(fixed_s3.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.post_message(OpenBucket("report-sharing"))
        await settle(pilot)
        for ch in "gs3://report-sharing/reports/2024/":
            app.post_message(key_event(ch))
        await pilot.pause(0.2)
        assert isinstance(app.screen, GotoDialog)
        assert app.screen.query_one("#prompt-input").value == "s3://report-sharing/reports/2024/"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.prefix == "reports/2024/"
