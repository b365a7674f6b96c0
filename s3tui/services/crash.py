"""Crash reports: what went wrong, for a bug report, with no locals and no secrets."""

from __future__ import annotations

import os
import traceback
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from .config import data_dir


def scrub(text: str, secrets: Iterable[str | None]) -> str:
    """Replace every known secret (of 4+ characters) in ``text`` with ***."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return text


def write_report(error: BaseException, secrets: Iterable[str | None]) -> Path | None:
    """Save the traceback (frames only, never local variables) to a 0600 file; its path."""
    text = "".join(traceback.format_exception(error))
    text = scrub(text, list(secrets))
    folder = data_dir() / "crash-reports"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"crash-{datetime.now():%Y%m%d-%H%M%S-%f}.txt"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        return path
    except OSError:
        return None
