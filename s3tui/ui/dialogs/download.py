"""Where downloads go: a local folder, the last one used by default."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static


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


class DownloadDialog(ModalScreen[DownloadRequest | None]):
    """Names what will be downloaded and asks where to; Enter starts, Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="download.cancel")]
    DEFAULT_CSS = """
    DownloadDialog { align: center middle; }
    DownloadDialog > Vertical { width: 76; height: auto; border: thick $accent;
                                padding: 1 2; background: $surface; }
    DownloadDialog #download-what { text-style: bold; height: auto; }
    DownloadDialog #download-error { color: $error; height: auto; }
    """

    def __init__(self, what: str, folder: Path) -> None:
        super().__init__()
        self.what, self.folder = what, folder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.what), id="download-what")
            yield Label("Into the folder (created if missing):")
            yield Input(value=str(self.folder), id="download-folder")
            yield Static("", id="download-error")
            yield Static(Text("Enter downloads · Esc cancels", style="dim"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            folder = check_folder(event.value)
        except ValueError as exc:
            self.query_one("#download-error", Static).update(Text(str(exc)))
            return
        self.dismiss(DownloadRequest(folder))

    def action_cancel(self) -> None:
        self.dismiss(None)
