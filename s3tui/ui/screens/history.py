"""Every link made here: live ones first with the time they have left; copy one again."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from s3tui.services.expiry import describe
from s3tui.services.history import HistoryEntry
from s3tui.services.text import visible
from s3tui.ui.widgets.managed_table import ManagedTable


class HistoryScreen(Screen[None]):
    """The share ledger."""

    CSS_PATH = "history.tcss"
    BINDINGS = [
        Binding("enter,c", "copy_again", "Copy again", id="history.copy"),
        Binding("p", "purge", "Purge expired", id="history.purge"),
        Binding("r", "refresh", "Refresh", id="history.refresh"),
        Binding("escape,backspace", "back", "Back", id="history.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[HistoryEntry] = []

    def compose(self) -> ComposeResult:
        yield Header()
        table = DataTable(id="history", cursor_type="row", zebra_stripes=True)
        for name in ("State", "Left", "Kind", "Object", "Created"):
            table.add_column(name, key=name.lower())
        yield table
        yield Static("", id="history-status")
        server = self.app.services.server
        if server is not None:
            yield Static(
                Text(f"Managed links on {server.url} · x revokes · e extends · Tab switches"),
                id="managed-title",
            )
            yield ManagedTable(server, id="managed")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def load(self) -> None:
        """Read the ledger (SQLite) off the event loop."""
        try:
            entries = self.app.history.entries()
        except Exception as exc:
            self.app.call_from_thread(self._failed, exc)
            return
        self.app.call_from_thread(self._show, entries)

    def _failed(self, exc: Exception) -> None:
        self.query_one("#history-status", Static).update(
            Text(f"cannot read the share history: {type(exc).__name__}: {exc}")
        )

    def _show(self, entries: list[HistoryEntry]) -> None:
        now = self.app.now()
        self.entries = entries
        table = self.query_one(DataTable)
        table.clear()
        live = 0
        for e in entries:
            left = e.seconds_left(now)
            live += left > 0
            state = Text("live", style="green") if left > 0 else Text("expired", style="dim")
            when = Text(describe(left) if left > 0 else "—")
            kind = e.kind if e.variant == "s3" else f"{e.kind} · {e.variant}"
            created = e.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
            table.add_row(
                state,
                when,
                Text(kind),
                Text(visible(f"s3://{e.bucket}/{e.key}")),
                Text(created),
                key=str(e.id),
            )
        self.query_one("#history-status", Static).update(
            Text(f"{len(entries)} links · {live} live · Enter copies a live link again")
        )
        table.focus()

    def on_data_table_row_selected(self) -> None:
        self.action_copy_again()  # Enter on the table

    def action_copy_again(self) -> None:
        table = self.query_one(DataTable)
        if not self.entries or table.cursor_row >= len(self.entries):
            return
        entry = self.entries[table.cursor_row]
        if entry.seconds_left(self.app.now()) <= 0:
            self.notify("That link has expired; share the object again for a new one.")
        elif not entry.reusable:
            self.notify(
                "That link was signed with a session token, which is never stored: "
                "share the object again.",
                severity="warning",
            )
        else:
            self.app.deliver_text(entry.url, "the link again")

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def action_purge(self) -> None:
        """Delete expired links from the ledger."""
        gone = self.app.history.purge_expired()
        self.app.call_from_thread(self.notify, f"Purged {gone} expired links.")
        entries = self.app.history.entries()
        self.app.call_from_thread(self._show, entries)

    def action_refresh(self) -> None:
        self.load()
        for table in self.query(ManagedTable):
            table.load()

    def action_back(self) -> None:
        self.app.pop_screen()
