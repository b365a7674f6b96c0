"""Where downloads go: a local folder, the last one used by default."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from s3tui.ui.dialogs.prompt import PromptDialog


@dataclass(frozen=True)
class DownloadRequest:
    """The folder chosen for a download."""

    folder: Path


def check_folder(text: str) -> Path:
    """A usable destination folder from typed text; ValueError with the reason if not."""
    if not text.strip():
        raise ValueError("type a folder, e.g. ~/Downloads")
    folder = Path(text.strip()).expanduser()
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"{folder} is a file, not a folder")
    parent = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if parent is None or not parent.is_dir():
        raise ValueError(f"{folder} cannot be created")
    return folder


class DownloadDialog(PromptDialog[DownloadRequest]):
    """Names what will be downloaded and asks where to; Enter starts, Esc cancels."""

    def __init__(self, what: str, folder: Path) -> None:
        super().__init__(
            what,
            "Into the folder (created if missing):",
            str(folder),
            lambda text: DownloadRequest(check_folder(text)),
            "Enter downloads · Esc cancels",
        )
