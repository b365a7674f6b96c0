"""Downloads and uploads: what goes where, with progress, a bound, and cancel.

A ``TransferQueue`` runs jobs with at most ``limit`` at once and keeps, for each, bytes
done and total, a rate over the last few seconds and an ETA; the UI only reads it.
Planning (which keys, which local paths, which target keys) is separate and pure.
"""

from __future__ import annotations

import asyncio
import mimetypes
import os
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from s3tui.s3 import ObjectInfo, S3Client

from .local_paths import LocalTarget, target_for

RATE_WINDOW = 3.0  # seconds of samples behind a transfer's rate
SAMPLE_EVERY = 0.1


class OnConflict(StrEnum):
    """What to do when the local file exists already."""

    SKIP = "skip"
    OVERWRITE = "overwrite"
    KEEP_BOTH = "keep-both"


class State(StrEnum):
    """Where a transfer is in its life."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    SKIPPED = "skipped"
    FAILED = "failed"
    CANCELLED = "cancelled"


FINISHED = {State.DONE, State.SKIPPED, State.FAILED, State.CANCELLED}


def free_name(path: Path) -> Path:
    """'report.pdf' → 'report (1).pdf', the first name not taken."""
    for n in range(1, 10_000):
        candidate = path.with_name(f"{path.stem} ({n}){path.suffix}")
        if not candidate.exists():
            return candidate
    raise ValueError(f"no free name next to {path}")


async def download_to(
    client: S3Client,
    bucket: str,
    key: str,
    destination: Path,
    *,
    strip_prefix: str = "",
    on_conflict: OnConflict = OnConflict.SKIP,
    progress: Callable[[int], None] | None = None,
) -> tuple[LocalTarget, Path | None, ObjectInfo | None]:
    """Download one key under ``destination``; (target, where it went or None if skipped,
    its info)."""
    target = target_for(destination, key, strip_prefix)
    path, info = await download_into(client, bucket, key, target.path, on_conflict, progress)
    return target, path, info


async def download_into(
    client: S3Client,
    bucket: str,
    key: str,
    path: Path,
    on_conflict: OnConflict,
    progress: Callable[[int], None] | None = None,
) -> tuple[Path | None, ObjectInfo | None]:
    """Download one key to a safe ``path`` (from ``target_for``) as ``on_conflict`` says
    when it exists; (where it went or None if skipped, its info)."""
    where = resolve_conflict(path, on_conflict)
    if where is None:
        return None, None
    where.parent.mkdir(parents=True, exist_ok=True)
    return where, await client.download_file(bucket, key, where, progress=progress)


def resolve_conflict(path: Path, on_conflict: OnConflict) -> Path | None:
    """Where to write given what exists: the path, a free name next to it, or None (skip)."""
    if not path.exists():
        return path
    if on_conflict is OnConflict.SKIP:
        return None
    if on_conflict is OnConflict.KEEP_BOTH:
        return free_name(path)
    return path


@dataclass
class Transfer:
    """One object going up or down; numbers the progress panel shows."""

    id: int
    kind: str  # "download" | "upload" | "copy"
    source: str
    target: str
    total: int | None
    note: str = ""  # e.g. why the local name differs from the key
    done: int = 0
    state: State = State.QUEUED
    failure: Exception | None = field(default=None, repr=False)
    started: float | None = None
    finished: float | None = None
    samples: deque[tuple[float, int]] = field(default_factory=lambda: deque(maxlen=64))
    task: asyncio.Task[None] | None = field(default=None, repr=False)

    def advance(self, n: int, now: float) -> None:
        """Count ``n`` more bytes (negative when a retried part is sent again)."""
        self.done = max(0, self.done + n)
        if not self.samples or now - self.samples[-1][0] >= SAMPLE_EVERY:
            self.samples.append((now, self.done))

    def rate(self, now: float) -> float:
        """Bytes per second: over the last few seconds while running, else on average."""
        if self.started is None:
            return 0.0
        if self.state is not State.RUNNING:
            span = (self.finished or now) - self.started
            return self.done / span if span > 0 else 0.0
        base_t, base_done = self.started, 0
        for t, done in self.samples:
            if now - t <= RATE_WINDOW:
                break
            base_t, base_done = t, done
        span = now - base_t
        return (self.done - base_done) / span if span > 0 else 0.0

    def eta(self, now: float) -> float | None:
        """Seconds to go at the current rate, or None when unknown."""
        if self.state is not State.RUNNING or not self.total:
            return None
        rate = self.rate(now)
        return (self.total - self.done) / rate if rate > 0 else None


Job = Callable[[Transfer, Callable[[int], None]], Awaitable[str | None]]


class TransferQueue:
    """Runs transfers at most ``limit`` at a time; cancel one or all; totals for a panel."""

    def __init__(self, limit: int = 4, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.clock = clock
        self.items: list[Transfer] = []
        self._slots = asyncio.Semaphore(limit)
        self._next_id = 1

    def add(
        self, kind: str, source: str, target: str, total: int | None, note: str = ""
    ) -> Transfer:
        """A queued transfer (start it with ``run``)."""
        item = Transfer(self._next_id, kind, source, target, total, note)
        self._next_id += 1
        self.items.append(item)
        return item

    async def run(self, item: Transfer, job: Job) -> None:
        """Run ``job`` for ``item`` when a slot is free; errors end up on the item.

        ``job`` returns None when done, or a reason when it skipped the work.
        """
        item.task = asyncio.current_task()
        try:
            async with self._slots:
                if item.state is State.CANCELLED:
                    return
                item.state = State.RUNNING
                item.started = self.clock()
                skipped = await job(item, lambda n: item.advance(n, self.clock()))
                item.state = State.SKIPPED if skipped else State.DONE
                item.note = skipped or item.note
        except asyncio.CancelledError:
            item.state = State.CANCELLED
            raise
        except Exception as exc:  # any failure belongs to this one transfer, not the batch
            item.state = State.FAILED
            item.failure = exc
        finally:
            item.finished = self.clock()
            item.task = None

    async def run_all(self, jobs: Iterable[tuple[Transfer, Job]]) -> None:
        """Run every (transfer, job) pair, bounded; returns when all have finished."""
        tasks = [asyncio.ensure_future(self.run(item, job)) for item, job in jobs]
        await asyncio.gather(*tasks, return_exceptions=True)

    def cancel(self, item: Transfer) -> None:
        """Stop one transfer (a queued one never starts)."""
        if item.state in FINISHED:
            return
        if item.task is not None:
            item.task.cancel()
        item.state = State.CANCELLED

    def cancel_all(self) -> int:
        """Stop everything not finished; returns how many were stopped."""
        active = self.active()
        for item in active:
            self.cancel(item)
        return len(active)

    def active(self) -> list[Transfer]:
        """Transfers queued or running."""
        return [t for t in self.items if t.state not in FINISHED]

    def clear_finished(self) -> None:
        """Forget what has finished."""
        self.items = self.active()

    def overall(self) -> tuple[int, int, float, float | None]:
        """(bytes done, bytes total, rate, ETA) over the transfers not yet forgotten."""
        now = self.clock()
        done = sum(t.done for t in self.items)
        total = sum(t.total or t.done for t in self.items)
        rate = sum(t.rate(now) for t in self.items if t.state is State.RUNNING)
        left = sum(max(0, (t.total or 0) - t.done) for t in self.items if t.state not in FINISHED)
        eta = left / rate if rate > 0 else None
        return done, total, rate, eta


# -- planning ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Upload:
    """One local file and the key it becomes."""

    path: Path
    key: str
    size: int
    content_type: str


def guess_type(name: str) -> str:
    """Content type from the file name (``application/octet-stream`` when unknown)."""
    kind, _ = mimetypes.guess_type(name, strict=False)
    return kind or "application/octet-stream"


def plan_uploads(paths: Iterable[Path], prefix: str) -> tuple[list[Upload], list[str]]:
    """Files and folders → uploads under ``prefix`` (a folder keeps its name as a prefix).

    Symbolic links to folders are not followed (no loops); unreadable entries are reported
    as problems instead of failing the whole plan.
    """
    uploads: list[Upload] = []
    problems: list[str] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            base = path.resolve()
            for root, dirs, files in os.walk(base, onerror=lambda e: problems.append(str(e))):
                dirs.sort()
                for name in sorted(files):
                    full = Path(root, name)
                    rel = full.relative_to(base.parent).as_posix()
                    _add(uploads, problems, full, prefix + rel)
        elif path.is_file():
            _add(uploads, problems, path, prefix + path.name)
        else:
            problems.append(f"{path}: no such file or folder")
    return uploads, problems


def _add(uploads: list[Upload], problems: list[str], path: Path, key: str) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        problems.append(f"{path}: {exc.strerror or exc}")
        return
    if not path.is_file():
        return
    uploads.append(Upload(path, key, size, guess_type(path.name)))


def relative_to_prefix(key: str, prefix: str) -> str:
    """The key as seen from ``prefix`` (for the progress panel)."""
    return key[len(prefix) :] if prefix and key.startswith(prefix) else key
