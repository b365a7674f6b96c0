"""The filter line: typed into while the list keeps focus, so no keystroke is ever lost.

Textual queues keys on the focused widget before bindings run; moving focus to an Input
on '/' would let a fast "/march⏎" leak letters to the list's bindings. Instead the
screen feeds keys to this bar while it is active, synchronously, as they pass.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from s3tui.services.text import visible

# Keys that keep working on the list while the filter is being typed.
PASS_THROUGH = frozenset({"up", "down", "pageup", "pagedown", "home", "end"})


class FilterBar(Static):
    """Shows ``/ text▏`` while typing, ``filter: text`` once accepted; hidden when empty."""

    DEFAULT_CSS = """
    FilterBar { height: 1; padding: 0 1; display: none; background: $boost; }
    FilterBar.-typing { color: $text; text-style: bold; background: $accent 30%; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.text = ""
        self.typing = False

    def start(self) -> None:
        """Begin typing (keeps any current text)."""
        self.typing = True
        self._redraw()

    def clear(self) -> None:
        """Empty and hide the filter."""
        self.text, self.typing = "", False
        self._redraw()

    def feed(self, key: str, character: str | None, printable: bool) -> bool:
        """Take one key while typing; True if it was used (the caller stops it and reads
        ``text`` at once: a message would arrive after the next key)."""
        if not self.typing:
            return False
        if key == "escape":
            self.clear()
        elif key == "enter":
            self.typing = False
            self._redraw()
        elif key in ("backspace", "ctrl+h"):
            self._set(self.text[:-1])
        elif key == "ctrl+u":
            self._set("")
        elif key in PASS_THROUGH:
            return False
        elif printable and character:
            self._set(self.text + character)
        else:
            return False
        return True

    def _set(self, text: str) -> None:
        self.text = text
        self._redraw()

    def _redraw(self) -> None:
        self.display = self.typing or bool(self.text)
        self.set_class(self.typing, "-typing")
        if self.typing:
            self.update(
                Text.assemble(
                    "/ ", visible(self.text), ("▏", "blink"), ("   Enter keeps · Esc clears", "dim")
                )
            )
        else:
            self.update(
                Text.assemble(
                    ("filter: ", "dim"), visible(self.text), ("   / edits · Esc clears", "dim")
                )
            )
