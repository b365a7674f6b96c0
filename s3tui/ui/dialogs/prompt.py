"""One line of input with a check: a path to go to, a download folder, a new folder's name,
a destination for move or copy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

T = TypeVar("T")


class PromptDialog(ModalScreen[T | None], Generic[T]):
    """Dismisses with ``check(text)``; ``check`` raises ValueError with the reason, shown
    under the input until the text is fixed. Esc dismisses with None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]
    DEFAULT_CSS = """
    PromptDialog { align: center middle; }
    PromptDialog > Vertical { width: 80; height: auto; border: thick $accent; padding: 1 2;
                              background: $surface; }
    PromptDialog #prompt-title { text-style: bold; height: auto; }
    PromptDialog #prompt-error { color: $error; height: auto; }
    """

    def __init__(
        self, title: str, label: str, value: str, check: Callable[[str], T], hint: str = ""
    ) -> None:
        super().__init__()
        self.title_text, self.label, self.value = title, label, value
        self.check, self.hint = check, hint

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.title_text), id="prompt-title")
            yield Label(self.label)
            yield Input(value=self.value, id="prompt-input")
            yield Static("", id="prompt-error")
            yield Static(Text(self.hint or "Enter confirms · Esc cancels", style="dim"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            value = self.check(event.value)
        except ValueError as exc:
            self.query_one("#prompt-error", Static).update(Text(str(exc)))
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)
