"""A yes/no question that names exactly what will happen (y confirms, n or Esc cancels)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from s3tui.services.text import visible


class ConfirmDialog(ModalScreen[bool]):
    """Dismisses with True only on y."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]
    DEFAULT_CSS = """
    ConfirmDialog { align: center middle; }
    ConfirmDialog > VerticalScroll { width: 80; height: auto; max-height: 80%;
        border: thick $error; background: $surface; padding: 1 2; }
    ConfirmDialog #question { text-style: bold; }
    """

    def __init__(
        self, question: str, items: list[str], more: int = 0, *, yes_text: str = "y deletes"
    ) -> None:
        super().__init__()
        self.question, self.items, self.more, self.yes_text = question, items, more, yes_text

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text(self.question), id="question")
            listing = "\n".join(f"  {visible(item)}" for item in self.items)
            if self.more:
                listing += f"\n  … and {self.more:,} more"
            yield Static(Text(listing))
            yield Static(Text(f"{self.yes_text} · n or Esc keeps everything", style="dim"))

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
