"""Downloads, uploads, folders, copies and moves from the app (moto), through the dialogs."""

from __future__ import annotations

import asyncio
import json
import os
import uuid

import pytest
from textual.widgets import Input

from s3tui.s3 import NoSuchKey
from s3tui.services.config import Settings
from s3tui.services.connection import Connection
from s3tui.services.transfers import State
from s3tui.ui.app import Services, build_app
from s3tui.ui.dialogs.confirm import ConfirmDialog
from s3tui.ui.dialogs.conflict import ConflictDialog
from s3tui.ui.dialogs.download import DownloadDialog
from s3tui.ui.dialogs.prompt import PromptDialog
from s3tui.ui.dialogs.upload import UploadDialog
from s3tui.ui.messages import OpenBucket
from s3tui.ui.widgets.object_list import ObjectList
from s3tui.ui.widgets.transfer_panel import TransferPanel
from tests.ui.conftest import SIZE, settle, static_text

FILES = {
    "docs/a.txt": b"alpha",
    "docs/b.csv": b"x,y\n1,2\n",
    "docs/sub/c.json": b"{}",
    "docs/../../escape.txt": b"outside?",
}


@pytest.fixture
async def world(moto, tmp_path):
    bucket = f"xfer-{uuid.uuid4().hex[:10]}"
    other = f"xfer-{uuid.uuid4().hex[:10]}"
    async with moto.client() as client:
        for b in (bucket, other):
            await client.create_bucket(b)
        for key, body in FILES.items():
            await client.put_object(bucket, key, body)
    conn = Connection("test", moto.access_key, moto.secret_key, "us-east-1", moto.url)
    state = tmp_path / "state.json"
    app = build_app(Settings(), Services(conn, state_path=state))
    return app, moto, bucket, other, state


def rows(app) -> list[str]:
    return [e.name for e in app.screen.query_one(ObjectList).rows]


async def open_docs(pilot, app, bucket):
    await settle(pilot)
    app.post_message(OpenBucket(bucket, "docs/"))
    await settle(pilot)


async def type_into(pilot, text: str) -> None:
    """Replace the dialog's input (short texts typed key by key) and press Enter."""
    box = pilot.app.screen.query_one(Input)
    if len(text) <= 12:
        box.value = ""
        await pilot.press(*text)
    else:
        box.value = text
    await pilot.press("enter")


async def finished(pilot) -> None:
    """Wait until the dialog's callback has started its batch and the batch is over."""
    for _ in range(500):
        await settle(pilot)
        if not any(
            w.group in ("transfers", "folder") and not w.is_finished for w in pilot.app.workers
        ):
            await settle(pilot)
            return
        await pilot.pause(0.02)
    raise AssertionError("transfers did not finish")


async def wait_for(pilot, cls):
    for _ in range(200):
        if isinstance(pilot.app.screen, cls):
            return pilot.app.screen
        await pilot.pause(0.02)
    raise AssertionError(f"{cls.__name__} never showed; on {pilot.app.screen!r}")


async def test_download_folders_and_marked_objects_into_a_remembered_folder(world, tmp_path):
    app, _moto, bucket, _other, state = world
    dest = tmp_path / "dl"
    async with app.run_test(size=SIZE) as pilot:
        await open_docs(pilot, app, bucket)
        assert rows(app) == ["../", "sub/", "a.txt", "b.csv"]
        await pilot.press("d")  # the folder "docs/../", which holds a key with '..'
        dialog = await wait_for(pilot, DownloadDialog)
        assert "1 folder(s)" in static_text(app, dialog.query_one("#prompt-title"))
        await type_into(pilot, str(dest))
        await finished(pilot)
        # it lands inside the folder, under a safe name, and the user is told
        inside = [p for p in dest.rglob("*") if p.is_file()]
        assert [p.read_bytes() for p in inside] == [b"outside?"]
        assert dest.resolve() in inside[0].resolve().parents
        assert not (tmp_path / "escape.txt").exists()
        assert any("changed to be safe" in n.message for n in app._notifications)
        assert json.loads(state.read_text())["download_dir"] == str(dest)
        await pilot.press("down", "d")  # sub/: the folder is offered again
        dialog = await wait_for(pilot, DownloadDialog)
        assert dialog.query_one(Input).value == str(dest)
        await pilot.press("enter")
        await finished(pilot)
        assert (dest / "sub" / "c.json").read_bytes() == b"{}"
        await pilot.press("down", "space", "space", "d")  # a.txt and b.csv
        dialog = await wait_for(pilot, DownloadDialog)
        assert "2 objects (13 B)" in static_text(app, dialog.query_one("#prompt-title"))
        await pilot.press("enter")
        await finished(pilot)
        panel = app.screen.query_one(TransferPanel)
        panel.refresh_panel()
        assert panel.display and "4/4 done" in str(panel.content)
    assert (dest / "a.txt").read_bytes() == b"alpha"
    assert (dest / "b.csv").read_bytes() == b"x,y\n1,2\n"


async def test_existing_files_ask_skip_overwrite_or_keep_both_once_for_all(world, tmp_path):
    app, _moto, bucket, _other, _state = world
    dest = tmp_path / "dl"
    dest.mkdir()
    (dest / "a.txt").write_bytes(b"mine")
    (dest / "b.csv").write_bytes(b"mine too")
    async with app.run_test(size=SIZE) as pilot:
        await open_docs(pilot, app, bucket)
        await pilot.press("end", "space", "up", "space", "d")
        await wait_for(pilot, DownloadDialog)
        await type_into(pilot, str(dest))
        dialog = await wait_for(pilot, ConflictDialog)
        text = "".join(static_text(app, s) for s in dialog.query("Static"))
        assert "exists already" in text and "a.txt" in text
        await pilot.press("a", "k")  # keep both, for the other one too
        await finished(pilot)
        assert not isinstance(app.screen, ConflictDialog)
    assert (dest / "a.txt").read_bytes() == b"mine"
    assert (dest / "a (1).txt").read_bytes() == b"alpha"
    assert (dest / "b (1).csv").read_bytes() == b"x,y\n1,2\n"


async def test_escape_at_the_conflict_writes_nothing(world, tmp_path):
    app, _moto, bucket, _other, _state = world
    dest = tmp_path / "dl"
    dest.mkdir()
    (dest / "a.txt").write_bytes(b"mine")
    async with app.run_test(size=SIZE) as pilot:
        await open_docs(pilot, app, bucket)
        await pilot.press("end", "up", "d")
        await wait_for(pilot, DownloadDialog)
        await type_into(pilot, str(dest))
        await wait_for(pilot, ConflictDialog)
        await pilot.press("escape")
        await finished(pilot)
    assert sorted(p.name for p in dest.iterdir()) == ["a.txt"]
    assert (dest / "a.txt").read_bytes() == b"mine"


async def test_a_destination_that_is_a_file_is_refused_in_the_dialog(world, tmp_path):
    app, _moto, bucket, _other, _state = world
    (tmp_path / "file").write_text("x")
    async with app.run_test(size=SIZE) as pilot:
        await open_docs(pilot, app, bucket)
        await pilot.press("end", "d")
        dialog = await wait_for(pilot, DownloadDialog)
        await type_into(pilot, str(tmp_path / "file"))
        await pilot.pause()
        assert app.screen is dialog
        error = static_text(app, dialog.query_one("#prompt-error"))
        assert "is a file, not a folder" in " ".join(error.split())


async def test_upload_files_and_a_folder_with_guessed_types(world, tmp_path):
    app, moto, bucket, _other, _state = world
    src = tmp_path / "src"
    (src / "pics").mkdir(parents=True)
    (src / "report 2026.pdf").write_bytes(b"%PDF-1.4")
    (src / "pics" / "cat.png").write_bytes(b"\x89PNG")
    big = src / "big.bin"
    big.write_bytes(b"\x07" * (9 * 1024 * 1024))  # over 8 MiB: multipart
    async with app.run_test(size=SIZE) as pilot:
        await open_docs(pilot, app, bucket)
        await pilot.press("u")
        dialog = await wait_for(pilot, UploadDialog)
        assert "s3://" in static_text(app, dialog.query_one("#upload-title"))
        await type_into(pilot, f"'{src / 'report 2026.pdf'}' {src / 'pics'} {big}")
        await finished(pilot)
        assert "report 2026.pdf" in rows(app) and "pics/" in rows(app)
    async with moto.client() as client:
        pdf = await client.head_object(bucket, "docs/report 2026.pdf")
        png = await client.head_object(bucket, "docs/pics/cat.png")
        assert pdf.content_type == "application/pdf" and png.content_type == "image/png"
        assert await client.get_object_bytes(bucket, "docs/big.bin") == big.read_bytes()
        assert "-" in (await client.head_object(bucket, "docs/big.bin")).etag  # multipart


async def test_upload_dialog_refuses_missing_paths(world, tmp_path):
    app, _moto, bucket, _other, _state = world
    async with app.run_test(size=SIZE) as pilot:
        await open_docs(pilot, app, bucket)
        await pilot.press("u")
        dialog = await wait_for(pilot, UploadDialog)
        await type_into(pilot, str(tmp_path / "nope.txt"))
        await pilot.pause()
        assert app.screen is dialog
        assert "not found" in static_text(app, dialog.query_one("#upload-error"))


async def test_new_folder_is_a_zero_byte_marker(world):
    app, moto, bucket, _other, _state = world
    async with app.run_test(size=SIZE) as pilot:
        await open_docs(pilot, app, bucket)
        await pilot.press("n")
        dialog = await wait_for(pilot, PromptDialog)
        await type_into(pilot, "../x")
        await pilot.pause()
        assert app.screen is dialog  # refused, with the reason
        assert "'..'" in static_text(app, dialog.query_one("#prompt-error"))
        await type_into(pilot, "reports/2026")
        await finished(pilot)
        assert "reports/" in rows(app)
    async with moto.client() as client:
        info = await client.head_object(bucket, "docs/reports/2026/")
        assert info.content_length == 0


async def test_rename_then_copy_marked_to_another_bucket(world):
    app, moto, bucket, other, _state = world
    async with app.run_test(size=SIZE) as pilot:
        await open_docs(pilot, app, bucket)
        await pilot.press("end", "up", "m")  # a.txt
        dialog = await wait_for(pilot, PromptDialog)
        assert dialog.query_one(Input).value == f"s3://{bucket}/docs/a.txt"
        await type_into(pilot, f"s3://{bucket}/docs/renamed.txt")
        await finished(pilot)
        assert "renamed.txt" in rows(app) and "a.txt" not in rows(app)
        await pilot.press("end", "space", "up", "space", "c")
        await wait_for(pilot, PromptDialog)
        await type_into(pilot, f"s3://{other}/copied")  # several need a folder
        await pilot.pause()
        assert "end the destination with '/'" in static_text(
            app, app.screen.query_one("#prompt-error")
        )
        await type_into(pilot, f"s3://{other}/copied/")
        await finished(pilot)
    async with moto.client() as client:
        assert await client.get_object_bytes(other, "copied/renamed.txt") == b"alpha"
        assert await client.get_object_bytes(other, "copied/b.csv") == b"x,y\n1,2\n"
        assert await client.get_object_bytes(bucket, "docs/b.csv") == b"x,y\n1,2\n"  # a copy


async def test_cancel_stops_an_upload_and_leaves_no_parts(world, tmp_path):
    app, moto, bucket, _other, _state = world
    big = tmp_path / "huge.bin"
    big.write_bytes(os.urandom(96 * 1024 * 1024))
    async with app.run_test(size=SIZE) as pilot:
        await open_docs(pilot, app, bucket)
        await pilot.press("u")
        dialog = await wait_for(pilot, UploadDialog)
        box = dialog.query_one(Input)
        box.value = str(big)
        # not pilot.press("enter"): the pilot waits for the app to be idle after a key,
        # and an app busy uploading is idle only once the upload is over
        await box.action_submit()
        for _ in range(5000):  # polling: the point is to act while the parts are going
            items = app.transfers.items
            if items and items[0].state is State.RUNNING and items[0].done > 0:
                break
            await asyncio.sleep(0.001)
        assert app.transfers.items[0].state is State.RUNNING
        await pilot.press("X")
        await finished(pilot)
        assert app.transfers.items[0].state is State.CANCELLED
        assert any("cancelled" in n.message for n in app._notifications)
    async with moto.client() as client:
        assert await client.list_multipart_uploads(bucket) == []
        with pytest.raises(NoSuchKey):
            await client.head_object(bucket, "docs/huge.bin")


async def test_quitting_with_transfers_running_asks_first(world, tmp_path):
    app, _moto, bucket, _other, _state = world
    async with app.run_test(size=SIZE) as pilot:
        await open_docs(pilot, app, bucket)
        item = app.transfers.add("upload", "x", "x", 10)  # a transfer not yet finished
        await pilot.press("q")
        dialog = await wait_for(pilot, ConfirmDialog)
        assert "1 transfer(s) are not finished" in static_text(app, dialog.query_one("#question"))
        await pilot.press("n")
        await pilot.pause()
        assert app.is_running and item.state is State.QUEUED
        await pilot.press("q")
        await wait_for(pilot, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause(0.2)
        assert item.state is State.CANCELLED
    assert not app.is_running


async def test_uploading_onto_existing_objects_asks_first(world, tmp_path):
    app, moto, bucket, _other, _state = world
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "a.txt").write_bytes(b"new alpha")
    (src / "sub" / "c.json").write_bytes(b'{"new": 1}')
    async with app.run_test(size=SIZE) as pilot:
        await open_docs(pilot, app, bucket)
        await pilot.press("u")
        await wait_for(pilot, UploadDialog)
        await type_into(pilot, f"{src / 'a.txt'} {src / 'sub'}")
        dialog = await wait_for(pilot, ConflictDialog)
        text = "".join(static_text(app, s) for s in dialog.query("Static"))
        assert "This object exists already" in text and f"s3://{bucket}/docs/a.txt" in text
        await pilot.press("k")  # a.txt: keep both
        await wait_for(pilot, ConflictDialog)
        await pilot.press("s")  # sub/c.json: skip
        await finished(pilot)
    async with moto.client() as client:
        assert await client.get_object_bytes(bucket, "docs/a.txt") == b"alpha"
        assert await client.get_object_bytes(bucket, "docs/a (1).txt") == b"new alpha"
        assert await client.get_object_bytes(bucket, "docs/sub/c.json") == b"{}"


async def test_one_transfer_can_be_cancelled_from_the_list(world):
    from s3tui.ui.dialogs.transfers import TransfersDialog

    app, _moto, bucket, _other, _state = world
    release = asyncio.Event()

    async def job(item, progress):
        progress(1)
        await release.wait()

    async with app.run_test(size=SIZE) as pilot:
        await open_docs(pilot, app, bucket)
        first = app.transfers.add("download", "one.bin", "one.bin", 10)
        second = app.transfers.add("download", "two.bin", "two.bin", 10)
        batch = asyncio.ensure_future(app.transfers.run_all([(first, job), (second, job)]))
        await until_running(pilot, app, 2)
        await pilot.press("T")
        dialog = await wait_for(pilot, TransfersDialog)
        await pilot.press("down", "x")
        assert second.state is State.CANCELLED and first.state is State.RUNNING
        assert dialog.query_one("DataTable").row_count == 2
        release.set()
        await batch
        assert first.state is State.DONE
        await pilot.press("escape")
        assert not isinstance(app.screen, TransfersDialog)


async def until_running(pilot, app, count: int) -> None:
    for _ in range(200):
        if sum(t.state is State.RUNNING for t in app.transfers.items) == count:
            return
        await asyncio.sleep(0.005)
    raise AssertionError("the transfers did not start")
