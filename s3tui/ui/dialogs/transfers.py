"""Every transfer in a list: pick one and cancel it (x), or all of them (X)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from s3tui.services.transfers import FINISHED, TransferQueue
from s3tui.ui.widgets.transfer_panel import panel_text, transfer_line


class TransfersDialog(ModalScreen[None]):
    """The app's transfer queue, refreshed while open; Esc closes (transfers go on)."""

    BINDINGS = [
        Binding("x", "cancel_one", "Cancel this one", id="transfers.cancel_one"),
        Binding("X", "cancel_all", "Cancel all", id="transfers.cancel_all"),
        Binding("C", "clear", "Clear finished", id="transfers.clear"),
        Binding("escape,T", "close", "Close", id="transfers.close"),
    ]
    DEFAULT_CSS = """
    TransfersDialog { align: center middle; }
    TransfersDialog > Vertical { width: 96%; height: 80%; border: thick $accent;
                                 background: $surface; padding: 0 1; }
    TransfersDialog #transfers-head { height: auto; }
    TransfersDialog DataTable { height: 1fr; }
    """

    def __init__(self, queue: TransferQueue) -> None:
        super().__init__()
        self.queue = queue
        self.shown: list[int] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("", id="transfers-head")
            yield DataTable(id="transfers", cursor_type="row", show_header=False)
            yield Static(
                Text(
                    "x cancels the highlighted one · X all · C clears finished · Esc closes",
                    style="dim",
                )
            )

    def on_mount(self) -> None:
        self.query_one(DataTable).add_column("transfer", key="line")
        self.set_interval(0.25, self.redraw)
        self.redraw()

    def redraw(self) -> None:
        """Rows follow the queue; the cursor stays on the same transfer."""
        table = self.query_one(DataTable)
        width = max(40, table.size.width - 2)
        head = panel_text(self.queue, width).split()[0]
        self.query_one("#transfers-head", Static).update(head)
        now = self.queue.clock()
        ids = [t.id for t in self.queue.items]
        if ids != self.shown:
            current = self._current_id()
            table.clear()
            for item in self.queue.items:
                table.add_row(transfer_line(item, now, width), key=str(item.id))
            self.shown = ids
            if current in ids:
                table.move_cursor(row=ids.index(current))
        else:
            for item in self.queue.items:
                table.update_cell(str(item.id), "line", transfer_line(item, now, width))

    def _current_id(self) -> int | None:
        table = self.query_one(DataTable)
        if not self.shown or not 0 <= table.cursor_row < len(self.shown):
            return None
        return self.shown[table.cursor_row]

    def action_cancel_one(self) -> None:
        wanted = self._current_id()
        item = next((t for t in self.queue.items if t.id == wanted), None)
        if item is None or item.state in FINISHED:
            self.notify("That transfer is not running.")
            return
        self.queue.cancel(item)
        self.notify("Cancelled.")
        self.redraw()

    def action_cancel_all(self) -> None:
        stopped = self.queue.cancel_all()
        self.notify(f"Cancelled {stopped:,} transfer(s)." if stopped else "Nothing running.")
        self.redraw()

    def action_clear(self) -> None:
        self.queue.clear_finished()
        self.redraw()

    def action_close(self) -> None:
        self.dismiss(None)
