"""Deleting from the app (moto): it names what goes, asks, and does only that."""

from __future__ import annotations

import uuid

import pytest

from s3tui.ui.dialogs.confirm import ConfirmDialog
from s3tui.ui.messages import OpenBucket
from s3tui.ui.widgets.object_list import ObjectList
from tests.ui.conftest import SIZE, make_app, settle, static_text


@pytest.fixture
async def del_bucket(moto):
    bucket = f"del-{uuid.uuid4().hex[:10]}"
    async with moto.client() as client:
        await client.create_bucket(bucket)
        for key in ("a.txt", "b.txt", "c.txt", *(f"old/{i}.log" for i in range(1203))):
            await client.put_object(bucket, key, b"x")
    return moto, bucket


def names(app):
    return [e.name for e in app.screen.query_one(ObjectList).rows]


async def test_marked_objects_go_after_yes_and_stay_after_no(del_bucket):
    moto, bucket = del_bucket
    app = make_app(moto.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.post_message(OpenBucket(bucket))
        await settle(pilot)
        await pilot.press("down", "space", "space", "D")  # a.txt, b.txt
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        text = "".join(static_text(app, s) for s in app.screen.query("Static"))
        assert "Delete 2 object(s)" in text and "a.txt" in text and "b.txt" in text
        await pilot.press("n")
        await settle(pilot)
        assert names(app) == ["old/", "a.txt", "b.txt", "c.txt"]
        await pilot.press("D")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert names(app) == ["old/", "c.txt"]


async def test_a_folder_delete_counts_first_and_batches(del_bucket):
    moto, bucket = del_bucket
    app = make_app(moto.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.post_message(OpenBucket(bucket))
        await settle(pilot)
        await pilot.press("D")  # the cursor is on old/
        await settle(pilot)
        text = "".join(static_text(app, s) for s in app.screen.query("Static"))
        assert "all 1,203 objects in it" in text and "… and 1,193 more" in text
        await pilot.press("y")
        await settle(pilot)
        assert names(app) == ["a.txt", "b.txt", "c.txt"]
    async with moto.client() as client:
        left = [
            o async for p in client.list_objects(bucket, "old/", delimiter="") for o in p.objects
        ]
    assert left == []
