"""A link as a QR code in the terminal, for phones: two modules per character cell."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


def qr_lines(data: str) -> list[str]:
    """Rows of half blocks (black modules on white, quiet zone included) encoding ``data``.

    Two modules a character cell, one above the other, keep the modules square.
    """
    import segno

    border = 2
    matrix = [list(row) for row in segno.make(data, error="l", micro=False).matrix]
    width = len(matrix[0]) + 2 * border
    light = [0] * width
    rows = [light] * border + [[0] * border + r + [0] * border for r in matrix] + [light] * border
    if len(rows) % 2:
        rows.append(light)
    half = {(0, 0): " ", (1, 0): "▀", (0, 1): "▄", (1, 1): "█"}
    return [
        "".join(half[(top[i], bottom[i])] for i in range(width))
        for top, bottom in zip(rows[::2], rows[1::2], strict=True)
    ]


class QrDialog(ModalScreen[None]):
    """Shows a QR code, white on the dark screen; Escape, q or Q closes it."""

    BINDINGS = [Binding("escape,q,Q", "close", "Close", id="qr.close")]
    DEFAULT_CSS = """
    QrDialog { align: center middle; }
    QrDialog > VerticalScroll { width: auto; height: auto; max-height: 100%;
                                background: white; padding: 0; }
    QrDialog #code { width: auto; color: black; background: white; }
    """

    def __init__(self, data: str, label: str) -> None:
        super().__init__()
        self.data = data
        self.label = label
        self.lines: list[str] = []

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("", id="code")

    def on_mount(self) -> None:
        self.lines = qr_lines(self.data)
        self.query_one("#code", Static).update(Text("\n".join(self.lines)))
        if len(self.lines) > self.app.size.height:
            self.notify(
                "The code is taller than the terminal: enlarge it or shrink the font.",
                severity="warning",
            )

    def action_close(self) -> None:
        self.dismiss(None)
