"""Every browser action a user takes, on the real app against moto on loopback."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from s3tui.services.config import Settings
from s3tui.ui.dialogs.details import DetailsDialog
from s3tui.ui.dialogs.goto import GotoDialog
from s3tui.ui.dialogs.help import HelpDialog
from s3tui.ui.messages import OpenBucket
from s3tui.ui.screens.buckets import BucketsScreen
from s3tui.ui.screens.objects import ObjectsScreen
from s3tui.ui.widgets.object_list import ObjectList
from tests.ui.conftest import SIZE, make_app, settle, static_text

FILES = {
    "reports/2024/january.pdf": b"%PDF jan",
    "reports/2024/february.pdf": b"%PDF february!",
    "reports/2024/march.pdf": b"%PDF march, the longest of them all",
    "reports/2024/april.pdf": b"%PDF a",
    "images/chart1.png": b"\x89PNG1",
    "data/raw-data.csv": b"a,b\n1,2\n",
    "top.txt": b"top level",
}


@pytest.fixture(scope="module")
def world(moto):
    """A bucket with the seed's reports plus an empty bucket, created once."""
    name = f"rs-{uuid.uuid4().hex[:12]}"
    empty = f"empty-{uuid.uuid4().hex[:12]}"

    async def seed():
        async with moto.client() as client:
            await client.create_bucket(name)
            await client.create_bucket(empty)
            for key, body in FILES.items():
                await client.put_object(
                    bucket=name,
                    key=key,
                    body=body,
                    content_type="application/pdf" if key.endswith(".pdf") else None,
                    metadata={"owner": "finance"},
                )

    asyncio.run(seed())
    return moto, name, empty


def names(app) -> list[str]:
    return [e.name for e in app.screen.query_one(ObjectList).rows]


def status(app) -> str:
    return str(app.screen.query_one("#status").render())


async def open_bucket(pilot, bucket: str, prefix: str = "") -> None:
    """Open a bucket at a prefix as the buckets screen does."""
    pilot.app.post_message(OpenBucket(bucket, prefix))
    await settle(pilot)


async def test_buckets_screen_lists_and_opens(world):
    moto, bucket, empty = world
    app = make_app(moto.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, BucketsScreen)
        table = app.screen.query_one("#buckets")
        keys = [row.value for row in table.rows]
        assert bucket in keys and empty in keys
        table.move_cursor(row=keys.index(bucket))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ObjectsScreen) and app.screen.bucket == bucket
        assert names(app) == ["data/", "images/", "reports/", "top.txt"]  # folders first
        assert str(app.screen.query_one("#breadcrumb").render()) == f"s3://{bucket}/"


async def test_enter_folder_backspace_up_and_back_to_buckets(world):
    moto, bucket, _ = world
    app = make_app(moto.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_bucket(pilot, bucket)
        await pilot.press("down", "down", "enter")  # reports/
        await settle(pilot)
        assert app.screen.prefix == "reports/" and names(app) == ["2024/"]
        await pilot.press("enter")
        await settle(pilot)
        assert names(app) == ["april.pdf", "february.pdf", "january.pdf", "march.pdf"]
        await pilot.press("backspace")
        await settle(pilot)
        assert app.screen.prefix == "reports/"
        await pilot.press("backspace")
        await settle(pilot)
        assert app.screen.prefix == ""
        assert app.screen.query_one(ObjectList).current.name == "reports/"  # cursor kept
        await pilot.press("backspace")
        await settle(pilot)
        assert isinstance(app.screen, BucketsScreen)


async def test_goto_path_and_bad_paths(world):
    moto, bucket, _ = world
    app = make_app(moto.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, GotoDialog)
        await pilot.press(*"s3://Not A Bucket/x", "enter")
        await pilot.pause()
        assert isinstance(app.screen, GotoDialog)
        assert "invalid bucket name" in str(app.screen.query_one("#prompt-error").render())
        app.screen.query_one("#prompt-input").value = f"s3://{bucket}/reports/2024"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ObjectsScreen)
        assert (app.screen.bucket, app.screen.prefix) == (bucket, "reports/2024/")
        assert "january.pdf" in names(app)
        await pilot.press("g")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ObjectsScreen)


async def test_filter_as_you_type_and_escape_clears(world):
    moto, bucket, _ = world
    app = make_app(moto.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_bucket(pilot, bucket, "reports/2024/")
        await pilot.press("slash", *"MAR")
        await pilot.pause()
        assert names(app) == ["march.pdf"]  # case-insensitive
        assert "1 match “MAR”" in status(app)
        await pilot.press("enter")  # keep the filter, back to the list
        assert isinstance(app.focused, ObjectList)
        await pilot.press("escape")
        await pilot.pause()
        assert len(names(app)) == 4
        await pilot.press("slash", *"zzz")
        await pilot.pause()
        assert names(app) == []


async def test_sort_cycles_and_reverses_with_header(world):
    moto, bucket, _ = world
    app = make_app(moto.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_bucket(pilot, bucket, "reports/2024/")
        header = lambda: str(app.screen.query_one("#columns").render())  # noqa: E731
        assert "Name ▲" in header()
        await pilot.press("o")
        assert "Size ▲" in header()
        assert names(app) == ["april.pdf", "january.pdf", "february.pdf", "march.pdf"]
        await pilot.press("O")
        assert "Size ▼" in header()
        assert names(app)[0] == "march.pdf"
        await pilot.press("o")
        assert "Last modified ▼" in header()
        await pilot.press("o")
        assert "Name ▼" in header()
        assert names(app) == ["march.pdf", "january.pdf", "february.pdf", "april.pdf"]


async def test_refresh_shows_new_objects(world):
    moto, bucket, _ = world
    app = make_app(moto.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_bucket(pilot, bucket, "data/")
        assert names(app) == ["raw-data.csv"]
        await app.client.put_object(bucket, "data/new.csv", b"1")
        await pilot.press("r")
        await settle(pilot)
        assert names(app) == ["new.csv", "raw-data.csv"]
        await app.client.delete_object(bucket, "data/new.csv")


async def test_details_show_head(world):
    moto, bucket, _ = world
    app = make_app(moto.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_bucket(pilot, bucket, "reports/2024/")
        await pilot.press("end", "i")
        await settle(pilot)
        assert isinstance(app.screen, DetailsDialog)
        rendered = static_text(app, app.screen.query_one("Static"))
        for expected in (
            "march.pdf",
            "application/pdf",
            "35 bytes",
            "x-amz-meta-owner",
            "finance",
            "STANDARD",
            '"',
        ):
            assert expected in rendered
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ObjectsScreen)


async def test_marks_count_in_status_and_unmark(world):
    moto, bucket, _ = world
    app = make_app(moto.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_bucket(pilot, bucket, "reports/2024/")
        await pilot.press("space", "space")
        assert "2 marked" in status(app)
        listing = app.screen.query_one(ObjectList)
        assert [e.name for e in listing.marked_entries()] == ["april.pdf", "february.pdf"]
        await pilot.press("U")
        assert "marked" not in status(app)


async def test_folders_cannot_be_marked(world):
    moto, bucket, _ = world
    app = make_app(moto.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_bucket(pilot, bucket)
        await pilot.press("space")
        assert app.screen.query_one(ObjectList).marked == set()


async def test_help_lists_every_binding_and_quit(world):
    moto, bucket, _ = world
    app = make_app(moto.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_bucket(pilot, bucket)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpDialog)
        text = static_text(app, app.screen.query_one("Static"))
        for binding in [*ObjectsScreen.BINDINGS, *ObjectList.BINDINGS]:
            assert binding.description in text
        await pilot.press("escape")
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_command_palette_lists_actions(world):
    moto, bucket, _ = world
    app = make_app(moto.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_bucket(pilot, bucket)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for expected in (
            "Refresh listing",
            "Filter names",
            "Go to path",
            "Object details",
            "Cycle sort (name, size, date)",
            "Help: key bindings",
        ):
            assert expected in titles
        await pilot.press("ctrl+p", *"cycle sort")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.sort == "size"


async def test_mouse_click_moves_and_double_click_opens(world):
    moto, bucket, _ = world
    app = make_app(moto.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_bucket(pilot, bucket)
        await pilot.click(ObjectList, offset=(5, 1))
        assert app.screen.query_one(ObjectList).current.name == "images/"
        await pilot.double_click(ObjectList, offset=(5, 1))
        await settle(pilot)
        assert app.screen.prefix == "images/"


async def test_empty_bucket_says_so(world):
    moto, _, empty = world
    app = make_app(moto.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_bucket(pilot, empty)
        assert names(app) == [] and status(app).startswith("empty")


async def test_settings_page_size_streams_pages(world):
    moto, bucket, _ = world
    app = make_app(moto.url, settings=Settings(page_size=2))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_bucket(pilot, bucket, "reports/2024/")
        assert len(names(app)) == 4
        assert "loading" not in status(app)


async def test_keymap_from_settings_remaps_bindings(world):
    moto, bucket, _ = world
    app = make_app(moto.url, settings=Settings(keymap={"objects.sort": "s", "objects.filter": "f"}))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_bucket(pilot, bucket, "reports/2024/")
        await pilot.press("s")
        assert app.screen.sort == "size"
        await pilot.press("f", *"jan")
        assert names(app) == ["january.pdf"]
