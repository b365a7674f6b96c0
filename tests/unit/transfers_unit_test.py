"""Pure parts of transfers and file operations: queue numbers, planning, names."""

from __future__ import annotations

import asyncio

import pytest

from s3tui.services.browse import Entry
from s3tui.services.object_ops import (
    Destination,
    folder_key,
    free_key,
    parse_destination,
    plan_copies,
)
from s3tui.services.transfers import State, TransferQueue, plan_uploads
from s3tui.ui.widgets.transfer_panel import eta_text


def test_rate_and_eta_follow_the_last_seconds():
    now = [0.0]
    queue = TransferQueue(clock=lambda: now[0])
    item = queue.add("download", "k", "k", 1000)
    item.state, item.started = State.RUNNING, 0.0
    for t in range(1, 11):  # 10 B/s for 10 s …
        now[0] = float(t)
        item.advance(10, now[0])
    assert item.rate(now[0]) == pytest.approx(10.0)
    for t in range(11, 15):  # … then 100 B/s: the rate follows within the window
        now[0] = float(t)
        item.advance(100, now[0])
    assert item.rate(now[0]) == pytest.approx(100.0, rel=0.05)
    assert item.eta(now[0]) == pytest.approx((1000 - 500) / item.rate(now[0]))
    done, total, rate, eta = queue.overall()
    assert rate == pytest.approx(item.rate(now[0]))
    assert (done, total) == (500, 1000) and eta == pytest.approx(item.eta(now[0]))
    item.advance(-100, now[0])  # a retried part is taken back
    assert item.done == 400


async def test_the_queue_bounds_runs_and_cancels_queued_ones():
    queue = TransferQueue(limit=2)
    running = 0
    peak = 0
    release = asyncio.Event()

    async def job(item, progress):
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await release.wait()
        running -= 1

    items = [queue.add("upload", str(i), str(i), 1) for i in range(5)]
    batch = asyncio.ensure_future(queue.run_all([(i, job) for i in items]))
    await asyncio.sleep(0.01)
    assert [i.state for i in items].count(State.RUNNING) == 2
    queue.cancel(items[4])  # queued: never starts
    release.set()
    await batch
    assert peak == 2 and items[4].state is State.CANCELLED
    assert [i.state for i in items[:4]] == [State.DONE] * 4


async def test_a_failing_job_fails_alone():
    queue = TransferQueue()

    async def bad(item, progress):
        raise OSError("disk full")

    async def good(item, progress):
        progress(1)

    a, b = queue.add("download", "a", "a", 1), queue.add("download", "b", "b", 1)
    await queue.run_all([(a, bad), (b, good)])
    assert a.state is State.FAILED and "disk full" in str(a.failure)
    assert b.state is State.DONE and b.done == 1


def test_eta_text():
    assert eta_text(None) == "--:--" and eta_text(65) == "1:05" and eta_text(7380) == "2:03:00"


def test_free_key_and_folder_key():
    assert free_key("a/report.pdf", {"a/report (1).pdf"}) == "a/report (2).pdf"
    assert free_key("noext", set()) == "noext (1)"
    assert free_key("d/.env", set()) == "d/.env (1)"
    assert folder_key("p/", " 2026/q1/ ") == "p/2026/q1/"
    for bad in ("", "/", "a/../b", "x\x00"):
        with pytest.raises(ValueError):
            folder_key("p/", bad)


def test_destinations_and_copy_plans():
    assert parse_destination("s3://other-bucket/dir/", many=True) == Destination(
        "other-bucket", "dir/"
    )
    with pytest.raises(ValueError, match="end the destination"):
        parse_destination("s3://other-bucket/file.txt", many=True)
    objects = [Entry("a.txt", "p/a.txt", False, 5), Entry("b", "p/sub/b", False, 6)]
    pairs = plan_copies(objects, "src-bucket", "p/", Destination("dst-bucket", "x/"))
    assert [t for _, t in pairs] == ["x/a.txt", "x/sub/b"]
    with pytest.raises(ValueError, match="onto itself"):
        plan_copies(objects[:1], "src-bucket", "p/", Destination("src-bucket", "p/a.txt"))


def test_plan_uploads_keeps_folder_names_and_reports_missing(tmp_path):
    (tmp_path / "pics" / "2026").mkdir(parents=True)
    (tmp_path / "pics" / "2026" / "cat.png").write_bytes(b"x")
    (tmp_path / "notes.md").write_text("y")
    uploads, problems = plan_uploads(
        [tmp_path / "pics", tmp_path / "notes.md", tmp_path / "nope"], "in/"
    )
    assert {(u.key, u.content_type) for u in uploads} == {
        ("in/pics/2026/cat.png", "image/png"),
        ("in/notes.md", "text/markdown"),
    }
    assert problems == [f"{tmp_path / 'nope'}: no such file or folder"]
