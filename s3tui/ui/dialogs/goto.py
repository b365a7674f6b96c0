"""Jump to a typed ``s3://bucket/prefix/`` path."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from s3tui.services.browse import checked_s3_path


@dataclass(frozen=True)
class GotoTarget:
    """Where to go: a bucket and a prefix (ending with '/' unless empty)."""

    bucket: str
    prefix: str


def parse_target(text: str) -> GotoTarget:
    """Parse and validate a typed path; raises ValueError with a readable reason."""
    bucket, prefix = checked_s3_path(text)
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    return GotoTarget(bucket, prefix)


class GotoDialog(ModalScreen[GotoTarget | None]):
    """Ask for a path; dismisses with a GotoTarget, or None on Escape."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="goto.cancel")]
    DEFAULT_CSS = """
    GotoDialog { align: center middle; }
    GotoDialog > Vertical { width: 70; height: auto; border: thick $accent; padding: 1 2;
                            background: $surface; }
    GotoDialog #goto-error { color: $error; height: auto; }
    """

    def __init__(self, current: str = "") -> None:
        super().__init__()
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Go to (s3://bucket/prefix/):")
            yield Input(value=self._current, id="goto-input")
            yield Static("", id="goto-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            target = parse_target(event.value)
        except ValueError as exc:
            self.query_one("#goto-error", Static).update(Text(str(exc)))
            return
        self.dismiss(target)

    def action_cancel(self) -> None:
        self.dismiss(None)
