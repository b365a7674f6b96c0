"""Downloads into a local folder: safe paths, an explicit choice on existing files."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path

from s3tui.s3 import ObjectInfo, S3Client

from .local_paths import LocalTarget, target_for


class OnConflict(StrEnum):
    """What to do when the local file exists already."""

    SKIP = "skip"
    OVERWRITE = "overwrite"
    KEEP_BOTH = "keep-both"


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
    path = target.path
    if path.exists():
        if on_conflict is OnConflict.SKIP:
            return target, None, None
        if on_conflict is OnConflict.KEEP_BOTH:
            path = free_name(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    info = await client.download_file(bucket, key, path, progress=progress)
    return target, path, info
