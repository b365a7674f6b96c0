"""Pick local files or folders to upload: typed paths, or picked in a file browser."""

from __future__ import annotations

import shlex
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DirectoryTree, Input, Label, Static


def parse_paths(text: str, base: Path) -> list[Path]:
    """Shell-quoted paths → existing paths (relative ones from ``base``); ValueError if not."""
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise ValueError(f"check the quotes: {exc}") from None
    if not words:
        raise ValueError("type a path, or pick files below with a")
    paths = [(base / Path(w).expanduser()) for w in words]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise ValueError(f"not found: {', '.join(missing[:3])}")
    return paths


class UploadDialog(ModalScreen[list[Path] | None]):
    """Dismisses with the files and folders to upload into ``destination``."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="upload.cancel"),
        Binding("a", "add", "Add highlighted", id="upload.add"),
        Binding("tab", "app.focus_next", "Next", show=False, id="upload.next"),
    ]
    DEFAULT_CSS = """
    UploadDialog { align: center middle; }
    UploadDialog > Vertical { width: 90%; height: 80%; border: thick $accent; padding: 0 1;
                              background: $surface; }
    UploadDialog #upload-title { text-style: bold; height: auto; }
    UploadDialog #upload-error { color: $error; height: auto; }
    UploadDialog DirectoryTree { height: 1fr; border: round $panel; }
    """

    def __init__(self, destination: str, start: Path) -> None:
        super().__init__()
        self.destination, self.start = destination, start

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"Upload into {self.destination}"), id="upload-title")
            yield Label("Paths (quote names with spaces; a folder goes with its contents):")
            yield Input(id="upload-paths")
            yield Static("", id="upload-error")
            yield DirectoryTree(self.start, id="upload-tree")
            yield Static(
                Text(
                    "Tab to the browser · Enter opens a folder · a adds the highlighted "
                    "file or folder · Enter in the paths uploads · Esc cancels",
                    style="dim",
                )
            )

    def _append(self, path: Path) -> None:
        box = self.query_one("#upload-paths", Input)
        word = shlex.quote(str(path))
        box.value = f"{box.value} {word}".strip()

    def action_add(self) -> None:
        tree = self.query_one(DirectoryTree)
        if self.focused is tree and tree.cursor_node is not None and tree.cursor_node.data:
            self._append(tree.cursor_node.data.path)

    @on(DirectoryTree.FileSelected)
    def _picked(self, event: DirectoryTree.FileSelected) -> None:
        self._append(event.path)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            paths = parse_paths(event.value, self.start)
        except ValueError as exc:
            self.query_one("#upload-error", Static).update(Text(str(exc)))
            return
        self.dismiss(paths)

    def action_cancel(self) -> None:
        self.dismiss(None)
